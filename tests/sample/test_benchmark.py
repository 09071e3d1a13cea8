"""Benchmark Parquet data: chunked files, the promised shape, and a known number of duplicates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from orchestration.ingest.landing import scan_landing
from orchestration.ingest.validate import ingest_month
from orchestration.sample import benchmark
from orchestration.sample.benchmark import generate_benchmark

OCT = date(2026, 10, 1)


def test_benchmark_files_and_ingestion(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "ROWS_PER_FILE", 10_000)
    root = generate_benchmark(tmp_path, 25_000, n_customers=50, month=OCT, seed=3)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert files == ["2026-11-01/part-0000.parquet", "2026-11-01/part-0001.parquet", "2026-11-01/part-0002.parquet"]
    frame = pl.read_parquet(root / "2026-11-01")
    assert frame.height == 25_000
    assert frame.schema == pl.Schema(
        {
            "event_id": pl.String,
            "customer_id": pl.String,
            "event_type": pl.String,
            "event_at": pl.Datetime("us", "UTC"),
            "properties": pl.String,
        }
    )
    assert set(frame.get_column("customer_id").unique()) <= {f"cust-{i:04d}" for i in range(1, 51)}
    assert set(frame.get_column("event_type").unique()) == {"workflow_run", "api_call", "llm_call"}
    span = frame.select(first=pl.col("event_at").min(), last=pl.col("event_at").max()).row(0)
    assert datetime(2026, 10, 1, tzinfo=UTC) <= span[0] and span[1] < datetime(2026, 11, 1, tzinfo=UTC)

    aliases = {f"cust-{i:04d}": f"cust-{i:04d}" for i in range(1, 51)}
    result = ingest_month(scan_landing(root), OCT, aliases, {}, {"llm_call": ["tokens"]})
    # 0.2% of each file re-delivered: 20 + 20 + 10 = 50 duplicates of 25,000 rows.
    totals = result.counts.select(pl.col("received", "accepted", "duplicates", "quarantined").sum()).row(0)
    assert totals == (25_000, 24_950, 50, 0)


def test_benchmark_is_deterministic(tmp_path):
    one = generate_benchmark(tmp_path / "a", 5_000, n_customers=10, month=OCT, seed=9)
    two = generate_benchmark(tmp_path / "b", 5_000, n_customers=10, month=OCT, seed=9)
    assert pl.read_parquet(one / "2026-11-01").equals(pl.read_parquet(two / "2026-11-01"))
