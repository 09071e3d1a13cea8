"""Dagster adapter over the contract loader: a bad file fails the run with the loader's message."""

import functools
import json
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.domain.contracts import ContractValidationError, load_contracts
from orchestration.lake import write_table
from orchestration.settings import MeterbookSettings


def _fingerprint(root: Path) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*.y*ml")))


@functools.lru_cache(maxsize=4)
def _load(root: Path, fingerprint: tuple):
    return load_contracts(root)


def load_contract_set(root: Path):
    """Load and validate every contract file; invalid input raises a Failure listing each error.

    One close reads the contracts in three steps; the set is parsed once per content of the folder
    (paths, sizes and modification times), since YAML parsing of a thousand files takes seconds.
    """
    try:
        return _load(root, _fingerprint(root))
    except ContractValidationError as exc:
        message = "\n".join(str(e) for e in exc.errors)
        raise dg.Failure(
            description=f"{len(exc.errors)} contract error(s) in {root}:\n{message}",
            metadata={"errors": dg.MetadataValue.md("\n".join(f"- `{e}`" for e in exc.errors))},
        ) from exc


LAKE_TABLES = ("contracts", "contract_billing_periods", "customer_aliases", "products")
BILLING_PERIODS_SCHEMA = {"contract_id": pl.String, "billing_frequency": pl.String, "starts": pl.Date, "ends": pl.Date}


def contract_tables(contract_set) -> dict[str, pl.DataFrame]:
    contracts, periods, aliases, products = [], [], [], []
    for loaded in contract_set.contracts.values():
        c = loaded.model
        periods += _frequency_spans(c)
        contracts.append(
            {
                "contract_id": c.id,
                "customer_id": c.customer.id,
                "customer_name": c.customer.name,
                "currency": c.currency,
                "rate_card_id": c.rate_card,
                "starts": c.starts,
                "ends": c.ends,
                "net_payment_days": c.net_payment_days,
                "billing_frequency": c.billing.frequency,
                "billing_frequency_changes": _frequency_changes(c),
                "contract_version": loaded.version,
                "rate_card_version": contract_set.rate_cards[c.rate_card].version,
                "source_file": loaded.source_file,
            }
        )
    for alias, customer_id in sorted(contract_set.alias_map().items()):
        aliases.append({"alias": alias, "customer_id": customer_id})
    for loaded in contract_set.rate_cards.values():
        for p in loaded.model.products:
            m = p.metric
            products.append(
                {
                    "rate_card_id": loaded.model.id,
                    "product_id": p.id,
                    "name": p.name,
                    "price_model": p.price_model,
                    "event_type": m.event_type if m else None,
                    "aggregation": m.aggregation if m else None,
                    "property": m.property if m else None,
                    "pricing_group_key": m.pricing_group_key if m else None,
                    "presentation_group_key": m.presentation_group_key if m else None,
                }
            )
    return {
        "contracts": pl.DataFrame(contracts, schema_overrides={"billing_frequency_changes": pl.String}).sort(
            "contract_id"
        ),
        "contract_billing_periods": pl.DataFrame(periods, schema=BILLING_PERIODS_SCHEMA).sort("contract_id", "starts"),
        "customer_aliases": pl.DataFrame(aliases, schema={"alias": pl.String, "customer_id": pl.String}),
        "products": pl.DataFrame(products).sort("rate_card_id", "product_id"),
    }


def _frequency_spans(contract) -> list[dict]:
    """One row per span of the contract with one billing frequency, `[starts, ends)`: the starting
    frequency from the contract's start, then each change from its date; the last span ends with the
    contract (null when it is open-ended). The validated changes are first-of-month dates after the
    start and before the end, so the spans tile the contract without gaps or overlaps."""
    regimes = contract.frequency_regimes()
    ends = [starts for starts, _ in regimes[1:]] + [contract.ends]
    return [
        {"contract_id": contract.id, "billing_frequency": frequency, "starts": starts, "ends": end}
        for (starts, frequency), end in zip(regimes, ends, strict=True)
    ]


def _frequency_changes(contract) -> str | None:
    """The frequency changes as JSON text in date order, e.g. `[{"frequency":"monthly","starts":"2026-07-01"}]`;
    None when the contract keeps its starting frequency. Text, so the lake stays portable SQL."""
    changes = contract.frequency_regimes()[1:]
    if not changes:
        return None
    return json.dumps(
        [{"frequency": frequency, "starts": starts.isoformat()} for starts, frequency in changes],
        sort_keys=True,
        separators=(",", ":"),
    )


@dg.multi_asset(
    specs=[dg.AssetSpec(["lake", t], group_name="contracts") for t in LAKE_TABLES],
)
def contracts_asset(context: dg.AssetExecutionContext, settings: MeterbookSettings):
    """Validate `contracts/` and publish contracts, their billing periods, aliases and products for rating and dbt."""
    contract_set = load_contract_set(settings.contracts)
    for table, frame in contract_tables(contract_set).items():
        path = write_table(settings.lake, table, frame)
        yield dg.MaterializeResult(
            asset_key=["lake", table],
            metadata={"rows": dg.MetadataValue.int(frame.height), "path": dg.MetadataValue.path(str(path))},
        )
