"""`meterbook demo` lands generated months where the settings point, says what it planted, closes them in order."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from orchestration.cli import build_parser
from orchestration.sample.demo import demo_months, ledger_summary, prepare_demo, run_demo
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


@pytest.mark.parametrize(
    ("spec", "months"),
    [
        ("2026-10", ["2026-10"]),
        ("2026-10-01", ["2026-10"]),
        ("2026-01..2026-03", ["2026-01", "2026-02", "2026-03"]),
        ("2026-11..2027-02", ["2026-11", "2026-12", "2027-01", "2027-02"]),
    ],
)
def test_demo_months(spec, months):
    assert demo_months(spec) == months


def test_demo_months_a_whole_year():
    assert len(demo_months("2026-01..2026-12")) == 12


@pytest.mark.parametrize(("spec", "message"), [("2026-12..2026-01", "is before"), ("october", "expected YYYY-MM")])
def test_demo_months_rejects(spec, message):
    with pytest.raises(ValueError, match=message):
        demo_months(spec)


def settings_in(tmp_path) -> MeterbookSettings:
    return MeterbookSettings(
        landing_dir=str(tmp_path / "landing"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "w.duckdb"),
        contracts_dir=str(tmp_path / "contracts"),
        exports_dir=str(tmp_path / "exports"),
    )


def test_run_demo_generates_each_month_before_closing_it_and_stops_at_a_failure(tmp_path):
    settings = settings_in(tmp_path)
    seen = []

    def close(month: str) -> bool:
        # The month's files are landed by the time it is closed, and no later month's are.
        seen.append((month, sorted(p.name for p in settings.landing.glob("*-manifest.json"))))
        return month != "2026-02"

    reports = []
    closed = run_demo(settings, ["2026-01", "2026-02", "2026-03"], close, scale=0.02, report=reports.append)
    assert closed == ["2026-01"]
    assert seen == [
        ("2026-01", ["2026-01-manifest.json"]),
        ("2026-02", ["2026-01-manifest.json", "2026-02-manifest.json"]),
    ]
    assert [r.splitlines()[0].split(":")[0] for r in reports] == ["Generated January 2026", "Generated February 2026"]


def test_demo_command_takes_a_month_or_a_run_of_months():
    parser = build_parser()
    args = parser.parse_args(["demo", "--months", "2026-01..2026-12", "--scale", "0.05"])
    assert (args.months, args.scale) == ("2026-01..2026-12", 0.05)
    assert parser.parse_args(["demo"]).month == "2026-10"
    with pytest.raises(SystemExit):
        parser.parse_args(["demo", "--month", "2026-10", "--months", "2026-01..2026-02"])


def test_ledger_summary_shows_every_month_end(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table commit_ledger (billing_month date, customer_id varchar, commit_id varchar, kind varchar,"
            " currency varchar, ledger_month date, opening_balance decimal(38, 10), released decimal(38, 10),"
            " drawn decimal(38, 10), expired decimal(38, 10), rolled_over decimal(38, 10),"
            " closing_balance decimal(38, 10))"
        )
        # 0 + 300 - 120.5 - 0 = 179.50, then 179.50 + 0 - 79.5 - 100 = 0.00
        con.execute(
            "insert into commit_ledger values "
            "('2026-02-01', 'c', 'promo', 'credit', 'USD', '2026-01-01', 0, 300, 120.5, 0, 0, 179.5),"
            "('2026-02-01', 'c', 'promo', 'credit', 'USD', '2026-02-01', 179.5, 0, 79.5, 100, 0, 0)"
        )
    text = ledger_summary(warehouse, date(2026, 2, 1))
    assert text.splitlines()[0] == "commit ledger as of 2026-02 (every row balances):"
    assert [line.split()[:3] + line.split()[-1:] for line in text.splitlines()[3:]] == [
        ["promo", "credit", "2026-01", "179.50"],
        ["promo", "credit", "2026-02", "0.00"],
    ]
