"""Clean usage of the demo world for one month, generated with numpy and Polars (no per-event loop).

Per customer stream and day, a Poisson count shaped by the weekday and a slow growth over the
month; times follow business hours; properties follow `world`. The result is one row per event
with the JSON line a customer's SDK would send, the day it reaches the landing folder (the same
day, or the next), and its canonical customer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from orchestration.ingest.timestamps import UTC_US, next_month
from orchestration.sample import world

_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000


def clean_events(rng: np.random.Generator, month: date, scale: float) -> pl.DataFrame:
    """Columns: event_id, customer_id (canonical), sent_customer_id, event_type, event_at,
    properties (JSON text), line (the JSON line), arrival (Date)."""
    days = (next_month(month) - month).days
    weekday = np.array([world.WEEKDAY_FACTORS[(month + timedelta(d)).weekday()] for d in range(days)])
    shape = weekday * (1 + 0.1 * np.arange(days) / days)
    hours = np.array(world.HOUR_WEIGHTS, dtype=float) / sum(world.HOUR_WEIGHTS)
    frames = []
    for customer in world.CUSTOMERS:
        for stream in customer.streams:
            counts = np.ones(days, int) if stream.daily else rng.poisson(stream.per_weekday * scale * shape)
            day = np.repeat(np.arange(days), counts)
            n = len(day)
            if stream.daily:  # snapshots are taken at 00:05 UTC
                offset = np.full(n, 5 * 60 * 1_000_000)
            else:
                offset = rng.choice(24, size=n, p=hours) * _HOUR_US + rng.integers(0, _HOUR_US // 1000, n) * 1000
            aliased = rng.random(n) < customer.alias_share
            frames.append(
                pl.DataFrame(
                    {
                        "customer_id": np.full(n, customer.id),
                        "sent_customer_id": np.where(aliased, (*customer.aliases, customer.id)[0], customer.id),
                        "event_type": np.full(n, stream.event_type),
                        "at_us": day.astype(np.int64) * _DAY_US + offset,
                        "properties": properties(rng, stream.event_type, day),
                    }
                )
            )
    start = datetime.combine(month, datetime.min.time(), UTC)
    events = pl.concat(frames).sort("at_us", "customer_id", "event_type", maintain_order=True)
    n = events.height
    late_hour = events.get_column("at_us").to_numpy() % _DAY_US >= 23 * _HOUR_US
    next_day = (rng.random(n) < world.NEXT_DAY_SHARE) | (late_hour & (rng.random(n) < 0.5))
    serial = pl.Series(rng.permutation(n)).cast(pl.String).str.zfill(6)
    events = events.with_columns(
        event_id=pl.lit(f"evt-{month:%Y%m}-") + serial,
        event_at=(pl.lit(start, UTC_US) + pl.duration(microseconds=pl.col("at_us"))).cast(UTC_US),
        next_day=pl.Series(next_day.astype(np.int64)),
    ).with_columns(arrival=pl.col("event_at").dt.date() + pl.duration(days=pl.col("next_day")))
    return events.with_columns(line=event_line(event_at_text())).drop("at_us", "next_day")


def event_at_text() -> pl.Expr:
    """How each sender writes its timestamps: UTC with Z, or local time with its offset."""
    utc = pl.col("event_at").dt.to_string("%Y-%m-%dT%H:%M:%S%.3fZ")
    text = utc
    for sender, offset in world.OFFSET_SENDERS.items():
        sign, hh, mm = (1 if offset[0] == "+" else -1), int(offset[1:3]), int(offset[4:6])
        local = pl.col("event_at") + pl.duration(minutes=sign * (hh * 60 + mm))
        text = (
            pl.when(pl.col("sent_customer_id") == sender)
            .then(local.dt.to_string("%Y-%m-%dT%H:%M:%S%.3f") + pl.lit(offset))
            .otherwise(text)
        )
    return text


def event_line(event_at: pl.Expr) -> pl.Expr:
    # The ids, types and times of this world never need JSON escaping.
    return pl.format(
        '{{"event_id":"{}","customer_id":"{}","event_type":"{}","event_at":"{}","properties":{}}}',
        "event_id",
        "sent_customer_id",
        "event_type",
        event_at,
        "properties",
    )


def properties(rng: np.random.Generator, event_type: str, day: np.ndarray) -> pl.Series:
    """JSON objects as the SDK writes them (its own key order, numbers as it prints them)."""
    n = len(day)
    if event_type == "workflow_run":
        frame = pl.DataFrame(
            {
                "w": np.array(world.WORKFLOWS)[rng.choice(len(world.WORKFLOWS), n, p=world.WORKFLOW_SHARES)],
                "s": np.where(rng.random(n) < world.FAILED_SHARE, "failed", "success"),
                "d": rng.lognormal(9.4, 0.6, n).astype(np.int64),
            }
        )
        expr = pl.format('{{"workflow_id":"{}","status":"{}","duration_ms":{}}}', "w", "s", "d")
    elif event_type == "api_call":
        frame = pl.DataFrame({"e": np.array(world.ENDPOINTS)[rng.integers(0, len(world.ENDPOINTS), n)]})
        expr = pl.format('{{"endpoint":"{}"}}', "e")
    elif event_type == "llm_call":
        frame = pl.DataFrame(
            {
                "m": np.where(rng.random(n) < world.LARGE_MODEL_SHARE, *world.MODELS),
                "t": rng.lognormal(7.1, 0.7, n).astype(np.int64) + 1,
            }
        )
        expr = pl.format('{{"model":"{}","tokens":{}}}', "m", "t")
    elif event_type == "storage_snapshot":
        docs = world.DOCUMENTS_AT_START + world.DOCUMENTS_PER_DAY * day + rng.integers(0, 120, n)
        frame = pl.DataFrame({"n": docs.astype(np.int64)})
        expr = pl.format('{{"documents":{}}}', "n")
    elif event_type == "connector_sync":
        frame = pl.DataFrame({"c": np.array(world.CONNECTORS)[rng.integers(0, len(world.CONNECTORS), n)]})
        expr = pl.format('{{"connector_id":"{}"}}', "c")
    elif event_type == "compute_usage":
        frame = pl.DataFrame({"h": np.array(world.COMPUTE_HOURS)[rng.integers(0, len(world.COMPUTE_HOURS), n)]})
        expr = pl.format('{{"hours":{}}}', "h")
    else:
        raise ValueError(f"the demo world has no event type {event_type!r}")
    return frame.select(expr.alias("properties")).to_series()
