"""The lake: Parquet tables that the Python assets write and dbt reads as sources.

Layout: `<lake>/<table>/month=YYYY-MM/part-0.parquet` for monthly tables (one folder per
partition, replaced whole on every run) and `<lake>/contracts/<table>.parquet` for the
unpartitioned contract tables. Writes go to a temporary folder first and are swapped in, so a
crash half-way never leaves a partition half-written (C21).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import polars as pl


def partition_dir(lake: Path, table: str, month: date) -> Path:
    return lake / table / f"month={month:%Y-%m}"


# zstd at its fastest level: about the write speed of lz4 or snappy here, with smaller files. No
# column statistics: min/max of ten million JSON property texts cost more than a second a write, and
# readers prune by the month folder, not by statistics.
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 1, "statistics": False, "row_group_size": 250_000}


@contextmanager
def staged_partition(lake: Path, table: str, month: date) -> Iterator[Path]:
    """A file to write one month of a lake table to, swapped in whole when the block exits cleanly.

    For a writer that is not one frame (one query sinking several files at once); an error inside
    the block leaves the previous partition as it was.
    """
    final = partition_dir(lake, table, month)
    staging = final.parent / f".tmp-{final.name}-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        yield staging / "part-0.parquet"
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = final.parent / f".old-{final.name}-{uuid.uuid4().hex}"
    if final.exists():
        final.rename(backup)
    staging.rename(final)
    shutil.rmtree(backup, ignore_errors=True)


def write_partition(lake: Path, table: str, month: date, frame: pl.DataFrame | pl.LazyFrame) -> Path:
    """Replace one month of a lake table. Returns the written file."""
    with staged_partition(lake, table, month) as target:
        if isinstance(frame, pl.LazyFrame):
            frame.sink_parquet(target, **PARQUET_OPTIONS)
        else:
            frame.write_parquet(target, **PARQUET_OPTIONS)
    return partition_dir(lake, table, month) / "part-0.parquet"


def scan_partitions(lake: Path, table: str, months: list[date] | None = None) -> pl.LazyFrame | None:
    """Lazily read some (or all) months of a lake table; None when nothing has been written yet."""
    base = lake / table
    if months is None:
        files = sorted(base.glob("month=*/part-0.parquet"))
    else:
        files = [p for m in months if (p := partition_dir(lake, table, m) / "part-0.parquet").exists()]
    if not files:
        return None
    return pl.scan_parquet(files)


def write_table(lake: Path, table: str, frame: pl.DataFrame) -> Path:
    target = lake / "contracts" / f"{table}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex}.parquet")
    frame.write_parquet(tmp, compression="zstd")
    tmp.replace(target)
    return target


def read_table(lake: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(lake / "contracts" / f"{table}.parquet")
