"""One month of ingestion: raw landing rows -> accepted events, quarantine, duplicates, counts.

`ingest_month` is pure (no Dagster, no writes). It keeps the rows that belong to the month's
partition (see `assignment`), gives each bad row one reason (`reasons`), settles repeated keys
(`dedupe`) and counts every row once: per (customer, usage month),
received = accepted + duplicates + quarantined, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import polars as pl

from orchestration.ingest import outcomes, tables
from orchestration.ingest.dedupe import KEY, decide, key_hash, repeated_hashes
from orchestration.ingest.reasons import FUTURE_TOLERANCE, check_rows, event_at_text
from orchestration.ingest.schemas import CHUNK_ROWS
from orchestration.ingest.timestamps import UTC_US, as_utc

_OPTIONAL_RAW = {"event_at_ts": UTC_US, "malformed_detail": pl.String, "received_at_raw": pl.String}
_KEPT = [*tables.EVENTS.names(), "reason_code", "bad_property", "malformed_detail", "key_hash"]
_VALID = pl.col("reason_code").is_null()


@dataclass(frozen=True)
class IngestResult:
    """One partition's tables, in the lake schemas of `tables` (docs/architecture.md).

    `event_parts` are the accepted events as consecutive lazy slices of the month already collected
    in memory (each a zero-copy window filtered on its own), for checks that build one slice at a
    time: a slice of the whole filtered month would filter every row before it again. `events` is
    all of them, lazily, so writing it (sink_parquet) streams instead of copying.
    `counts_by_reason` is (reason_code, quarantined) in code order.
    """

    event_parts: tuple[pl.LazyFrame, ...]
    quarantine: pl.DataFrame
    duplicates: pl.DataFrame
    counts: pl.DataFrame
    counts_by_reason: pl.DataFrame

    @property
    def events(self) -> pl.LazyFrame:
        return pl.concat(self.event_parts)


def ingest_month(
    raw: pl.LazyFrame,
    month_start: date,
    aliases: dict[str, str],
    finalized_cutoffs: dict[date, datetime],
    numeric_properties: dict[str, list[str]],
) -> IngestResult:
    """Ingest the partition of `month_start`.

    `aliases` maps every id an event may carry to its canonical customer id: each alias, and each
    canonical id to itself (an id that is only ever a value counts as known too).
    `finalized_cutoffs`: finalized usage months -> the arrival cutoff they were finalized with.
    `numeric_properties`: event type -> properties a metric sums or compares.
    """
    raw = _complete(raw)
    checked = check_rows(raw, aliases, numeric_properties, finalized_cutoffs).with_columns(
        key_hash=pl.when(_VALID).then(key_hash())
    )
    rows = (
        checked.filter(pl.col("arrived_at") >= _earliest_arrival(month_start, finalized_cutoffs))
        .filter(pl.col("partition_month") == month_start)
        .select(
            *[name for name in _KEPT if name != "source_file"],
            # A few files repeat on every row: categories keep ten million copies out of memory.
            pl.col("source_file").cast(pl.Categorical),
            pl.when(~_VALID).then(event_at_text()).alias("event_at_raw"),
            pl.when(~_VALID).then(pl.col("properties_raw")).alias("properties_raw"),
        )
        .collect(engine="streaming")
    )
    reference = _reference_copies(checked, _pick(rows, _VALID & pl.col("is_late")), month_start)
    repeated = pl.concat([repeated_hashes(rows.get_column("key_hash")), reference.get_column("key_hash")])
    candidate = pl.col("key_hash").is_in(repeated.implode()).fill_null(False)
    copies = [_pick(rows, candidate).with_columns(is_reference=pl.lit(False)), reference]
    decided = decide(
        pl.concat(f.select(*_KEPT, "is_reference").with_columns(pl.col("source_file").cast(pl.String)) for f in copies)
    )
    single = [
        tables.conform(rows.slice(offset, CHUNK_ROWS).lazy().filter(_VALID & ~candidate), tables.EVENTS)
        for offset in range(0, rows.height, CHUNK_ROWS)
    ]
    accepted = tables.conform(decided.lazy().filter(pl.col("outcome") == "accepted"), tables.EVENTS)
    quarantined = outcomes.quarantine(
        _pick(rows, ~_VALID), decided.filter(pl.col("outcome") == "conflicting_duplicate")
    )
    duplicates = decided.filter(pl.col("outcome") == "duplicate").sort("source_file", "source_line")
    return IngestResult(
        event_parts=(*single, accepted),
        quarantine=quarantined,
        duplicates=tables.conform(duplicates, tables.DUPLICATES),
        counts=outcomes.counts(rows, decided),
        counts_by_reason=outcomes.counts_by_reason(quarantined),
    )


def _pick(rows: pl.DataFrame, predicate: pl.Expr) -> pl.DataFrame:
    """A few rows of the month. An eager filter would first copy the whole (chunked) frame."""
    return rows.lazy().filter(predicate).collect(engine="streaming")


def _complete(raw: pl.LazyFrame) -> pl.LazyFrame:
    """Raw frames built by hand may leave out the columns only the landing readers fill."""
    present = raw.collect_schema().names()
    missing = {name: dtype for name, dtype in _OPTIONAL_RAW.items() if name not in present}
    return raw.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in missing.items())


def _earliest_arrival(month_start: date, finalized_cutoffs: dict[date, datetime]) -> datetime:
    """No row of the partition arrived before this, which lets a big landing folder skip old files.

    Own rows arrived at most 24 h before their event_at; arrival-dated rows arrived in the month;
    a late row billed here but arriving before the month passed the previous month's cutoff.
    """
    earliest = datetime.combine(month_start, time(0), UTC) - FUTURE_TOLERANCE
    previous = date(month_start.year - (month_start.month == 1), (month_start.month - 2) % 12 + 1, 1)
    if previous in finalized_cutoffs:
        earliest = min(earliest, as_utc(finalized_cutoffs[previous]))
    return earliest


def _reference_copies(checked: pl.LazyFrame, late: pl.DataFrame, month_start: date) -> pl.DataFrame:
    """Valid copies of this partition's late keys that earlier partitions already ingested."""
    if late.is_empty():
        return late.select(*_KEPT, is_reference=pl.lit(True))
    earlier = checked.filter(
        pl.col("usage_month").is_in(late.get_column("usage_month").unique().implode())
        & (pl.col("partition_month") < month_start)
        & pl.col("reason_code").is_null()
    )
    keys = late.lazy().select(KEY).unique()
    return earlier.join(keys, on=KEY, how="semi").select(*_KEPT, is_reference=pl.lit(True)).collect()
