"""Invoice documents: one HTML page per finalized invoice, and a PDF rendered from it (xhtml2pdf).

The HTML is the source of the PDF, so both show the same thing: the customer, period, dates, every
line with its quantity and unit price, tier breakdowns under their line, the commits and credits
applied, the commit balances left after the month, and the total due.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import jinja2
from reportlab import rl_config
from xhtml2pdf import pisa

from orchestration.domain.money import minor_units, round_money
from orchestration.exports.invoice_template import TEMPLATE
from orchestration.exports.model import CommitBalance, Invoice, InvoiceLine, TierPart, plain

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def grouped(value: Decimal, places: int = 0) -> str:
    """Exact decimal with thousands separators and at least `places` decimals: 58600 -> '58,600',
    (25, 2) -> '25.00', 22.5806451613 kept whole."""
    text = plain(value)
    if places and -value.normalize().as_tuple().exponent < places:
        text = f"{value:.{places}f}"
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    return f"{sign}{int(whole):,}" + (f".{fraction}" if fraction else "")


class Formats:
    def __init__(self, currency: str):
        self.currency = currency

    def price(self, value: Decimal) -> str:
        return grouped(value, minor_units(self.currency))

    def money(self, amount: Decimal) -> str:
        return f"{round_money(amount, self.currency):,.{minor_units(self.currency)}f}"

    @staticmethod
    def day(value: date) -> str:
        return value.strftime("%b %d, %Y")

    @staticmethod
    def month(value: date) -> str:
        return value.strftime("%B %Y")

    def period(self, start: date, end: date) -> str:
        return f"{self.day(start)} - {self.day(end - timedelta(days=1))}"

    @staticmethod
    def timestamp(value: datetime) -> str:
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _shows_breakdown(line: InvoiceLine) -> bool:
    """A breakdown adds something when there are several parts, a tier, a multiplier or a fee, or a
    part that is not simply the line's own quantity at its unit price (a package)."""
    parts = line.tier_breakdown
    if len(parts) != 1:
        return len(parts) > 1
    part = parts[0]
    return (
        part.tier is not None
        or part.multiplier != 1
        or part.flat_fee != 0
        or part.quantity != line.quantity
        or part.unit_price != line.unit_price
    )


def tier_text(part: TierPart, fmt: Formats, pricing_model: str | None = None) -> str:
    label = f"Tier {part.tier + 1}: " if part.tier is not None else ""
    # A package line's quantity is in units, its part in packages: say so, or 7 x 25.00 = 50.00 puzzles.
    unit = " packages" if pricing_model == "package" else ""
    formula = f"{grouped(part.quantity)}{unit} \u00d7 {fmt.price(part.unit_price)}"
    if part.multiplier != 1:
        formula += f" \u00d7 {grouped(part.multiplier)}"
    if part.flat_fee != 0:
        formula += f" + flat fee {fmt.price(part.flat_fee)}"
    return f"{label}{formula} = {fmt.price(part.amount)}"


def _line_view(line: InvoiceLine, fmt: Formats) -> SimpleNamespace:
    dates = fmt.period(line.line_start, line.line_end) if line.line_end > line.line_start else fmt.day(line.line_start)
    if line.usage_month:
        dates += f" \u00b7 usage of {fmt.month(line.usage_month)}"
    if line.unit_price is not None:
        unit_price = fmt.price(line.unit_price)
    else:
        unit_price = "see breakdown" if len(line.tier_breakdown) > 1 else ""
    return SimpleNamespace(
        description=line.description,
        dates=dates,
        quantity=grouped(line.quantity),
        unit_price=unit_price,
        amount=fmt.money(line.amount),
        negative=line.amount < 0,
        tiers=[tier_text(p, fmt, line.pricing_model) for p in line.tier_breakdown] if _shows_breakdown(line) else [],
    )


def _balance_view(balance: CommitBalance, fmt: Formats) -> SimpleNamespace:
    note = ""
    if balance.kind == "postpaid" and balance.committed_amount is not None:
        note = f"spend {fmt.money(balance.spend_to_date or 0)} of {fmt.money(balance.committed_amount)} committed"
    return SimpleNamespace(
        commit_id=balance.commit_id,
        kind=balance.kind,
        note=note,
        opening=fmt.money(balance.opening_balance),
        released=fmt.money(balance.released),
        drawn=fmt.money(balance.drawn),
        expired=fmt.money(balance.expired),
        remaining=fmt.money(balance.closing_balance),
    )


def render_html(invoice: Invoice) -> str:
    fmt = Formats(invoice.currency)
    applied = [
        SimpleNamespace(
            commit_id=line.commit_id or "",
            kind="credit" if line.line_type == "credit_drawdown" else "commit",
            amount=fmt.money(line.amount),
        )
        for line in invoice.applied_commits
    ]
    return _TEMPLATE.render(
        inv=invoice,
        fmt=fmt,
        lines=[_line_view(line, fmt) for line in invoice.ordered_lines],
        applied=applied,
        balances=[_balance_view(b, fmt) for b in invoice.commit_balances],
    )


def render_pdf(html: str) -> bytes:
    """The PDF of an invoice page. ReportLab's invariant mode fixes the creation date and document id,
    so the same HTML gives the same bytes on every run."""
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        out = io.BytesIO()
        status = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    finally:
        rl_config.invariant = previous
    if status.err:
        raise ValueError(f"xhtml2pdf could not render the invoice ({status.err} error(s))")
    return out.getvalue()
