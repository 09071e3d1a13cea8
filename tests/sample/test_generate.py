"""The generated demo month: deterministic, realistic in shape, and its dirt found by ingestion."""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl
import pytest

from orchestration.ingest.landing import scan_landing
from orchestration.ingest.validate import ingest_month
from orchestration.sample import world
from orchestration.sample.generate import generate_month

OCT = date(2026, 10, 1)


def ingest(root, month=OCT):
    return ingest_month(scan_landing(root), month, world.ALIASES, {}, world.NUMERIC_PROPERTIES)


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    manifest = generate_month(OCT, root, seed=11)
    return root, manifest, ingest(root)


def test_ingestion_finds_exactly_what_was_planted(october):
    _, manifest, result = october
    assert dict(result.counts_by_reason.iter_rows()) == manifest.planted
    summed = result.counts.select(pl.col("received", "accepted", "duplicates", "quarantined").sum()).row(0)
    assert summed == (manifest.total_rows, manifest.accepted, manifest.duplicates, manifest.quarantined)
    assert manifest.total_rows == manifest.accepted + manifest.duplicates + sum(manifest.planted.values())
    events = result.events.collect()
    by_customer = dict(events.group_by("customer_id").len().sort("customer_id").iter_rows())
    assert by_customer == manifest.accepted_by_customer
    assert events.filter(pl.col("customer_id") != pl.col("sent_customer_id")).height == manifest.alias_events


def test_every_reason_code_but_none_is_planted(october):
    _, manifest, _ = october
    from orchestration.ingest.reasons import REASON_CODES

    assert set(manifest.planted) == set(REASON_CODES)
    assert all(n >= 1 for n in manifest.planted.values())


def test_a_realistic_month(october):
    _, manifest, result = october
    assert 20_000 <= manifest.accepted <= 80_000  # "a few tens of thousands"
    events = result.events.collect()
    assert set(events.get_column("customer_id").unique()) == {c.id for c in world.CUSTOMERS}
    emitted = {(c.id, s.event_type) for c in world.CUSTOMERS for s in c.streams}
    assert set(events.select("customer_id", "event_type").unique().iter_rows()) == emitted
    assert {"nw-prod", "globex-eu", "acme-corp"} <= set(events.get_column("sent_customer_id").unique())
    # Weekdays are busier than weekends.
    daily = events.group_by(pl.col("event_at").dt.date().alias("day")).len()
    weekend = daily.filter(pl.col("day").dt.weekday() >= 6).get_column("len").mean()
    weekday = daily.filter(pl.col("day").dt.weekday() <= 5).get_column("len").mean()
    assert weekday > 2 * weekend
    # Failed runs are about 5% of workflow runs.
    runs = events.filter(pl.col("event_type") == "workflow_run").get_column("properties")
    failed = runs.str.contains('"status":"failed"').mean()
    assert 0.03 < failed < 0.07
    # One storage snapshot a day for acme.
    assert events.filter(pl.col("event_type") == "storage_snapshot").height == 31


def test_events_arrive_the_same_day_or_the_next(october):
    root, manifest, result = october
    events = result.events.collect()
    # A file in folder D arrived during D (arrived_at is the end of D).
    lag = (pl.col("arrived_at").dt.date() - timedelta(days=1) - pl.col("event_at").dt.date()).dt.total_days()
    assert set(events.select(lag).to_series().unique()) == {0, 1}
    assert all(path.split("/")[1].startswith("events-2026-10-") for path in manifest.files)
    assert sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.jsonl")) == manifest.files


def test_manifest_file(october):
    root, manifest, _ = october
    written = json.loads((root / "2026-10-manifest.json").read_text())
    assert written["month"] == "2026-10-01"
    assert written["planted"] == manifest.planted
    assert written["total_rows"] == manifest.total_rows


def test_same_seed_same_bytes_and_reruns_replace(tmp_path):
    first = generate_month(OCT, tmp_path / "a", seed=5, scale=0.2)
    second = generate_month(OCT, tmp_path / "b", seed=5, scale=0.2)
    assert first.files == second.files
    for name in first.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    other = generate_month(OCT, tmp_path / "b", seed=6, scale=0.1)
    assert other.total_rows != first.total_rows
    # The re-run removed the earlier files of the month: ingestion sees only the new ones.
    result = ingest(tmp_path / "b")
    assert result.counts.get_column("received").sum() == other.total_rows
    assert dict(result.counts_by_reason.iter_rows()) == other.planted


def test_scale(october, tmp_path):
    _, full, _ = october
    quarter = generate_month(OCT, tmp_path, seed=11, scale=0.25)
    assert 0.15 < quarter.accepted / full.accepted < 0.35


def test_two_generated_months_share_an_arrival_day(tmp_path):
    october = generate_month(OCT, tmp_path, seed=1, scale=0.1)
    november = generate_month(date(2026, 11, 1), tmp_path, seed=2, scale=0.1)
    assert "2026-11-01" in {f.split("/")[0] for f in october.files} & {f.split("/")[0] for f in november.files}
    for month, manifest in ((OCT, october), (date(2026, 11, 1), november)):
        counted = ingest(tmp_path, month).counts.select(pl.col("received", "accepted").sum()).row(0)
        assert counted == (manifest.total_rows, manifest.accepted)
