"""The landing folder: every event file under it, read lazily as raw rows with their arrival time.

Files: `*.jsonl`, `*.ndjson`, `*.csv`, `*.parquet` anywhere under the folder (any case of the
extension); hidden files and folders (a leading dot, e.g. uploads in progress) are not read.
Arrival of a row, in order of preference: its own `received_at` when it parses; the end of the
day named by the first folder of its path spelled `YYYY-MM-DD` or `arrived=YYYY-MM-DD` (the file
arrived during that day, so by its end at the latest); the file's modification time.

Raw columns (`RAW_SCHEMA`): the fields as text exactly as sent (no trimming), `source_file`
(path relative to the folder, `/`-separated), `source_line` (1-based line; CSV counts its header
as line 1; Parquet counts rows), `is_malformed`, `arrived_at`, plus two that spare work downstream:
`event_at_ts` (a Parquet timestamp column, already an instant, so its text is left null) and
`malformed_detail` (why a row is malformed).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl

from orchestration.ingest.readers import empty_raw, read_csv, read_jsonl, read_parquet
from orchestration.ingest.timestamps import UTC_US, parse_instant

RAW_SCHEMA = pl.Schema(
    {
        "event_id": pl.String,
        "customer_id": pl.String,
        "event_type": pl.String,
        "event_at_raw": pl.String,
        "event_at_ts": UTC_US,
        "properties_raw": pl.String,
        "received_at_raw": pl.String,
        "source_file": pl.String,
        "source_line": pl.Int64,
        "is_malformed": pl.Boolean,
        "malformed_detail": pl.String,
        "arrived_at": UTC_US,
    }
)

READERS = {".jsonl": read_jsonl, ".ndjson": read_jsonl, ".csv": read_csv, ".parquet": read_parquet}
_ARRIVAL_FOLDER = re.compile(r"^(?:arrived=)?(\d{4}-\d{2}-\d{2})$")


def scan_landing(landing_dir: Path) -> pl.LazyFrame:
    """All raw rows of the landing folder, in a stable order (files by path, rows by line)."""
    landing_dir = Path(landing_dir)
    if not landing_dir.is_dir():
        raise FileNotFoundError(f"landing folder {landing_dir} does not exist (set METERBOOK_LANDING)")
    frames = [_scan_file(path, landing_dir) for path in landing_files(landing_dir)]
    if not frames:
        return _with_arrival(empty_raw(), "", datetime(1970, 1, 1, tzinfo=UTC))
    return pl.concat(frames, how="vertical")


def landing_files(landing_dir: Path) -> list[Path]:
    found = []
    for path in landing_dir.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(landing_dir).parts)
        if path.suffix.lower() in READERS and path.is_file() and not hidden:
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(landing_dir).as_posix())


def default_arrival(path: Path, landing_dir: Path) -> datetime:
    """End of the day named by the path's first arrival-date folder, else the file's mtime."""
    for part in path.relative_to(landing_dir).parent.parts:
        match = _ARRIVAL_FOLDER.match(part)
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _scan_file(path: Path, landing_dir: Path) -> pl.LazyFrame:
    frame = READERS[path.suffix.lower()](path)
    return _with_arrival(frame, path.relative_to(landing_dir).as_posix(), default_arrival(path, landing_dir))


def _with_arrival(frame: pl.LazyFrame, source_file: str, arrival: datetime) -> pl.LazyFrame:
    arrived = pl.coalesce(parse_instant(pl.col("received_at_raw")), pl.lit(arrival, UTC_US))
    return frame.with_columns(source_file=pl.lit(source_file, pl.String), arrived_at=arrived.cast(UTC_US)).select(
        RAW_SCHEMA.names()
    )
