"""The commented starter contract `meterbook contract new` writes: valid as written, on a real rate
card, with every optional term shown as a commented example that validates once uncommented."""

from __future__ import annotations

import datetime

from orchestration.domain.contracts.checks_products import first_unpriced_day
from orchestration.domain.contracts.prices import PercentagePrice
from orchestration.domain.contracts.rate_card import Product, RateCard


def describe_price(product: Product, day: datetime.date) -> str:
    """One-line summary of the list price in force on `day`, for the comment beside a product."""
    price = product.price_at(day)
    if price is None:
        return "no list price yet"
    if hasattr(price, "unit_price") and price.model in ("per_unit", "seats"):
        text = f"{price.model} {price.unit_price}" + (" per seat per month" if price.model == "seats" else "")
    elif hasattr(price, "tiers"):
        text = f"{price.model} tiers from {price.tiers[0].unit_price}"
    elif price.model == "package":
        text = f"{price.package_price} per package of {price.package_size}"
    elif price.model == "flat":
        text = f"flat {price.amount} {price.schedule}"
    else:
        assert isinstance(price, PercentagePrice)
        text = f"{price.percent}% of {', '.join(price.of_products)}"
    groups = getattr(price, "group_prices", None) or {}
    if groups:
        text += "; per " + (product.metric.pricing_group_key if product.metric else "group") + " prices"
    return text


def starter_contract(
    customer_id: str, contract_id: str, card: RateCard, card_file: str, starts: datetime.date, today: datetime.date
) -> str:
    priced = [p for p in card.products if first_unpriced_day(p, starts, None) is None]
    usage = [p for p in priced if p.is_usage]
    # Flat fees first: with no usage product on the card, the first one keeps the contract billable.
    fixed = [p for p in priced if p.price_model == "flat"] + [p for p in priced if p.price_model == "percentage"]
    seats = next((p for p in priced if p.price_model == "seats"), None)
    example = usage[0].id if usage else None
    later = _next_month(starts)
    lines = [
        "# yaml-language-server: $schema=../schema/contract.schema.json",
        "#",
        f"# Contract for {customer_id}, written by `meterbook contract new` on {today}.",
        "# Replace the placeholders, delete what the customer did not buy, then check it:",
        f"#   meterbook contract validate contracts/customers/{customer_id}.yaml",
        f"#   meterbook contract preview contracts/customers/{customer_id}.yaml --month YYYY-MM",
        "# Every field is explained in docs/contracts.md.",
        f"id: {contract_id}",
        "customer:",
        _note(f"  id: {customer_id}", "the customer_id its usage events carry"),
        _note(f"  name: {_title(customer_id)}", "shown on invoices"),
        _note("  aliases: []", f"other ids its events may carry, e.g. [{customer_id}-prod]"),
        _note(f"rate_card: {card.id}", f"list prices: {card_file}"),
        _note(f"currency: {card.currency}", "always the rate card's currency"),
        _note(f"starts: {starts}", "first day billed, 00:00 UTC"),
        _note(f"# ends: {_add_months(starts, 12)}", "exclusive; leave out while the contract runs on"),
        "net_payment_days: 30",
        "billing:",
        _note("  frequency: monthly", "monthly | quarterly | annual"),
        _note(f"  # anchor: {starts.replace(day=1)}", "first day of a month that billing periods align to"),
        _note("  # changes:", "a dated change of frequency"),
        f"  #   - {{starts: {later}, frequency: quarterly}}",
        "",
        "# Rate-card products billed on this contract, each optionally with its own starts/ends.",
        "products:",
    ]
    for product in usage:
        lines.append(_note(f"  - product: {product.id}", f"{product.name}: {describe_price(product, starts)}"))
    active_fixed = None if usage or not fixed or fixed[0].price_model != "flat" else fixed[0]
    for product in fixed:
        prefix = "  - product:" if product is active_fixed else "  # - product:"
        lines.append(_note(f"{prefix} {product.id}", f"{product.name}: {describe_price(product, starts)}"))
    if not usage and active_fixed is None:
        lines[-len(fixed) - 1] = "products: []"
    lines += _seat_lines(seats, starts, later, active=not usage and active_fixed is None)
    lines += _term_lines(example, starts, later)
    return "\n".join(lines) + "\n"


def _seat_lines(seats: Product | None, starts: datetime.date, later: datetime.date, active: bool) -> list[str]:
    if seats is None:
        return []
    c = "" if active else "# "  # a seats-only rate card needs the block live to bill anything
    return [
        "",
        f"# Seat pricing ({describe_price(seats, starts)}), prorated by day when the count changes.",
        f"{c}seats:",
        f"{c}  product: {seats.id}",
        f"{c}  schedule:",
        f"{c}    - {{starts: {starts}, quantity: 10}}",
        _note(f"# transition_to_usage: {later}", "seats end here and usage products start here"),
    ]


def _term_lines(example: str | None, starts: datetime.date, later: datetime.date) -> list[str]:
    product = example or "<product id>"
    return [
        "",
        "# Negotiated terms; each list may stay empty. Uncomment an example to start from it.",
        "overrides: []",
        f"#  - {{id: volume-deal, product: {product}, starts: {later}, multiplier: 0.9}}",
        f"#  - {{id: fixed-rate, product: {product}, overwrite: {{model: per_unit, unit_price: 0.80}}}}",
        "discounts: []",
        f"#  - {{id: launch, percent: 10, products: [{product}], starts: {starts}, ends: {later}}}",
        "minimums: []",
        f"#  - {{id: monthly-minimum, amount: 1000.00, starts: {starts}}}",
        "scheduled_charges: []",
        f"#  - {{id: onboarding, description: Onboarding, amount: 2500.00, schedule: one_time, starts: {starts}}}",
        "commits: []",
        "#  - id: prepaid-year-one",
        "#    type: prepaid",
        "#    amount: 12000.00",
        "#    access:",
        f"#      - {{starts: {starts}, ends: {_add_months(starts, 12)}, amount: 12000.00}}",
        "#    invoice_schedule:",
        f"#      - {{date: {starts}, amount: 12000.00}}",
        "credits: []",
        f"#  - {{id: welcome-credit, amount: 500.00, starts: {starts}, ends: {later}}}",
    ]


def _note(text: str, comment: str) -> str:
    return f"{text:<33}# {comment}"


def _title(customer_id: str) -> str:
    return " ".join(part.capitalize() for part in customer_id.replace("_", "-").split("-") if part) or customer_id


def _next_month(day: datetime.date) -> datetime.date:
    return _add_months(day.replace(day=1), 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)
