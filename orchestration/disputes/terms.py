"""Contract terms in words: the metric that measured a line, the price and tiers that priced it, and
the override, discount, minimum or commit that applied.

Read from the contract set (the YAML models) through the same domain functions rating used
(`usage_segments`, `applied_price`), so the price shown is the one the line was priced with as long
as the files still have the versions the line records.
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.disputes.text import exact, number
from orchestration.domain.periods import Period
from orchestration.domain.rating.terms import AppliedPrice, applied_price, terms_fields, usage_segments

AGGREGATIONS = {
    "count": "count of `{event}` events",
    "sum": "sum of `{prop}` over `{event}` events",
    "max": "peak (maximum) `{prop}` of `{event}` events",
    "unique": "distinct values of `{prop}` over `{event}` events",
    "latest": "latest `{prop}` of `{event}` events",
}


def _value(v: object) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _filter(f) -> str:
    if f.in_ is not None:
        return f"{f.property} in [{', '.join(_value(v) for v in f.in_)}]"
    if f.not_in is not None:
        return f"{f.property} not in [{', '.join(_value(v) for v in f.not_in)}]"
    return f"{f.property} {'present' if f.exists else 'absent'}"


def metric_text(event_type: str, aggregation: str, prop: str | None, line: dict, metric=None) -> str:
    """The metric as rows of text; `metric` (the contract model's) adds filters and conversion."""
    out = [AGGREGATIONS.get(aggregation, aggregation + " of `{event}` events").format(event=event_type, prop=prop)]
    if metric is not None and metric.filters:
        out.append("only where " + " and ".join(_filter(f) for f in metric.filters))
    if line.get("group_key"):
        out.append(f"pricing group `{line['group_key']}` = {line['group_value']} (priced on its own)")
    if line.get("presentation_key"):
        value = line["presentation_value"]
        out.append(f"presentation group `{line['presentation_key']}` = {value} (own line, price shared)")
    if metric is not None and metric.conversion is not None:
        c = metric.conversion
        by = f"multiplied by {number(c.multiply_by)}" if c.multiply_by else f"divided by {number(c.divide_by)}"
        out.append(f"then {by}")
    if metric is not None and metric.rounding is not None:
        out.append(f"then rounded {metric.rounding.mode.replace('_', ' ')} to {metric.rounding.decimals} decimals")
    return "\n".join(out)


def applied_prices(contract, product, line: dict) -> list[tuple[Period, AppliedPrice]]:
    """The price in force in each rate segment of the line's service days, as rating chose it."""
    span = Period(line["line_start"], line["line_end"])
    for entry in (e for e in contract.products if e.product == product.id):
        segments = usage_segments(contract, product, entry, span)
        if segments:
            return [(seg, applied_price(contract, product, line.get("group_value"), seg)) for seg in segments]
    return []


def tier_range(tiers, index: int) -> str:
    lower = tiers[index - 1].up_to if index else Decimal(0)
    upper = tiers[index].up_to
    return f"above {number(lower)}" if upper is None else f"{number(lower)} - {number(upper)}"


def tier_ranges(applied: list[tuple[Period, AppliedPrice]]) -> dict[int, str]:
    """Tier index -> its range, for the indexes every tiered price of the line agrees on."""
    tables = [a.fields["tiers"] for _, a in applied if "tiers" in a.fields]
    if not tables:
        return {}
    ranges = {}
    for index in range(max(len(t) for t in tables)):
        found = {tier_range(t, index) for t in tables if index < len(t)}
        if len(found) == 1 and all(index < len(t) for t in tables):
            ranges[index] = found.pop()
    return ranges


def _terms(model: str, fields: dict, currency: str) -> str:
    if model == "per_unit":
        return f"per unit at {exact(fields['unit_price'], currency)}"
    if model == "package":
        return (
            f"packages of {number(fields['package_size'])} units at {exact(fields['package_price'], currency)}, "
            f"partial packages rounded {fields.get('round', 'up')}"
        )
    tiers = fields["tiers"]
    rows = []
    for i, t in enumerate(tiers):
        fee = f" + flat fee {exact(t.flat_fee, currency)}" if t.flat_fee else ""
        rows.append(f"{tier_range(tiers, i)} at {exact(t.unit_price, currency)}{fee}")
    rule = "each unit at its tier's price" if model == "graduated" else "every unit at the tier the period total is in"
    return f"{model} ({rule}): " + "; ".join(rows)


def price_text(product, line: dict, applied: list[tuple[Period, AppliedPrice]], currency: str) -> str:
    out = []
    for seg, price in applied:
        when = f"{seg.start} to {seg.end}: " if len(applied) > 1 else ""
        listed = product.price_at(seg.start)
        group = line.get("group_value")
        if price.override_id and price.multiplier is None and price.bands is None:
            source = f"override {price.override_id} replaces the list price"
        else:
            grouped = group is not None and listed.group_prices and group in listed.group_prices
            source = f"list price from {listed.starts}" + (f", group price for {group}" if grouped else "")
        text = f"{when}{_terms(price.model, price.fields, currency)} ({source})"
        if price.multiplier is not None:
            text += f", x {number(price.multiplier)} by override {price.override_id}"
        if price.bands is not None:
            text += f", override {price.override_id} multiplies by band of the period's units: {_bands(price.bands)}"
        out.append(text)
    return "\n".join(out)


def _bands(bands) -> str:
    return ", ".join(f"x {number(m)} " + (f"up to {number(u)}" if u is not None else "above") for u, m in bands)


def _window(term, contract) -> str:
    starts = getattr(term, "starts", None) or contract.starts
    ends = getattr(term, "ends", None) or contract.ends
    return f"in force {starts} to {ends or 'open-ended'}"


def override_text(contract, override_ids: str, currency: str) -> str:
    out = []
    for oid in override_ids.split(","):
        term = next((o for o in contract.overrides if o.id == oid), None)
        if term is None:
            out.append(f"override {oid} (no longer in the contract file)")
            continue
        if term.overwrite is not None:
            model = term.overwrite.model
            what = f"overwrite: {_terms(model, terms_fields(model, term.overwrite), currency)}"
        elif term.multiplier is not None:
            what = f"list price x {number(term.multiplier)}"
        else:
            what = "tiered multiplier: " + _bands((b.up_to, b.multiplier) for b in term.tiered_multiplier or [])
        scope = f"product {term.product}" + (f", group {term.group}" if term.group else "")
        out.append(f"override {oid} ({scope}, {_window(term, contract)}): {what}")
    return "\n".join(out)


def adjustment_text(contract, line: dict, currency: str) -> str | None:
    """A discount or minimum line in words, with the arithmetic that gave its amount."""
    term_id = line.get("override_id")
    base, amount = line["quantity"], line["amount_unrounded"]
    if line["line_type"] == "discount":
        term = next((d for d in contract.discounts if d.id == term_id), None)
        if term is None:
            return None
        scope = ", ".join(term.products) if term.products else "every usage product"
        if term.percent is not None:
            rule = f"{number(term.percent)}% of usage on {scope}: {exact(base, currency)} x {number(term.percent)}%"
        else:
            rule = f"{exact(term.amount, currency)} off usage on {scope} (at most its {exact(base, currency)})"
        return f"discount {term_id} ({_window(term, contract)}): {rule} = {exact(amount, currency)}"
    if line["line_type"] == "minimum_true_up":
        term = next((m for m in contract.minimums if m.id == term_id), None)
        if term is None:
            return None
        floor = line.get("unit_price")
        scope = ", ".join(term.products) if term.products else "every usage product"
        return (
            f"minimum {term_id}: {exact(term.amount, currency)} a period on {scope} "
            f"(this period's floor {exact(floor, currency)}); spend {exact(base, currency)}; "
            f"true-up {exact(floor, currency)} - {exact(base, currency)} = {exact(amount, currency)}"
        )
    return None


def commit_text(contract, commit_id: str, currency: str) -> str:
    term = next((c for c in [*contract.commits, *contract.credits] if c.id == commit_id), None)
    if term is None:
        return f"commit {commit_id} (no longer in the contract file)"
    kind = getattr(term, "type", "credit")
    scope = ", ".join(term.products) if term.products else "every usage product"
    text = f"{kind} {'credit' if kind == 'credit' else 'commit'} {commit_id}: {exact(term.amount, currency)}"
    text += f", priority {term.priority}, covers {scope}"
    if kind == "postpaid" or kind == "credit":
        text += f", {term.starts} to {term.ends or 'contract end'}"
    return text


def ledger_text(rows: list[dict], currency: str) -> str:
    return "\n".join(
        f"ledger {r['ledger_month']:%Y-%m}: opening {exact(r['opening_balance'], currency)}, released "
        f"{exact(r['released'], currency)}, drawn {exact(r['drawn'], currency)}, expired "
        f"{exact(r['expired'], currency)}, closing {exact(r['closing_balance'], currency)}"
        for r in rows
    )
