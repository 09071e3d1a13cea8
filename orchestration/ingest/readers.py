"""One landing file -> raw rows, per format (JSON Lines, CSV, Parquet), without judging them.

Every reader returns the raw columns of `landing.RAW_SCHEMA` except the ones the landing folder
decides (`source_file`, `arrived_at`). Bad rows are kept and marked, never dropped: a JSON line
that is not an object, a CSV row with more fields than the header, a Parquet file that cannot be
read at all (one row, `source_line` 0) come out with `is_malformed` and a `malformed_detail`.
Blank lines carry no record and are skipped; line numbers still count them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl

from orchestration.ingest.timestamps import ISO_UTC, UTC_US

FIELDS = ("event_id", "customer_id", "event_type")
_NULL_TEXT = pl.lit(None, pl.String)


def _text_columns(**columns: pl.Expr) -> list[pl.Expr]:
    return [expr.cast(pl.String).alias(name) for name, expr in columns.items()]


def read_jsonl(path: Path) -> pl.LazyFrame:
    # A separator and quote that JSON text never contains raw keep each line whole as one string;
    # a line that does contain \x1f spills into `rest` and is malformed (raw control characters
    # are illegal in JSON anyway). Lossy decoding keeps a bad byte from failing the whole file.
    lines = pl.scan_csv(
        path,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        schema={"line": pl.String, "rest": pl.String},
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
        missing_columns="insert",
        raise_if_empty=False,
    ).with_row_index("source_line", offset=1)
    line = pl.col("line").str.strip_chars()
    parsed = line.str.json_path_match("$")
    is_object = line.str.starts_with("{") & parsed.is_not_null() & pl.col("rest").is_null()

    def field(name: str) -> pl.Expr:
        return pl.when(is_object).then(line.str.json_path_match(f"$.{name}"))

    # The parser re-prints numbers through binary floats; the properties object is therefore cut
    # out of the line as written, and trusted only when it is the same object the parser found.
    parsed_props = field("properties")
    written_props = line.str.extract(r'[{,][ \t]*"properties"[ \t]*:[ \t]*(\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})')
    same_object = written_props.str.json_path_match("$") == parsed_props
    detail = (
        pl.when(pl.col("rest").is_not_null())
        .then(pl.lit("line contains a raw control character (U+001F)"))
        .when(parsed.is_null())
        .then(pl.lit("line is not valid JSON"))
        .otherwise(pl.lit("line is JSON but not an object"))
    )
    return lines.filter(pl.col("rest").is_not_null() | (line.str.len_bytes() > 0)).select(
        *_text_columns(
            event_id=field("event_id"),
            customer_id=field("customer_id"),
            event_type=field("event_type"),
            event_at_raw=field("event_at"),
        ),
        pl.lit(None, UTC_US).alias("event_at_ts"),
        pl.when(same_object.fill_null(False)).then(written_props).otherwise(parsed_props).alias("properties_raw"),
        field("received_at").alias("received_at_raw"),
        pl.col("source_line").cast(pl.Int64),
        (~is_object).alias("is_malformed"),
        pl.when(~is_object).then(detail).alias("malformed_detail"),
    )


def read_csv(path: Path) -> pl.LazyFrame:
    """CSV with a header naming event_id, customer_id, event_type, event_at, properties (JSON text).

    `source_line` is the line number when every record is one line (the header is line 1).
    """
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        return empty_raw()
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    # One extra column catches rows with more fields than the header.
    overflow = f"c{len(names)}"
    frame = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=1,
        schema={f"c{i}": pl.String for i in range(len(names) + 1)},
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
        missing_columns="insert",
        raise_if_empty=False,
    ).with_row_index("row", offset=2)

    def column(name: str) -> pl.Expr:
        return pl.col(f"c{position[name]}") if name in position else _NULL_TEXT

    too_long = pl.col(overflow).is_not_null()
    blank = pl.all_horizontal(pl.col(f"c{i}").is_null() for i in range(len(names) + 1))
    return frame.filter(~blank).select(
        *_text_columns(
            event_id=column("event_id"),
            customer_id=column("customer_id"),
            event_type=column("event_type"),
            event_at_raw=column("event_at"),
        ),
        pl.lit(None, UTC_US).alias("event_at_ts"),
        column("properties").alias("properties_raw"),
        column("received_at").alias("received_at_raw"),
        pl.col("row").cast(pl.Int64).alias("source_line"),
        too_long.alias("is_malformed"),
        pl.when(too_long).then(pl.lit(f"row has more fields than the header's {len(names)}")).alias("malformed_detail"),
    )


def read_parquet(path: Path) -> pl.LazyFrame:
    """Parquet with the CSV columns; event_at as text or timestamp, properties as JSON text or struct."""
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as error:  # any unreadable file becomes one quarantined row, not a crash
        return unreadable_file(f"file could not be read as Parquet: {error}")
    frame = pl.scan_parquet(path).with_row_index("row", offset=1)

    def text(name: str) -> pl.Expr:
        return _as_text(name, schema[name]) if name in schema else _NULL_TEXT

    event_at = schema.get("event_at")
    typed = isinstance(event_at, pl.Datetime)
    received = schema.get("received_at")
    return frame.select(
        *_text_columns(**{name: text(name) for name in FIELDS}),
        (_NULL_TEXT if typed else text("event_at")).alias("event_at_raw"),
        (_utc(pl.col("event_at"), event_at) if typed else pl.lit(None, UTC_US)).alias("event_at_ts"),
        _properties_json(schema.get("properties")).alias("properties_raw"),
        (
            _utc(pl.col("received_at"), received).dt.to_string(ISO_UTC)
            if isinstance(received, pl.Datetime)
            else text("received_at")
        ).alias("received_at_raw"),
        pl.col("row").cast(pl.Int64).alias("source_line"),
        pl.lit(False).alias("is_malformed"),
        _NULL_TEXT.alias("malformed_detail"),
    )


def _utc(column: pl.Expr, dtype: pl.Datetime) -> pl.Expr:
    zoned = column.dt.replace_time_zone("UTC") if dtype.time_zone is None else column
    return zoned.dt.convert_time_zone("UTC").cast(UTC_US)


def _json_value(value: pl.Expr) -> pl.Expr:
    encoded = pl.struct(value.alias("v")).struct.json_encode()
    return encoded.str.slice(5, encoded.str.len_chars() - 6)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_nested():
        return _json_value(pl.col(name))
    return pl.col(name).cast(pl.String)


def _properties_json(dtype: pl.DataType | None) -> pl.Expr:
    if dtype is None or dtype == pl.Null:
        return _NULL_TEXT
    if not isinstance(dtype, pl.Struct):
        return _as_text("properties", dtype)
    # Absent keys of a struct column are null fields: leave them out rather than send nulls.
    struct = pl.col("properties")
    pieces = [
        pl.when(struct.struct.field(f.name).is_not_null()).then(
            pl.lit(json.dumps(f.name) + ":") + _json_value(struct.struct.field(f.name))
        )
        for f in sorted(dtype.fields, key=lambda f: f.name)
    ]
    body = pl.concat_str(pieces, separator=",", ignore_nulls=True) if pieces else pl.lit("")
    return pl.when(struct.is_not_null()).then(pl.lit("{") + body + pl.lit("}"))


def unreadable_file(detail: str) -> pl.LazyFrame:
    return pl.LazyFrame(
        {"source_line": [0], "is_malformed": [True], "malformed_detail": [detail]},
        schema_overrides={"source_line": pl.Int64},
    ).select(
        *[_NULL_TEXT.alias(name) for name in (*FIELDS, "event_at_raw")],
        pl.lit(None, UTC_US).alias("event_at_ts"),
        _NULL_TEXT.alias("properties_raw"),
        _NULL_TEXT.alias("received_at_raw"),
        "source_line",
        "is_malformed",
        "malformed_detail",
    )


def empty_raw() -> pl.LazyFrame:
    return unreadable_file("").clear()
