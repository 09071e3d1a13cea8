"""The month-close summary printed by `meterbook close` and `meterbook demo`, read from the marts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from orchestration.domain.money import round_money


def _table(headers: list[str], rows: list[tuple], right: set[int]) -> str:
    cells = [headers, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    fmt = [
        "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in cells
    ]
    return "\n".join([fmt[0], "  ".join("-" * w for w in widths), *fmt[1:]])


def month_summary(warehouse: Path, month: date) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        invoices = con.execute(
            """
            select customer_id, invoice_kind, cast(period_start as varchar) || ' .. ' || cast(period_end as varchar),
                   status, line_count, currency, total
            from main.invoices where billing_month = ? order by customer_id, period_start, invoice_id
            """,
            [month],
        ).fetchall()
        totals = con.execute(
            "select currency, count(*), sum(total) from main.invoices "
            "where billing_month = ? group by currency order by currency",
            [month],
        ).fetchall()
        rec = con.execute(
            """
            select coalesce(sum(received), 0), coalesce(sum(accepted), 0), coalesce(sum(duplicates), 0),
                   coalesce(sum(quarantined), 0), coalesce(sum(events_unaccounted), 0)
            from main.reconciliation where billing_month = ?
            """,
            [month],
        ).fetchone()
        reasons = con.execute(
            "select reason_code, quarantined_count from main.quarantine_summary "
            "where billing_month = ? order by reason_code",
            [month],
        ).fetchall()
    invoices = [(*row[:-1], round_money(row[-1], row[-2])) for row in invoices]
    totals = [(cur, n, round_money(total, cur)) for cur, n, total in totals]
    out = [f"meterbook close {month:%Y-%m}", ""]
    out.append(_table(["customer", "kind", "period", "status", "lines", "cur", "total"], invoices, right={4, 6}))
    out.append("")
    out += [f"total billed: {total} {cur} over {n} invoice(s)" for cur, n, total in totals]
    received, accepted, duplicates, quarantined, unaccounted = rec
    status = "OK" if unaccounted == 0 and received == accepted + duplicates + quarantined else "MISMATCH"
    out.append(
        f"reconciliation: {status} received {received} = accepted {accepted} + duplicates {duplicates}"
        f" + quarantined {quarantined}"
    )
    if reasons:
        out.append("quarantined by reason: " + ", ".join(f"{r} {n}" for r, n in reasons))
    return "\n".join(out)
