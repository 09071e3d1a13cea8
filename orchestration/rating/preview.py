"""`meterbook contract preview`: price one contract file against a month's real usage, writing nothing.

Usage comes from the lake the month close wrote: the accepted events of the contract's customer,
plus rows quarantined as `unknown_customer` under its id or aliases (a customer whose contract is not
signed yet has its usage there). The invoice is printed; no lake table or mart is touched.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import polars as pl

from orchestration.domain.contracts import load_contract_file, load_contracts
from orchestration.domain.money import round_money
from orchestration.domain.periods import Period, add_months
from orchestration.ingest.properties import is_flat_object
from orchestration.ingest.timestamps import parse_instant
from orchestration.lake import scan_partitions
from orchestration.rating.close import rate_partition

EVENT_COLUMNS = ["event_id", "customer_id", "event_type", "event_at", "usage_month", "properties"]


def preview_usage(lake: Path, customer_ids: set[str], canonical: str) -> pl.LazyFrame | None:
    frames = []
    events = scan_partitions(lake, "events")
    if events is not None:
        frames.append(events.filter(pl.col("customer_id").is_in(customer_ids) & ~pl.col("is_late")))
    quarantine = scan_partitions(lake, "quarantine")
    if quarantine is not None:
        unknown = quarantine.filter(
            (pl.col("reason_code") == "unknown_customer") & pl.col("customer_id").is_in(customer_ids)
        ).with_columns(customer_id=pl.lit(canonical), event_at=parse_instant(pl.col("event_at_raw")))
        # Rows a close would quarantine for their properties once the customer is known are not priced.
        frames.append(unknown.filter(pl.col("event_at").is_not_null() & is_flat_object(pl.col("properties"))))
    if not frames:
        return None
    return pl.concat(
        [f.select(EVENT_COLUMNS).with_columns(source_file=pl.lit(""), source_line=pl.lit(0)) for f in frames],
        how="vertical_relaxed",
    )


def preview_contract(path: Path, contracts_root: Path, lake: Path, month: date) -> str:
    """The invoice(s) the contract at `path` would get for `month`, as text."""
    full = load_contracts(contracts_root)
    others = {cid: c for cid, c in full.contracts.items() if Path(contracts_root / c.source_file) != path.resolve()}
    loaded = load_contract_file(path, full.rate_cards, root=contracts_root, others=others)
    contract = loaded.model
    only = dataclasses.replace(full, contracts={contract.id: loaded})
    ids = {contract.customer.id, *contract.customer.aliases}
    usage = preview_usage(lake, ids, contract.customer.id)
    if usage is None:
        return f"no usage has been ingested into {lake}; run `meterbook close {month:%Y-%m}` first"
    result = rate_partition(only, usage, Period(month, add_months(month, 1)))
    out = [f"preview of {contract.id} ({loaded.source_file}) for {month:%Y-%m}, nothing written"]
    for (invoice_id, start, end), lines in result.lines.group_by(
        "invoice_id", "period_start", "period_end", maintain_order=True
    ):
        out.append(f"\ninvoice {invoice_id}  period {start} .. {end}")
        for row in lines.iter_rows(named=True):
            price = "" if row["unit_price"] is None else f" @ {row['unit_price'].normalize():f}"
            quantity = f"{row['quantity'].normalize():f}"
            amount = round_money(row["amount"], contract.currency)
            out.append(f"  {row['description']:<48} {quantity:>14}{price:<16} {amount:>14} {contract.currency}")
        total = round_money(sum(lines["amount"].to_list()), contract.currency)
        out.append(f"  {'total':<48} {'':>30} {total:>14} {contract.currency}")
    if result.lines.is_empty():
        out.append("no billable lines for this month")
    return "\n".join(out)
