"""Polars transforms from accepted events to the quantities the pricing domain prices.

Two steps, both vectorized:
1. `metric_rows` / `daily_usage`: per rate-card product metric, filter the events (event type,
   property filters), read the properties it needs, and aggregate per customer, day, pricing group
   value and presentation group value. Contract dates are whole days, so no price or override
   boundary ever falls inside a day and the daily aggregate loses nothing the pricing needs
   (`unique` keeps its distinct values, `latest` the time of its last value).
2. `segment_quantities`: join the daily rows to each contract's rate segments (spans of days in
   which one price and one override apply) and aggregate each segment by the metric's rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.ingest.properties import with_property_values

QUANTITY = pl.Decimal(38, 10)
DAILY_SCHEMA = {
    "rate_card_id": pl.String,
    "product_id": pl.String,
    "aggregation": pl.String,
    "customer_id": pl.String,
    "usage_date": pl.Date,
    "group_value": pl.String,
    "presentation_value": pl.String,
    "quantity": QUANTITY,
    "distinct_value": pl.String,
    "last_at": pl.Datetime("us", "UTC"),
    "event_count": pl.Int64,
    # The partition a late row is billed in (billing-semantics.md, "Events"); null for on-time rows.
    "late_partition": pl.Date,
}

# One row per accepted event a metric selected, in the partition that bills it: the index behind
# the `invoice_line_events` mart (a dispute lists the events of a line in one query).
METRIC_EVENTS_SCHEMA = {
    "partition_month": pl.Date,
    "usage_month": pl.Date,
    "is_late": pl.Boolean,
    "customer_id": pl.String,
    "event_id": pl.String,
    "event_type": pl.String,
    "event_at": pl.Datetime("us", "UTC"),
    "usage_date": pl.Date,
    "rate_card_id": pl.String,
    "product_id": pl.String,
    "group_value": pl.String,
    "presentation_value": pl.String,
    "value": QUANTITY,
    "distinct_value": pl.String,
}


@dataclass(frozen=True)
class PropertyFilter:
    property: str
    op: str  # "in" | "not_in" | "exists"
    values: tuple[str, ...] = ()
    exists: bool = True


@dataclass(frozen=True)
class MetricSpec:
    rate_card_id: str
    product_id: str
    event_type: str
    aggregation: str  # count | sum | max | unique | latest
    property: str | None
    filters: tuple[PropertyFilter, ...]
    group_key: str | None
    presentation_key: str | None


def _filter_expr(f: PropertyFilter, value: pl.Expr) -> pl.Expr:
    # `value` is the property as written (strings unquoted, numbers as spelled), so filters
    # compare against the written form: `in: [200]` matches both 200 and "200".
    if f.op == "in":
        return value.is_in(list(f.values))
    if f.op == "not_in":
        return value.is_null() | ~value.is_in(list(f.values))
    return value.is_not_null() if f.exists else value.is_null()


def _late_partition() -> pl.Expr:
    return pl.when(pl.col("is_late")).then(pl.col("partition_month")).otherwise(pl.lit(None, pl.Date))


def with_partition(events: pl.LazyFrame, partition_month=None) -> pl.LazyFrame:
    """Give events without lake bookkeeping (a preview's) on-time defaults: billed in their own month."""
    names = events.collect_schema().names()
    extra = {}
    if "is_late" not in names:
        extra["is_late"] = pl.lit(False)
    if "partition_month" not in names:
        extra["partition_month"] = pl.col("usage_month") if partition_month is None else pl.lit(partition_month)
    return events.with_columns(**extra) if extra else events


def _metric_selected(events: pl.LazyFrame, spec: MetricSpec) -> pl.LazyFrame:
    """The events the metric counts, with their group values and the metric's value as text.

    Properties are read from the validated text (`ingest.properties`): the filters' first, on the
    event type's rows, then the rest on the rows the filters keep.
    """
    selected = events.filter(pl.col("event_type") == spec.event_type)
    filters = {f"_filter_{i}": f.property for i, f in enumerate(spec.filters)}
    selected = with_property_values(selected, filters)
    for column, f in zip(filters, spec.filters, strict=True):
        selected = selected.filter(_filter_expr(f, pl.col(column)))
    reads = {"group_value": spec.group_key, "presentation_value": spec.presentation_key, "value": spec.property}
    selected = with_property_values(selected, {column: key for column, key in reads.items() if key})
    return selected.drop(*filters).with_columns(
        **{column: pl.lit(None, pl.String) for column, key in reads.items() if not key},
        usage_date=pl.col("event_at").dt.date(),
    )


# What breaks a tie between events of one instant for a `latest` metric: their place in the landing.
_TIE_BREAKS = {"source_file": pl.String, "source_line": pl.Int64}


def metric_rows(events: pl.LazyFrame, metrics: list[MetricSpec]) -> pl.LazyFrame:
    """Every event each metric selects, one row per (event, metric): the event index's columns
    (METRIC_EVENTS_SCHEMA), plus `source_file` and `source_line` when a metric takes its latest
    value (they break ties between events of one instant).

    Both the event index (`metric_events`) and the daily aggregates (`daily_usage`) are read from
    these rows, so each event's properties are read once.
    """
    latest = any(spec.aggregation == "latest" for spec in metrics)
    schema = {**METRIC_EVENTS_SCHEMA, **(_TIE_BREAKS if latest else {})}
    if not metrics:
        return pl.LazyFrame(schema=schema)
    frames = []
    for spec in metrics:
        selected = _metric_selected(events, spec)
        numeric = spec.aggregation in ("sum", "max", "latest")
        columns = {name: pl.col(name).cast(dtype) for name, dtype in schema.items()}
        columns.update(
            rate_card_id=pl.lit(spec.rate_card_id),
            product_id=pl.lit(spec.product_id),
            value=pl.col("value").cast(QUANTITY, strict=False) if numeric else pl.lit(None, QUANTITY),
            distinct_value=pl.col("value") if spec.aggregation == "unique" else pl.lit(None, pl.String),
        )
        frames.append(selected.select(**columns))
    return pl.concat(frames, how="vertical")


def metric_events(rows: pl.LazyFrame) -> pl.LazyFrame:
    """The event index (METRIC_EVENTS_SCHEMA) of `metric_rows`."""
    return rows.select(*METRIC_EVENTS_SCHEMA)


def _metric_daily(rows: pl.LazyFrame, spec: MetricSpec) -> pl.LazyFrame:
    selected = rows.filter((pl.col("rate_card_id") == spec.rate_card_id) & (pl.col("product_id") == spec.product_id))
    keys = ["customer_id", "usage_date", "group_value", "presentation_value", "late_partition"]
    value = pl.col("value")
    if spec.aggregation == "unique":
        keys = [*keys, "distinct_value"]
        quantity = pl.lit(None, QUANTITY)
    elif spec.aggregation == "count":
        quantity = pl.len().cast(QUANTITY)
    elif spec.aggregation == "sum":
        quantity = value.sum()
    elif spec.aggregation == "max":
        quantity = value.max()
    elif spec.aggregation == "latest":
        quantity = value.sort_by(["event_at", *_TIE_BREAKS]).last()
    else:
        raise ValueError(f"unknown aggregation {spec.aggregation!r} for product {spec.product_id}")
    daily = (
        selected.with_columns(late_partition=_late_partition())
        .group_by(keys)
        .agg(quantity.alias("quantity"), pl.col("event_at").max().alias("last_at"), pl.len().alias("event_count"))
    )
    if spec.aggregation != "unique":
        daily = daily.with_columns(distinct_value=pl.lit(None, pl.String))
    return daily.with_columns(
        rate_card_id=pl.lit(spec.rate_card_id),
        product_id=pl.lit(spec.product_id),
        aggregation=pl.lit(spec.aggregation),
        quantity=pl.col("quantity").cast(QUANTITY),
        event_count=pl.col("event_count").cast(pl.Int64),
    ).select(list(DAILY_SCHEMA))


def daily_usage(rows: pl.LazyFrame, metrics: list[MetricSpec]) -> pl.LazyFrame:
    """Daily aggregates of every metric over its `metric_rows` (one lazy plan)."""
    if not metrics:
        return pl.LazyFrame(schema=DAILY_SCHEMA)
    return pl.concat([_metric_daily(rows, spec) for spec in metrics], how="vertical")


SEGMENT_SCHEMA = {
    "contract_id": pl.String,
    "customer_id": pl.String,
    "rate_card_id": pl.String,
    "product_id": pl.String,
    "segment_index": pl.Int64,
    "segment_start": pl.Date,
    "segment_end": pl.Date,
    "period_end": pl.Date,
}


def segment_quantities(daily: pl.DataFrame, segments: pl.DataFrame, keep: pl.Expr | None = None) -> pl.DataFrame:
    """Aggregate daily usage into each contract's rate segments, by the metric's own rule.

    `segments` has one row per (contract, product, segment) with half-open day bounds. Returns one
    row per (contract, product, segment, group value, presentation value) with `quantity`
    (Decimal) and `event_count`. `keep` selects which late rows count (see `rating.close`); by
    default a late row counts where its billing partition falls inside the segment's period.
    """
    joined = daily.join(segments, on=["customer_id", "rate_card_id", "product_id"], how="inner").filter(
        (pl.col("usage_date") >= pl.col("segment_start")) & (pl.col("usage_date") < pl.col("segment_end"))
    )
    late = pl.col("late_partition")
    joined = joined.filter(late.is_null() | (late < pl.col("period_end")) if keep is None else keep)
    keys = ["contract_id", "product_id", "segment_index", "group_value", "presentation_value"]
    quantity = (
        pl.when(pl.col("aggregation").first().is_in(["count", "sum"]))
        .then(pl.col("quantity").sum())
        .when(pl.col("aggregation").first() == "max")
        .then(pl.col("quantity").max())
        .when(pl.col("aggregation").first() == "unique")
        .then(pl.col("distinct_value").drop_nulls().n_unique().cast(QUANTITY))
        .otherwise(pl.col("quantity").sort_by("last_at").last())
    )
    return (
        joined.group_by(keys)
        .agg(quantity.cast(QUANTITY).alias("quantity"), pl.col("event_count").sum().alias("event_count"))
        .sort(keys, nulls_last=True)
    )
