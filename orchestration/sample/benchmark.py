"""Benchmark landing data: millions of clean-ish events over many customers, as Parquet files.

Customers `cust-0001` .. `cust-NNNN` (skewed: a few customers send most of the traffic) emit
workflow_run, api_call and llm_call events during one month. About 0.2 % of the rows are
re-deliveries (exact copies of an earlier row of the same file), so deduplication has real work.
Files hold one million rows each (row groups of 250,000) in `<out_dir>/YYYY-MM-DD/`, the day after
the month ends, so every row arrives after its event and none is late. `event_at` is a UTC
timestamp column and `properties` a JSON text column with sorted keys, as an export from a
warehouse would write them. Generation works chunk by chunk, so memory stays flat.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from orchestration.ingest.timestamps import UTC_US, next_month

ROWS_PER_FILE = 1_000_000
ROW_GROUP_SIZE = 250_000
DUPLICATE_SHARE = 0.002
_TYPES = ("workflow_run", "api_call", "llm_call")
_TYPE_SHARES = (0.5, 0.35, 0.15)
_WORKFLOWS = ("invoice-processing", "claims-intake", "vendor-onboarding", "contract-review")
_ENDPOINTS = ("/v1/runs", "/v1/documents", "/v1/workflows", "/v1/extract")
_MODELS = ("gpt-large", "gpt-small")


def generate_benchmark(out_dir: Path, n_events: int, n_customers: int = 1000, *, month: date, seed: int = 7) -> Path:
    """Write `n_events` rows (duplicates included) and return the landing folder (`out_dir`)."""
    out_dir = Path(out_dir)
    folder = out_dir / next_month(month).isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    weights = np.random.default_rng([seed, 0]).lognormal(0.0, 1.2, n_customers)
    weights /= weights.sum()
    start = datetime.combine(month, datetime.min.time(), UTC)
    span_us = int((datetime.combine(next_month(month), datetime.min.time(), UTC) - start).total_seconds() * 1e6)
    for index, offset in enumerate(range(0, n_events, ROWS_PER_FILE)):
        rows = min(ROWS_PER_FILE, n_events - offset)
        chunk = _chunk(np.random.default_rng([seed, index + 1]), rows, offset, weights, start, span_us)
        chunk.write_parquet(folder / f"part-{index:04d}.parquet", row_group_size=ROW_GROUP_SIZE)
    return out_dir


def _chunk(
    rng: np.random.Generator, rows: int, offset: int, weights: np.ndarray, start: datetime, span_us: int
) -> pl.DataFrame:
    kind = rng.choice(len(_TYPES), size=rows, p=_TYPE_SHARES).astype(np.int8)
    frame = pl.DataFrame(
        {
            "n": np.arange(offset, offset + rows, dtype=np.int64),
            "customer": rng.choice(len(weights), size=rows, p=weights).astype(np.int32) + 1,
            "kind": kind,
            "at_us": np.sort(rng.integers(0, span_us, size=rows)),
            "pick": rng.integers(0, 4, size=rows).astype(np.int8),
            "failed": rng.random(rows) < 0.05,
            "amount": rng.integers(200, 60_000, size=rows),
        }
    )
    events = frame.select(
        event_id=pl.lit("evt-") + pl.col("n").cast(pl.String).str.zfill(10),
        customer_id=pl.lit("cust-") + pl.col("customer").cast(pl.String).str.zfill(4),
        event_type=_pick(pl.col("kind"), _TYPES),
        event_at=(pl.lit(start, UTC_US) + pl.duration(microseconds=pl.col("at_us"))).cast(UTC_US),
        properties=pl.when(pl.col("kind") == 0)
        .then(
            pl.format(
                '{{"duration_ms":{},"status":"{}","workflow_id":"{}"}}',
                pl.col("amount"),
                pl.when(pl.col("failed")).then(pl.lit("failed")).otherwise(pl.lit("success")),
                _pick(pl.col("pick"), _WORKFLOWS),
            )
        )
        .when(pl.col("kind") == 1)
        .then(pl.format('{{"endpoint":"{}"}}', _pick(pl.col("pick"), _ENDPOINTS)))
        .otherwise(pl.format('{{"model":"{}","tokens":{}}}', _pick(pl.col("pick") % 2, _MODELS), pl.col("amount"))),
    )
    # Re-deliveries: the last rows of the chunk become exact copies of random earlier rows.
    copies = int(rows * DUPLICATE_SHARE)
    if copies:
        sources = rng.integers(0, rows - copies, size=copies)
        events = pl.concat([events.head(rows - copies), events[sources]])
    return events


def _pick(index: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    return index.replace_strict(dict(enumerate(values)), return_dtype=pl.String)


BENCH_RATE_CARD = """\
id: bench-list-2026
currency: USD
description: Benchmark list prices for the generated workflow_run, api_call and llm_call events
products:
  - id: workflow_runs
    name: Workflow runs
    metric:
      event_type: workflow_run
      aggregation: count
      filters:
        - {property: status, in: [success]}
      pricing_group_key: workflow_id
    prices:
      - starts: 2026-01-01
        model: per_unit
        unit_price: 1.00
        group_prices:
          invoice-processing: {unit_price: 2.50}
          claims-intake: {unit_price: 4.00}
          vendor-onboarding: {unit_price: 1.50}
  - id: api_calls
    name: API calls
    metric:
      event_type: api_call
      aggregation: count
    prices:
      - starts: 2026-01-01
        model: graduated
        tiers:
          - {up_to: 10000, unit_price: 0.01}
          - {up_to: 100000, unit_price: 0.008}
          - {unit_price: 0.005}
  - id: llm_tokens
    name: LLM tokens (per 1,000)
    metric:
      event_type: llm_call
      aggregation: sum
      property: tokens
      presentation_group_key: model
      conversion: {divide_by: 1000}
      rounding: {mode: up, decimals: 0}
    prices:
      - {starts: 2026-01-01, model: per_unit, unit_price: 0.02}
  - id: platform_fee
    name: Platform fee
    prices:
      - {starts: 2026-01-01, model: flat, amount: 500.00, schedule: monthly}
"""

# Four contract shapes, cycled over the customers: list prices, a negotiated workflow discount,
# an API price override, and a monthly minimum, so rating exercises more than the plain path.
_CONTRACT_EXTRAS = (
    "",
    "discounts:\n  - {id: launch, percent: 10, products: [workflow_runs], starts: 2026-01-01}\n",
    "overrides:\n  - {id: api-deal, product: api_calls, starts: 2026-01-01, multiplier: 0.8}\n",
    "minimums:\n  - {id: monthly-min, amount: 1000.00, starts: 2026-01-01}\n",
)


def write_benchmark_contracts(contracts_dir: Path, n_customers: int = 1000) -> Path:
    """Write the benchmark rate card and one contract per customer `cust-0001` ..; return the folder."""
    contracts_dir = Path(contracts_dir)
    (contracts_dir / "rate_cards").mkdir(parents=True, exist_ok=True)
    (contracts_dir / "customers").mkdir(parents=True, exist_ok=True)
    (contracts_dir / "rate_cards" / "bench-list-2026.yaml").write_text(BENCH_RATE_CARD)
    for number in range(1, n_customers + 1):
        customer = f"cust-{number:04d}"
        text = (
            f"id: {customer}-2026\n"
            f"customer: {{id: {customer}, name: Benchmark customer {number}}}\n"
            "rate_card: bench-list-2026\ncurrency: USD\nstarts: 2026-01-01\nnet_payment_days: 30\n"
            "billing: {frequency: monthly}\n"
            "products:\n  - {product: workflow_runs}\n  - {product: api_calls}\n"
            "  - {product: llm_tokens}\n  - {product: platform_fee}\n"
            + _CONTRACT_EXTRAS[number % len(_CONTRACT_EXTRAS)]
        )
        (contracts_dir / "customers" / f"{customer}.yaml").write_text(text)
    return contracts_dir
