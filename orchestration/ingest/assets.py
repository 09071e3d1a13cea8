"""Dagster adapters for ingestion: the month's events into the lake, with their checks."""

import dagster as dg
import polars as pl

from orchestration.contracts.assets import load_contract_set
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.schemas import validate_events
from orchestration.ingest.validate import ingest_month
from orchestration.invoicing.cutoff import run_cutoff
from orchestration.invoicing.state import finalized_cutoffs
from orchestration.lake import partition_dir, write_partition
from orchestration.partitions import billing_month, month_bounds
from orchestration.settings import MeterbookSettings

LAKE_TABLES = ("events", "quarantine", "duplicates", "ingest_counts")


@dg.multi_asset(
    specs=[dg.AssetSpec(["lake", table], group_name="ingest", deps=[["lake", "contracts"]]) for table in LAKE_TABLES],
    partitions_def=billing_month,
    check_specs=[
        dg.AssetCheckSpec("events_match_schema", asset=["lake", "events"], blocking=True),
        dg.AssetCheckSpec("every_event_accounted_for", asset=["lake", "ingest_counts"], blocking=True),
    ],
)
def ingest_events(context: dg.AssetExecutionContext, settings: MeterbookSettings):
    """Read the landing folder, keep the month's events, quarantine bad rows, drop duplicates."""
    month, _ = month_bounds(context.partition_key)
    contract_set = load_contract_set(settings.contracts)
    result = ingest_month(
        scan_landing(settings.landing),
        month_start=month,
        aliases=contract_set.alias_map(),
        finalized_cutoffs=_cutoffs(context, settings, month),
        numeric_properties=numeric_properties(contract_set),
    )
    frames = {
        "events": result.events,
        "quarantine": result.quarantine,
        "duplicates": result.duplicates,
        "ingest_counts": result.counts,
    }
    for table, frame in frames.items():
        write_partition(settings.lake, table, month, frame)
    # The accepted events just written, checked slice by slice from the month still in memory
    # (reading the file back cost about a second at ten million events).
    failures = validate_events(result.event_parts)
    del result, frames
    counts = pl.read_parquet(partition_dir(settings.lake, "ingest_counts", month) / "part-0.parquet")
    quarantine = pl.read_parquet(partition_dir(settings.lake, "quarantine", month) / "part-0.parquet")
    totals = counts.select(pl.col("received", "accepted", "duplicates", "quarantined").sum()).row(0, named=True)
    by_reason = quarantine.group_by("reason_code").len().sort("reason_code")
    for table in LAKE_TABLES:
        yield dg.MaterializeResult(
            asset_key=["lake", table],
            metadata={
                "path": dg.MetadataValue.path(str(partition_dir(settings.lake, table, month))),
                **({k: dg.MetadataValue.int(int(v)) for k, v in totals.items()} if table == "ingest_counts" else {}),
                **({"by_reason": dg.MetadataValue.md(_md_table(by_reason))} if table == "quarantine" else {}),
            },
        )
    yield dg.AssetCheckResult(
        check_name="events_match_schema",
        asset_key=["lake", "events"],
        passed=not failures,
        metadata={"failures": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures) or "none")},
    )
    off = counts.filter(pl.col("received") != pl.col("accepted") + pl.col("duplicates") + pl.col("quarantined"))
    yield dg.AssetCheckResult(
        check_name="every_event_accounted_for",
        asset_key=["lake", "ingest_counts"],
        passed=off.height == 0,
        metadata={
            "received": dg.MetadataValue.int(int(totals["received"] or 0)),
            "unaccounted_rows": dg.MetadataValue.md(_md_table(off) if off.height else "none"),
        },
    )


def numeric_properties(contract_set) -> dict[str, list[str]]:
    """Properties that some metric sums or compares: a non-number there is quarantined."""
    wanted: dict[str, set[str]] = {}
    for loaded in contract_set.rate_cards.values():
        for product in loaded.model.products:
            metric = product.metric
            if metric is not None and metric.aggregation in ("sum", "max", "latest") and metric.property:
                wanted.setdefault(metric.event_type, set()).add(metric.property)
    return {event_type: sorted(props) for event_type, props in sorted(wanted.items())}


def _md_table(frame: pl.DataFrame, limit: int = 50) -> str:
    head = frame.head(limit)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in head.iter_rows()]
    return "\n".join(lines)


def _cutoffs(context: dg.AssetExecutionContext, settings: MeterbookSettings, month):
    """Finalized months' cutoffs, plus this month's own when the run is finalizing it."""
    cutoffs = finalized_cutoffs(settings.warehouse)
    if month not in cutoffs and (cutoff := run_cutoff(context)) is not None:
        cutoffs[month] = cutoff
    return cutoffs
