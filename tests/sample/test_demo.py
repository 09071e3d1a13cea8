"""`meterbook demo` lands the generated month where the settings point and says what it planted."""

from __future__ import annotations

from orchestration.sample.demo import prepare_demo
from orchestration.settings import MeterbookSettings


def test_prepare_demo_writes_the_month(tmp_path):
    settings = MeterbookSettings(
        landing_dir=str(tmp_path / "landing"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "w.duckdb"),
        contracts_dir=str(tmp_path / "contracts"),
        exports_dir=str(tmp_path / "exports"),
    )
    summary = prepare_demo(settings, "2026-10-01", scale=0.1)
    assert summary.startswith("Generated October 2026: ")
    assert "planted for quarantine" in summary
    assert (tmp_path / "landing" / "2026-10-manifest.json").exists()
    assert any((tmp_path / "landing").glob("2026-10-*/events-2026-10-01.jsonl"))
