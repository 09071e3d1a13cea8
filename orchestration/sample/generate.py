"""Generate a month of the demo world's usage into a landing folder, with a manifest of its dirt.

`generate_month` writes JSON Lines files in arrival-date folders,
`<landing>/YYYY-MM-DD/events-<YYYY-MM>-NN.jsonl` (the usage month in the name keeps two generated
months that share an arrival day apart), and `<landing>/<YYYY-MM>-manifest.json`. The same seed
and scale write the same bytes; a re-run first removes the month's earlier files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from orchestration.sample.benchmark import generate_benchmark
from orchestration.sample.dirt import plant, planted_counts
from orchestration.sample.events import clean_events

__all__ = ["GenerationManifest", "generate_benchmark", "generate_month"]

LINES_PER_FILE = 1_000


@dataclass(frozen=True)
class GenerationManifest:
    """What a generated month contains: ingest must find exactly this.

    `planted` counts the rows that must be quarantined, by reason code; `duplicates` the exact
    re-deliveries; `accepted` the distinct clean events. `total_rows` = accepted + duplicates +
    sum(planted) is every record line written.
    """

    month: date
    seed: int
    scale: float
    total_rows: int
    accepted: int
    duplicates: int
    planted: dict[str, int]
    alias_events: int
    accepted_by_customer: dict[str, int]
    accepted_by_event_type: dict[str, int]
    files: list[str] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return sum(self.planted.values())

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "month": self.month.isoformat()}, indent=2, sort_keys=True) + "\n"


def generate_month(month: date, landing_dir: Path, seed: int, scale: float = 1.0) -> GenerationManifest:
    """Write one month of usage (clean events plus planted dirt) and return its manifest."""
    landing_dir = Path(landing_dir)
    rng = np.random.default_rng(seed)
    clean = clean_events(rng, month, scale)
    dirt = plant(rng, clean, month, scale)
    rows = pl.concat([clean.select("line", "arrival", order_at="event_at"), dirt]).sort(
        "arrival", "order_at", "line", maintain_order=True
    )
    files = _write(rows, landing_dir, month)
    planted, duplicates = planted_counts(scale)
    manifest = GenerationManifest(
        month=month,
        seed=seed,
        scale=scale,
        total_rows=rows.height,
        accepted=clean.height,
        duplicates=duplicates,
        planted=planted,
        alias_events=clean.filter(pl.col("sent_customer_id") != pl.col("customer_id")).height,
        accepted_by_customer=_tally(clean, "customer_id"),
        accepted_by_event_type=_tally(clean, "event_type"),
        files=files,
    )
    (landing_dir / f"{month:%Y-%m}-manifest.json").write_text(manifest.to_json())
    return manifest


def _write(rows: pl.DataFrame, landing_dir: Path, month: date) -> list[str]:
    for stale in landing_dir.glob(f"*/events-{month:%Y-%m}-*.jsonl"):
        stale.unlink()
    numbered = rows.with_columns(file=(pl.int_range(pl.len()).over("arrival") // LINES_PER_FILE + 1).cast(pl.Int64))
    written = []
    for (arrival, number), part in numbered.partition_by("arrival", "file", as_dict=True).items():
        relative = f"{arrival:%Y-%m-%d}/events-{month:%Y-%m}-{number:02d}.jsonl"
        target = landing_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        part.select("line").write_csv(target, include_header=False, quote_style="never")
        written.append(relative)
    return sorted(written)


def _tally(frame: pl.DataFrame, column: str) -> dict[str, int]:
    counted = frame.group_by(column).len().sort(column)
    return dict(zip(counted.get_column(column).to_list(), counted.get_column("len").to_list(), strict=True))
