"""One invoice line explained: versions, metric, price, quantity, the tier-by-tier computation down
to the rounded amount, the term that applied, its events and the SQL that lists them."""

from __future__ import annotations

import json
import shlex
from decimal import Decimal

from orchestration.disputes import lookup
from orchestration.disputes.terms import (
    adjustment_text,
    applied_prices,
    commit_text,
    ledger_text,
    metric_text,
    override_text,
    price_text,
    tier_ranges,
)
from orchestration.disputes.text import exact, money, number, table
from orchestration.domain.money import minor_units
from orchestration.domain.rating.usage import convert

METERED = ("usage", "late_adjustment")
PART_LABELS = {"per_unit": "per unit", "package": "packages", "seats": "seats", "scheduled_charge": "fee"}


def line_section(n: int, line: dict, ctx: dict) -> list[str]:
    """Line `n` of the invoice; `ctx` carries what explain_invoice read once for all lines."""
    invoice, cur = ctx["invoice"], line["currency"]
    title = f"Line {n} of {len(invoice.lines)}: {line['description']}  {money(line['amount'], cur)}"
    rows = [
        ("line_id", line["line_id"]),
        ("type", f"{line['line_type']}, service {line['line_start']} to {line['line_end']} (end exclusive)"),
        ("versions", _versions(line, ctx)),
    ]
    if line.get("usage_month"):
        rows.append(("usage of", f"{line['usage_month']:%Y-%m}, billed after that month was finalized (late events)"))
    product, contract = _product(line, ctx)
    metered = line["line_type"] in METERED and line.get("product_id")
    applied = []
    if contract is not None and product is not None and product.is_usage and metered:
        try:
            applied = applied_prices(contract, product, line)
        except (LookupError, ValueError) as exc:
            rows.append(("price", f"not reconstructable from the current files ({exc})"))
    if metered:
        rows.append(("metric", _metric(line, product, ctx)))
        if applied:
            rows.append(("price", price_text(product, line, applied, cur)))
    rows.append(("quantity", _quantity(line, product, ctx)))
    parts = _parts(line, ctx)
    if parts:
        rows.append(("computation", "\n".join(_computation(line, parts, applied))))
    term = _term(line, contract, ctx)
    if term:
        rows.append(("term", term))
    if metered:
        rows.append(("events", _events(line, product, ctx)))
        sql = events_sql(line["line_id"], invoice)
        rows.append(("list events", f"{sql};\n{duckdb_command(ctx['warehouse'], sql)}"))
    return [title, *table(rows)]


def _versions(line: dict, ctx: dict) -> str:
    text = f"contract {line['contract_id']} @ {line['contract_version']}"
    text += f", rate card {line.get('rate_card_id') or '-'} @ {line['rate_card_version']}"
    card = ctx["contract_set"].rate_cards.get(line.get("rate_card_id")) if ctx["contract_set"] else None
    if card is not None and card.version != line["rate_card_version"]:
        text += f"\n(rate card file {card.source_file} has changed since: now {card.version})"
    return text


def _product(line: dict, ctx: dict):
    loaded, contract_set = ctx["loaded"], ctx["contract_set"]
    card = contract_set.rate_cards.get(line.get("rate_card_id")) if contract_set else None
    if loaded is None or card is None or not line.get("product_id"):
        return None, loaded.model if loaded else None
    product = next((p for p in card.model.products if p.id == line["product_id"]), None)
    return product, loaded.model


def _metric(line: dict, product, ctx: dict) -> str:
    if product is not None and product.metric is not None:
        m = product.metric
        return metric_text(m.event_type, m.aggregation, m.property, line, m)
    row = lookup.products_row(ctx["con"], ctx["lake"], line.get("rate_card_id"), line["product_id"])
    if row is None or not row.get("event_type"):
        return f"unknown: product {line['product_id']} is in neither the contract files nor the lake products table"
    text = metric_text(row["event_type"], row["aggregation"], row.get("property"), line)
    return text + "\n(from the lake products table, which does not record filters or conversion)"


def _quantity(line: dict, product, ctx: dict) -> str:
    text = number(line["quantity"])
    if line["line_type"] in ("discount", "minimum_true_up"):
        return text + " (the spend the term applies to, in " + line["currency"] + ")"
    if line["line_type"] == "seats":
        return text + " seats at most over the service days (each part: seats x the price prorated by days)"
    if product is not None and line.get("pricing_model") == "package" and not line.get("override_id"):
        price = product.price_at(line["line_start"])
        size = getattr(price, "package_size", None)
        if size:
            text += f" units, in packages of {number(size)} (partial packages rounded {price.round})"
    measured = _measured(line, product, ctx)
    return text + (f"\n{measured}" if measured else "")


def _measured(line: dict, product, ctx: dict) -> str | None:
    """The line's quantity recomputed from the events query, when the events mart exists."""
    stats = (ctx["measured"] or {}).get(line["line_id"])
    if stats is None or product is None or product.metric is None:
        return None
    metric = product.metric
    raw = {
        "count": Decimal(stats["events"]),
        "sum": stats["value_sum"],
        "max": stats["value_max"],
        "unique": Decimal(stats["distinct_values"]),
    }.get(metric.aggregation)
    if raw is None:
        return None
    what = {"count": "events", "unique": f"distinct {metric.property}"}.get(metric.aggregation, metric.property)
    result = convert(raw, metric)
    steps = f"events query: {number(raw)} {what}"
    if result != raw:
        steps += f" -> converted and rounded -> {number(result)}"
    if result == line["quantity"]:
        return steps + " = the line's quantity"
    return steps + f": differs from the line's {number(line['quantity'])} (conversion applies per price segment)"


def _parts(line: dict, ctx: dict) -> list[dict]:
    """The rating run's parts of the line (lake rated_line_parts), else the line's tier_breakdown JSON."""
    found = (ctx["parts"] or {}).get(line["line_id"])
    if found:
        return found
    stored = json.loads(line.get("tier_breakdown") or "[]")
    return [
        {
            "tier_index": p["tier"],
            "quantity": Decimal(p["quantity"]),
            "unit_price": Decimal(p["unit_price"]),
            "multiplier": Decimal(p["multiplier"]),
            "flat_fee": Decimal(p["flat_fee"]),
            "amount": Decimal(p["amount"]),
        }
        for p in stored
    ]


def _computation(line: dict, parts: list[dict], applied: list) -> list[str]:
    cur = line["currency"]
    models = {a.model for _, a in applied}
    model = models.pop() if len(models) == 1 else line.get("pricing_model")
    ranges = tier_ranges(applied)
    by_segment = model == "per_unit" and len(applied) > 1 and len(parts) == len(applied)
    labelled = []
    for k, p in enumerate(parts):
        if p["tier_index"] is not None:
            i = p["tier_index"]
            label = f"tier {i + 1}" + (f" ({ranges[i]})" if i in ranges else "")
        elif by_segment:
            label = f"{applied[k][0].start} to {applied[k][0].end}"
        else:
            label = PART_LABELS.get(line["line_type"], PART_LABELS.get(model or "", f"part {k + 1}"))
        formula = f"{number(p['quantity'])} x {exact(p['unit_price'], cur)}"
        if p["multiplier"] is not None and p["multiplier"] != 1:
            formula += f" x {number(p['multiplier'])}"
        if p["flat_fee"]:
            formula += f" + flat fee {exact(p['flat_fee'], cur)}"
        labelled.append((label, f"{formula} = {exact(p['amount'], cur)}"))
    width = max(len(label) for label, _ in labelled)
    out = [f"{label:<{width}}  {formula}" for label, formula in labelled]
    total = sum((p["amount"] for p in parts), Decimal(0))
    out.append(f"unrounded sum {exact(line['amount_unrounded'], cur)}")
    if total != line["amount_unrounded"]:
        out.append(f"(the parts add up to {exact(total, cur)}: reconciliation flags this line)")
    places = minor_units(cur)
    out.append(f"rounded half away from zero to {places} decimals: {money(line['amount'], cur)}")
    return out


def _term(line: dict, contract, ctx: dict) -> str | None:
    cur = line["currency"]
    if contract is None:
        ids = [f"{k} {line[k]}" for k in ("override_id", "commit_id") if line.get(k)]
        return ", ".join(ids) or None
    if line["line_type"] in ("discount", "minimum_true_up"):
        gone = f"term {line.get('override_id')} (no longer in the contract file)"
        return adjustment_text(contract, line, cur) or gone
    if line.get("commit_id"):
        invoice = ctx["invoice"]
        head = invoice.header
        ledger = lookup.ledger_rows(
            ctx["con"], ctx["lake"], invoice.billing_month, line["contract_id"], line["commit_id"],
            head["period_start"], head["period_end"],
        )  # fmt: skip
        text = commit_text(contract, line["commit_id"], cur)
        return text + (f"\n{ledger_text(ledger, cur)}" if ledger else "")
    if line.get("override_id"):
        return override_text(contract, line["override_id"], cur)
    if line["line_type"] in METERED:
        return "none: the rate card's list price"
    return None


def _events(line: dict, product, ctx: dict) -> str:
    counts = ctx["counts"]
    if counts is None:
        return "the rating run's lake table rated_lines is missing for this month"
    text = f"{counts.get(line['line_id'], 0):,} accepted events, as counted by the rating run"
    stats = (ctx["measured"] or {}).get(line["line_id"])
    if ctx["measured"] is not None:
        found = stats["events"] if stats else 0
        same = "the same" if found == counts.get(line["line_id"], 0) else "DIFFERENT: see reconciliation"
        text += f"\nthe events query below returns {found:,} ({same})"
    return text


def events_sql(line_id: str, invoice: lookup.Invoice) -> str:
    """The query that lists every event behind a line (the `invoice_line_events` mart)."""

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    number_ = invoice.header.get("invoice_number")
    if number_:
        where = f"invoice_number = {quoted(number_)}"
    else:
        where = f"billing_month = date '{invoice.billing_month}'"
        if invoice.siblings:  # a voided invoice shares the line ids of its replacement
            where += " and invoice_number is null"
    return f"select * from {lookup.EVENTS_MART} where {where} and line_id = {quoted(line_id)} order by event_at"


def duckdb_command(warehouse: str, sql: str) -> str:
    """The `duckdb` CLI line that runs `sql` read-only against the warehouse file."""
    quoted = f'"{sql}"' if not any(c in sql for c in '"$`\\!') else shlex.quote(sql)
    return f"duckdb -readonly {shlex.quote(warehouse)} {quoted}"
