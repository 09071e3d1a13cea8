"""`meterbook demo`: land generated months of the sample world, close them, say what was planted.

One month (`--month 2026-10`) or a run of them (`--months 2026-01..2026-12`): each month is
generated and closed in order, as the schedule would close them, and a run ends with the balance
of every commit and credit at every month end (the `commit_ledger` of the last close).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import duckdb

from orchestration.domain.money import round_money
from orchestration.domain.periods import add_months
from orchestration.sample.generate import GenerationManifest, generate_month
from orchestration.settings import MeterbookSettings
from orchestration.summary import _table

DEMO_SEED = 2026


def prepare_demo(settings: MeterbookSettings, partition_key: str, scale: float = 1.0) -> str:
    """Generate the month of `partition_key` ('2026-10-01') into the landing folder; a summary."""
    month = date.fromisoformat(partition_key)
    settings.landing.mkdir(parents=True, exist_ok=True)
    return describe(generate_month(month, settings.landing, seed=DEMO_SEED, scale=scale))


def demo_months(spec: str) -> list[str]:
    """'2026-01..2026-12' -> every month from the first to the last, inclusive; '2026-10' -> itself.

    A day after the month ('2026-10-01', a partition key) is accepted and ignored, as `meterbook close` does.
    """
    first, _, last = spec.partition("..")
    try:
        start = datetime.strptime(first.strip()[:7], "%Y-%m").date()
        end = datetime.strptime((last or first).strip()[:7], "%Y-%m").date()
    except ValueError:
        raise ValueError(f"months {spec!r}: expected YYYY-MM or YYYY-MM..YYYY-MM, e.g. 2026-01..2026-12") from None
    if end < start:
        raise ValueError(f"months {spec!r}: {last} is before {first}")
    months, cursor = [], start
    while cursor <= end:
        months.append(f"{cursor:%Y-%m}")
        cursor = add_months(cursor, 1)
    return months


def run_demo(
    settings: MeterbookSettings,
    months: list[str],
    close: Callable[[str], bool],
    scale: float = 1.0,
    report: Callable[[str], None] = print,
) -> list[str]:
    """Generate and close each month in order; stop at the first close that fails.

    `close(month)` closes 'YYYY-MM' and says whether it succeeded. Returns the months closed.
    """
    closed = []
    for month in months:
        report(prepare_demo(settings, f"{month}-01", scale=scale))
        if not close(month):
            break
        closed.append(month)
    return closed


def describe(manifest: GenerationManifest) -> str:
    planted = ", ".join(f"{code} {n}" for code, n in manifest.planted.items())
    return "\n".join(
        [
            f"Generated {manifest.month:%B %Y}: {manifest.total_rows:,} rows in {len(manifest.files)} files",
            f"  clean events {manifest.accepted:,} ({manifest.alias_events:,} sent under an alias), "
            f"exact re-deliveries {manifest.duplicates}",
            f"  planted for quarantine ({manifest.quarantined}): {planted}",
        ]
    )


def ledger_summary(warehouse: Path, month: date) -> str:
    """Every commit and credit at every month end, as the close of `month` states them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select commit_id, kind, strftime(ledger_month, '%Y-%m'), currency, opening_balance, released, drawn,
                   expired, rolled_over, closing_balance
            from main.commit_ledger where billing_month = ? order by customer_id, commit_id, ledger_month
            """,
            [month],
        ).fetchall()
    if not rows:
        return f"commit ledger as of {month:%Y-%m}: no commits or credits"
    headers = ["commit", "kind", "month", "opening", "released", "drawn", "expired", "rolled over", "closing"]
    cells = [(*row[:3], *(round_money(v, row[3]) for v in row[4:])) for row in rows]
    table = _table(headers, cells, right=set(range(3, len(headers))))
    balanced = all(row[4] + row[5] - row[6] - row[7] == row[9] and row[9] >= 0 for row in rows)
    status = "every row balances" if balanced else "UNBALANCED ROWS"
    return f"commit ledger as of {month:%Y-%m} ({status}):\n{table}"
