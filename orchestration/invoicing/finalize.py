"""Finalization and voiding: drafts become numbered invoices that no later run can change.

A month is finalized by the `finalize_month` Dagster job (`meterbook finalize YYYY-MM`): it closes
the month once more with an arrival cutoff (rows arriving later are late, billed as adjustments on
a later invoice: billing-semantics.md, "Events"), and only if every blocking check of that close
passes, the finalize step:

1. refuses inside the grace period (default 24 h after the month ends);
2. refuses unless `quality.verify_month` passes against the warehouse and lake as they stand;
3. in one transaction, numbers the month's `draft` invoices and appends them and their lines to
   `billing_state` (state.py) with the audit stamp, and records the month with its cutoff;
4. rebuilds the marts that read the state, so `invoices` shows them `finalized`.

Re-finalizing a finalized month changes nothing, except that a voided invoice's replacement
(recomputed as a draft by the close) is finalized with a new number. Voiding
(`void_invoice`) appends to `billing_state.invoice_voids` and never deletes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version

import duckdb

from orchestration.domain.periods import add_months
from orchestration.invoicing.state import INVOICE_COLUMNS, LINE_COLUMNS, STATE_SCHEMA, ensure_state_tables
from orchestration.settings import MeterbookSettings

NUMBER = re.compile(r"^MB-(\d{4})-(\d{6})$")
# Columns of billing_state.invoices that finalization stamps rather than copies from the mart.
_STAMPED = ("replaces_invoice_number", "finalized_at", "close_run_id", "finalize_run_id", "meterbook_version")


def meterbook_version() -> str:
    try:
        return version("meterbook")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


class FinalizeRefused(Exception):
    """Finalization did not happen; the message says why (shown in the CLI and the Dagster UI)."""


@dataclass
class FinalizeOutcome:
    month: date
    already_finalized: bool
    invoices: list[dict] = field(default_factory=list)  # number, invoice_id, customer_id, currency, total

    def describe(self) -> str:
        head = f"{self.month:%Y-%m}: "
        if not self.invoices:
            nothing = "already finalized; nothing changed" if self.already_finalized else "no invoices to finalize"
            return head + nothing
        out = [head + f"finalized {len(self.invoices)} invoice(s)"]
        for inv in self.invoices:
            replaces = f"  (replaces {inv['replaces_invoice_number']})" if inv.get("replaces_invoice_number") else ""
            amount = f"{inv['total']:>14} {inv['currency']}"
            out.append(f"  {inv['invoice_number']}  {inv['customer_id']:<20} {amount}{replaces}")
        return "\n".join(out)


def as_utc_naive(moment: datetime) -> datetime:
    """State timestamps are naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def grace_ends(month: date, grace_hours: int) -> datetime:
    return datetime.combine(add_months(month, 1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=grace_hours)


def check_grace(month: date, now: datetime, grace_hours: int) -> None:
    ends = grace_ends(month, grace_hours)
    if now.astimezone(UTC) < ends:
        raise FinalizeRefused(
            f"{month:%Y-%m} is in its grace period until {ends:%Y-%m-%d %H:%M} UTC "
            f"({grace_hours} h after the month ends); late events may still arrive. Finalize after that."
        )


def _next_number(con: duckdb.DuckDBPyConnection, year: int) -> int:
    rows = con.execute(
        f"select invoice_number from {STATE_SCHEMA}.invoices where invoice_number like ?", [f"MB-{year}-%"]
    ).fetchall()
    return max((int(m.group(2)) for (n,) in rows if (m := NUMBER.match(n))), default=0) + 1


def is_finalized(con: duckdb.DuckDBPyConnection, month: date) -> bool:
    query = f"select count(*) from {STATE_SCHEMA}.month_closes where usage_month = ?"
    return con.execute(query, [month]).fetchone()[0] > 0


def write_finalized(
    settings: MeterbookSettings,
    month: date,
    *,
    now: datetime,
    cutoff: datetime,
    close_run_id: str,
    finalize_run_id: str,
) -> FinalizeOutcome:
    """Number the month's drafts and append them to billing_state, in one transaction."""
    stamp = as_utc_naive(now)
    with duckdb.connect(str(settings.warehouse)) as con:
        ensure_state_tables(con)
        con.execute("begin transaction")
        try:
            already = is_finalized(con, month)
            # One number per draft, in customer order, continuing the year's sequence.
            first = _next_number(con, month.year)
            con.execute(
                f"""
                create or replace temp table numbered as
                select
                    drafts.invoice_id,
                    printf('MB-%d-%06d', {month.year}, ? - 1 + row_number() over (
                        order by drafts.customer_id, drafts.invoice_kind, drafts.period_start, drafts.invoice_id
                    )) as invoice_number,
                    (
                        select max(voids.invoice_number) from {STATE_SCHEMA}.invoice_voids as voids
                        where voids.billing_month = drafts.billing_month and voids.invoice_id = drafts.invoice_id
                    ) as replaces_invoice_number
                from main.invoices as drafts
                where drafts.billing_month = ? and drafts.status = 'draft'
                """,
                [first, month],
            )
            copied = [c for c in INVOICE_COLUMNS if c not in _STAMPED and c != "invoice_number"]
            con.execute(
                f"""
                insert into {STATE_SCHEMA}.invoices ({", ".join(INVOICE_COLUMNS)})
                select numbered.invoice_number, {", ".join(f"drafts.{c}" for c in copied)},
                       numbered.replaces_invoice_number, ?, ?, ?, ?
                from main.invoices as drafts
                inner join numbered on drafts.invoice_id = numbered.invoice_id
                where drafts.billing_month = ? and drafts.status = 'draft'
                """,
                [stamp, close_run_id, finalize_run_id, meterbook_version(), month],
            )
            lines = [c for c in LINE_COLUMNS if c != "invoice_number"]
            con.execute(
                f"""
                insert into {STATE_SCHEMA}.invoice_lines ({", ".join(LINE_COLUMNS)})
                select numbered.invoice_number, {", ".join(f"lines.{c}" for c in lines)}
                from main.invoice_lines as lines
                inner join numbered on lines.invoice_id = numbered.invoice_id
                where lines.billing_month = ? and lines.invoice_status = 'draft'
                """,
                [month],
            )
            cursor = con.execute(
                """
                select numbered.invoice_number, drafts.invoice_id, drafts.customer_id, drafts.currency,
                       drafts.total, numbered.replaces_invoice_number
                from numbered
                inner join main.invoices as drafts
                    on drafts.invoice_id = numbered.invoice_id and drafts.billing_month = ? and drafts.status = 'draft'
                order by numbered.invoice_number
                """,
                [month],
            )
            names = [d[0] for d in cursor.description]
            finalized = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            if not already:
                con.execute(
                    f"""
                    insert into {STATE_SCHEMA}.month_closes
                        (usage_month, data_cutoff_at, finalized_at, close_run_id, finalize_run_id,
                         meterbook_version, invoice_count)
                    values (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        month,
                        as_utc_naive(cutoff),
                        stamp,
                        close_run_id,
                        finalize_run_id,
                        meterbook_version(),
                        len(finalized),
                    ],
                )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return FinalizeOutcome(month, already, finalized)


@dataclass(frozen=True)
class VoidRecord:
    invoice_number: str
    billing_month: date
    invoice_id: str


def void_invoice(settings: MeterbookSettings, number: str, reason: str, *, now: datetime, run_id: str) -> VoidRecord:
    """Append the void of a finalized invoice. Its replacement is finalized by the next finalize run."""
    if not reason.strip():
        raise FinalizeRefused("a void needs a reason (--reason)")
    if not settings.warehouse.exists():
        raise FinalizeRefused(f"no warehouse at {settings.warehouse}: nothing has been finalized")
    with duckdb.connect(str(settings.warehouse)) as con:
        ensure_state_tables(con)
        con.execute("begin transaction")
        try:
            found = con.execute(
                f"select billing_month, invoice_id from {STATE_SCHEMA}.invoices where invoice_number = ?", [number]
            ).fetchone()
            if found is None:
                raise FinalizeRefused(f"invoice {number} is not a finalized invoice")
            voided = con.execute(
                f"select voided_at from {STATE_SCHEMA}.invoice_voids where invoice_number = ?", [number]
            ).fetchone()
            if voided is not None:
                raise FinalizeRefused(f"invoice {number} was already voided at {voided[0]:%Y-%m-%d %H:%M} UTC")
            con.execute(
                f"insert into {STATE_SCHEMA}.invoice_voids values (?, ?, ?, ?, ?, ?)",
                [number, found[0], found[1], as_utc_naive(now), reason.strip(), run_id],
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return VoidRecord(number, found[0], found[1])
