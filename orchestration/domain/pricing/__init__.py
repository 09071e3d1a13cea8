"""The pricing engine: pure Decimal functions from quantities and price fields to priced parts.

Owns every price model of billing-semantics.md ("Prices") and the price-scaling overrides. It takes
plain values and duck-typed tiers (pydantic models, mappings or `Tier`), never a contract, so the
rating step decides what to price and this package only says how much, part by part.
"""

from orchestration.domain.pricing.fixed import price_flat, price_percentage, price_seats, read_schedule
from orchestration.domain.pricing.overrides import apply_multiplier, apply_tiered_multiplier, read_bands
from orchestration.domain.pricing.parts import Part, Priced
from orchestration.domain.pricing.usage import (
    Tier,
    price_graduated,
    price_package,
    price_per_unit,
    price_volume,
    read_tiers,
    usage_price,
)

__all__ = [
    "Part",
    "Priced",
    "Tier",
    "apply_multiplier",
    "apply_tiered_multiplier",
    "price_flat",
    "price_graduated",
    "price_package",
    "price_per_unit",
    "price_percentage",
    "price_seats",
    "price_volume",
    "read_bands",
    "read_schedule",
    "read_tiers",
    "usage_price",
]
