"""The rating asset: prices every contract's open periods for the month into the lake, with the
commit ledger as of the close."""

from datetime import date

import dagster as dg
import polars as pl

from orchestration.contracts.assets import load_contract_set
from orchestration.domain.periods import Period
from orchestration.lake import partition_dir, staged_partition, write_partition
from orchestration.partitions import billing_month, month_bounds
from orchestration.rating.close import rate_partition
from orchestration.settings import MeterbookSettings

RATED_TABLES = ("rated_lines", "rated_line_parts", "rated_usage", "commit_ledger", "metric_events")


def month_events(settings: MeterbookSettings) -> pl.LazyFrame:
    """Accepted events of every ingested partition, each with the partition that bills it.

    Late rows live in the (later) partition that bills them, so the partition is data, not just a path.
    """
    files = sorted((settings.lake / "events").glob("month=*/part-0.parquet"))
    if not files:
        raise dg.Failure("no events have been ingested yet: materialize lake/events first")
    frames = []
    for path in files:
        month = date.fromisoformat(path.parent.name.removeprefix("month=") + "-01")
        frames.append(pl.scan_parquet(path).with_columns(partition_month=pl.lit(month, pl.Date)))
    return pl.concat(frames, how="vertical")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["lake", t], group_name="rating", deps=[["lake", "events"], ["lake", "contracts"]])
        for t in RATED_TABLES
    ],
    partitions_def=billing_month,
)
def rate_usage(context: dg.AssetExecutionContext, settings: MeterbookSettings):
    """Quantities per contract, product and group, priced with each contract's terms."""
    start, end = month_bounds(context.partition_key)
    contract_set = load_contract_set(settings.contracts)
    # The event index is written by the rating's own query (it shares the events' single pass).
    with staged_partition(settings.lake, "metric_events", start) as index_path:
        result = rate_partition(contract_set, month_events(settings), Period(start, end), index_path=index_path)
    outputs = {
        "rated_lines": result.lines,
        "rated_line_parts": result.parts,
        "rated_usage": result.usage,
        "commit_ledger": result.ledger,
    }
    for table, frame in outputs.items():
        write_partition(settings.lake, table, start, frame)
    lines = result.lines
    per_invoice = lines.group_by("invoice_id").agg(pl.col("amount").sum()) if lines.height else lines
    for table in RATED_TABLES:
        frame = outputs.get(table)
        rows = frame.height if isinstance(frame, pl.DataFrame) else _rows_written(settings, table, start)
        metadata = {"rows": dg.MetadataValue.int(rows)}
        if table == "rated_lines":
            metadata["invoices"] = dg.MetadataValue.int(per_invoice.height)
            metadata["total_by_currency"] = dg.MetadataValue.json(
                {
                    str(r["currency"]): str(r["amount"])
                    for r in lines.group_by("currency").agg(pl.col("amount").sum()).iter_rows(named=True)
                }
                if lines.height
                else {}
            )
        yield dg.MaterializeResult(asset_key=["lake", table], metadata=metadata)


def _rows_written(settings: MeterbookSettings, table: str, month: date) -> int:
    path = partition_dir(settings.lake, table, month) / "part-0.parquet"
    return pl.scan_parquet(path).select(pl.len()).collect().item()
