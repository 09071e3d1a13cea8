"""`meterbook demo`: land a generated month of the sample world, then say what was planted."""

from __future__ import annotations

from datetime import date

from orchestration.sample.generate import GenerationManifest, generate_month
from orchestration.settings import MeterbookSettings

DEMO_SEED = 2026


def prepare_demo(settings: MeterbookSettings, partition_key: str, scale: float = 1.0) -> str:
    """Generate the month of `partition_key` ('2026-10-01') into the landing folder; a summary."""
    month = date.fromisoformat(partition_key)
    settings.landing.mkdir(parents=True, exist_ok=True)
    return describe(generate_month(month, settings.landing, seed=DEMO_SEED, scale=scale))


def describe(manifest: GenerationManifest) -> str:
    planted = ", ".join(f"{code} {n}" for code, n in manifest.planted.items())
    return "\n".join(
        [
            f"Generated {manifest.month:%B %Y}: {manifest.total_rows:,} rows in {len(manifest.files)} files",
            f"  clean events {manifest.accepted:,} ({manifest.alias_events:,} sent under an alias), "
            f"exact re-deliveries {manifest.duplicates}",
            f"  planted for quarantine ({manifest.quarantined}): {planted}",
        ]
    )
