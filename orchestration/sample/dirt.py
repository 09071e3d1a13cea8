"""The dirt a real usage feed carries, planted in known numbers so every bad row can be traced.

Re-deliveries (exact copies) and conflicting copies (same event_id, another quantity) of clean
events arrive a day after the original. Every other bad row is a plausible event spoiled in one
way, arriving on one of the month's first 28 days (so a row without a usable date still belongs
to this month by its arrival). Bad rows are few (dozens), so they are built one by one.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from orchestration.ingest.timestamps import UTC_US
from orchestration.sample import world
from orchestration.sample.events import properties

# Bad rows per reason code at scale 1 (at least one each at any scale).
PLANTED = {
    "malformed_record": 3,
    "missing_event_id": 3,
    "missing_customer_id": 3,
    "missing_event_type": 2,
    "missing_event_at": 2,
    "unparsable_event_at": 5,
    "future_event": 4,
    "unknown_customer": 12,
    "invalid_properties": 3,
    "non_numeric_value": 6,
    "conflicting_duplicate": 10,
}
EXACT_DUPLICATES = 40
_UNPARSABLE = ("2026-10-17 25:61:00", "17/10/2026 10:00", "yesterday", "2026-10-32T10:00:00Z", "1760695200")
_BAD_PROPERTIES = ({"workflow": {"id": "claims-intake"}}, {"tags": ["ocr", "priority"]}, {"status": None})
_NOT_NUMBERS = ("many", "1,200", True)


def planted_counts(scale: float) -> tuple[dict[str, int], int]:
    """(bad rows per reason code, exact re-deliveries) for a scale."""
    return {code: max(1, round(n * scale)) for code, n in PLANTED.items()}, max(1, round(EXACT_DUPLICATES * scale))


def plant(rng: np.random.Generator, clean: pl.DataFrame, month: date, scale: float) -> pl.DataFrame:
    """Lines to add to the month: columns line, arrival (Date), order_at (when it was sent)."""
    counts, duplicates = planted_counts(scale)
    conflicts = counts["conflicting_duplicate"]
    quantities = np.flatnonzero(clean.get_column("event_type").is_in(["workflow_run", "llm_call"]).to_numpy())
    chosen = rng.choice(quantities, size=duplicates + conflicts, replace=False)
    copies = clean[chosen].select(
        "line", "event_type", arrival=pl.col("arrival") + pl.duration(days=1), order_at="event_at"
    )
    changed = [_another_quantity(line) for line in copies.get_column("line").tail(conflicts)]
    copies = copies.with_columns(
        line=pl.concat([copies.get_column("line").head(duplicates), pl.Series(changed, dtype=pl.String)])
    ).drop("event_type")
    rows = [
        _spoiled(rng, month, code, i) for code, n in counts.items() if code != "conflicting_duplicate" for i in range(n)
    ]
    spoiled = pl.DataFrame(rows, schema={"line": pl.String, "arrival": pl.Date, "order_at": UTC_US}, orient="row")
    return pl.concat([copies, spoiled])


def _another_quantity(line: str) -> str:
    record = json.loads(line)
    props = record["properties"]
    if "tokens" in props:
        props["tokens"] += 100
    else:
        props["duration_ms"] += 250
    return json.dumps(record, separators=(",", ":"))


def _spoiled(rng: np.random.Generator, month: date, code: str, i: int) -> tuple[str, date, datetime]:
    day = int(rng.integers(0, 28))
    arrival = month + timedelta(days=day)
    sent = datetime.combine(arrival, datetime.min.time(), UTC) + timedelta(seconds=int(rng.integers(0, 86_400)))
    customer, event_type = _sender(rng, "llm_call" if code == "non_numeric_value" else None)
    record: dict = {
        "event_id": f"evt-{month:%Y%m}-x{code[:4]}{i:03d}",
        "customer_id": customer,
        "event_type": event_type,
        "event_at": sent.strftime("%Y-%m-%dT%H:%M:%S.") + f"{sent.microsecond // 1000:03d}Z",
        "properties": json.loads(properties(rng, event_type, np.array([day])).item()),
    }
    if code == "malformed_record":
        text = json.dumps(record, separators=(",", ":"))
        lines = (text[: len(text) // 2], f"{customer},{event_type},{record['event_at']}", f"[{text}]")
        return lines[i % 3], arrival, sent
    if code.startswith("missing_"):
        field = code.removeprefix("missing_")
        if i % 2:
            record[field] = "" if field != "event_at" else None
        else:
            del record[field]
    elif code == "unparsable_event_at":
        record["event_at"] = _UNPARSABLE[i % len(_UNPARSABLE)]
    elif code == "future_event":
        record["event_at"] = f"{arrival + timedelta(days=3):%Y-%m-%d}T09:00:00Z"
    elif code == "unknown_customer":
        record["customer_id"] = world.UNKNOWN_CUSTOMERS[i % len(world.UNKNOWN_CUSTOMERS)]
    elif code == "invalid_properties":
        record["properties"] = _BAD_PROPERTIES[i % len(_BAD_PROPERTIES)]
    elif code == "non_numeric_value":
        record["properties"]["tokens"] = _NOT_NUMBERS[i % len(_NOT_NUMBERS)]
    return json.dumps(record, separators=(",", ":")), arrival, sent


def _sender(rng: np.random.Generator, event_type: str | None) -> tuple[str, str]:
    """A customer id (or alias) as sent and one of its non-daily event types."""
    pairs = [
        (name, stream.event_type)
        for customer in world.CUSTOMERS
        for name in (customer.id, *customer.aliases)
        for stream in customer.streams
        if not stream.daily and event_type in (None, stream.event_type) and name not in world.OFFSET_SENDERS
    ]
    return pairs[int(rng.integers(0, len(pairs)))]
