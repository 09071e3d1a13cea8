"""Pandera (polars backend) contracts of the accepted `events` and the `quarantine` tables.

Events are checked by two models so that ten million rows validate in flat memory:
`EventsSchema` holds every row-level rule (types, non-empty keys, properties, usage month) and
runs on slices of `CHUNK_ROWS`; `EventKeysSchema` holds the rules across rows (unique key, one
partition month) and runs once on the four key columns of the whole month.

`validate_events` / `validate_quarantine` return failure descriptions, empty when valid, for a
Dagster asset check's metadata. They take a DataFrame or a LazyFrame, which `validate_events`
slices; it also takes the slices themselves (ingest passes the parts of the month it holds in
memory and just wrote, each a window of that month filtered on its own, so only one slice at a
time is built).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, ClassVar

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from orchestration.ingest.dedupe import KEY, key_hash
from orchestration.ingest.properties import FLAT_OBJECT
from orchestration.ingest.reasons import REASON_CODES

CHUNK_ROWS = 2_000_000
_KEY_COLUMNS = ["customer_id", "usage_month", "event_id", "is_late"]
_MAX_EXAMPLES = 3
_MAX_EXAMPLE_CHARS = 160


class EventsSchema(pa.DataFrameModel):
    """Accepted events, row by row: typed, identified, with usable properties and month."""

    event_id: str = pa.Field(str_length={"min_value": 1})
    customer_id: str = pa.Field(str_length={"min_value": 1})
    sent_customer_id: str = pa.Field(str_length={"min_value": 1})
    event_type: str = pa.Field(str_length={"min_value": 1})
    event_at: Annotated[pl.Datetime, "us", "UTC"]
    usage_month: pl.Date
    arrived_at: Annotated[pl.Datetime, "us", "UTC"]
    is_late: bool
    properties: str
    source_file: str = pa.Field(str_length={"min_value": 1})
    source_line: pl.Int64 = pa.Field(ge=1)

    class Config:
        strict = True

    @pa.check("properties", name="flat_json_object", error="a JSON object of string, number or boolean values")
    def properties_flat_object(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(FLAT_OBJECT))

    @pa.dataframe_check(name="usage_month_of_event_at", error="usage_month is the first day of event_at's month")
    def usage_month_of_event_at(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("event_at").dt.truncate("1mo").dt.date() == pl.col("usage_month"))


class EventKeysSchema(pa.DataFrameModel):
    """Accepted events across rows: one copy per key and usage month, one partition month."""

    customer_id: str
    usage_month: pl.Date
    event_id: str
    is_late: bool

    @pa.dataframe_check(name="unique_key", error="(customer_id, usage_month, event_id) is unique")
    def unique_key(cls, data: PolarsData) -> pl.LazyFrame:
        # Sorting a 64-bit hash finds the few candidates (none in a valid month, so the exact
        # comparison, which hashes every row's key as a struct, is skipped); then it runs on those.
        hashes = data.lazyframe.select(key_hash()).collect().to_series()
        ordered = hashes.drop_nulls().sort()
        repeated = ordered.filter(ordered == ordered.shift(1)).unique()
        if repeated.is_empty():
            return data.lazyframe.select(pl.repeat(True, pl.len()))
        candidate = key_hash().is_in(pl.lit(repeated).implode()).fill_null(False)
        return data.lazyframe.select(~(candidate & pl.when(candidate).then(pl.struct(KEY)).is_duplicated()))

    @pa.dataframe_check(name="one_partition_month", error="on-time rows share one month; late rows are earlier")
    def one_partition_month(cls, data: PolarsData) -> pl.LazyFrame:
        # The partition month is what most on-time rows say; a stray row cannot redefine it.
        month = pl.col("usage_month").filter(~pl.col("is_late")).mode().min()
        later = pl.col("usage_month").max() + pl.duration(days=1)
        return data.lazyframe.select(
            pl.when(pl.col("is_late"))
            .then(pl.col("usage_month") < month.fill_null(later))
            .otherwise(pl.col("usage_month") == month)
        )


class QuarantineSchema(pa.DataFrameModel):
    """Quarantined rows: as read (any identifying field may be missing), with one known reason."""

    event_id: str = pa.Field(nullable=True)
    customer_id: str = pa.Field(nullable=True)
    event_type: str = pa.Field(nullable=True)
    event_at_raw: str = pa.Field(nullable=True)
    properties: str = pa.Field(nullable=True)
    usage_month: pl.Date = pa.Field(nullable=True)
    reason_code: str = pa.Field(isin=list(REASON_CODES))
    reason_detail: str = pa.Field(str_length={"min_value": 1})
    source_file: str
    source_line: pl.Int64 = pa.Field(ge=0)

    class Config:
        strict = True
        unique: ClassVar[list[str]] = ["source_file", "source_line"]


def validate_events(frame: pl.DataFrame | pl.LazyFrame | Sequence[pl.LazyFrame]) -> list[str]:
    if isinstance(frame, pl.DataFrame | pl.LazyFrame):
        lazy = frame.lazy()
        rows = lazy.select(pl.len()).collect().item()
        parts = [lazy.slice(offset, CHUNK_ROWS) for offset in range(0, max(rows, 1), CHUNK_ROWS)]
    else:
        parts = list(frame)
        lazy = pl.concat(parts)
    failures = []
    for part in parts:
        failures += _failures(EventsSchema, part.collect())
    # Missing key columns were already reported by the row checks.
    if set(_KEY_COLUMNS) <= set(lazy.collect_schema().names()):
        failures += _failures(EventKeysSchema, lazy.select(_KEY_COLUMNS).collect())
    return _merge(failures)


def validate_quarantine(frame: pl.DataFrame | pl.LazyFrame) -> list[str]:
    return _merge(_failures(QuarantineSchema, frame.lazy().collect()))


def _failures(schema: type[pa.DataFrameModel], data: pl.DataFrame) -> list[tuple[str, int | None, list[str]]]:
    try:
        schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _cases(errors.failure_cases)
    return []


def _cases(cases: pl.DataFrame) -> list[tuple[str, int | None, list[str]]]:
    """(where and which check, failing rows or None for a schema-level failure, examples)."""
    found = []
    cases = cases.with_columns(pl.col("failure_case").cast(pl.String))
    for (context, column, check), group in cases.group_by("schema_context", "column", "check", maintain_order=True):
        where = f"column {column}" if context == "Column" else "rows"
        examples = [(v or "''")[:_MAX_EXAMPLE_CHARS] for v in group.get_column("failure_case").head(_MAX_EXAMPLES)]
        rows = None if group.get_column("index").is_null().all() else group.height
        found.append((f"{where}: {check}", rows, examples))
    return found


def _merge(cases: list[tuple[str, int | None, list[str]]]) -> list[str]:
    """One line per failed check, its row failures summed over the slices it ran on."""
    totals: dict[str, tuple[int | None, list[str]]] = {}
    for label, count, examples in cases:
        seen, kept = totals.get(label, (0, []))
        total = None if count is None else (seen or 0) + count
        totals[label] = (total, kept if count is None and kept else (kept + examples)[:_MAX_EXAMPLES])
    return [
        f"{label}: " + (f"fails, found {ex[0]}" if count is None else f"{count} row(s) fail, e.g. {'; '.join(ex)}")
        for label, (count, ex) in totals.items()
    ]
