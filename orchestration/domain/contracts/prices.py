"""Price models of the rate card (per_unit, graduated, volume, package, flat, seats, percentage).

Each usage model is split into its *terms* (the fields that set the price) and the dated price that
carries them, so the same terms serve three places: a rate card price, a per-group price under
`group_prices`, and a contract override's `overwrite`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from orchestration.domain.contracts.types import Amount, Dated, Id, Positive, Schedule, Strict
from orchestration.domain.money import ZERO

USAGE_MODELS = ("per_unit", "graduated", "volume", "package")
PRICE_MODELS = (*USAGE_MODELS, "flat", "seats", "percentage")


class Tier(Strict):
    up_to: Positive | None = Field(
        default=None, description="inclusive cumulative upper bound; omitted on the last tier"
    )
    unit_price: Amount = Field(default=ZERO, description="price of each unit in this tier")
    flat_fee: Amount = Field(default=ZERO, description="charged once when the quantity reaches this tier")


class PerUnitTerms(Strict):
    unit_price: Amount = Field(description="quantity x unit_price")


class TieredTerms(Strict):
    tiers: list[Tier] = Field(min_length=1, description="up_to strictly increasing; last tier has none")


class PackageTerms(Strict):
    package_size: Positive = Field(description="units per package")
    package_price: Amount = Field(description="price of one package")
    round: Literal["up", "down"] = Field(default="up", description="partial packages: up bills them")


class PerUnitPrice(PerUnitTerms, Dated):
    model: Literal["per_unit"]
    group_prices: dict[str, PerUnitTerms] | None = Field(
        default=None, description="pricing group value -> its own unit_price"
    )


class GraduatedPrice(TieredTerms, Dated):
    model: Literal["graduated"]
    group_prices: dict[str, TieredTerms] | None = None


class VolumePrice(TieredTerms, Dated):
    model: Literal["volume"]
    group_prices: dict[str, TieredTerms] | None = None


class PackagePrice(PackageTerms, Dated):
    model: Literal["package"]
    group_prices: dict[str, PackageTerms] | None = None


class FlatPrice(Dated):
    model: Literal["flat"]
    amount: Amount = Field(description="charged on the schedule")
    schedule: Schedule


class SeatsPrice(Dated):
    model: Literal["seats"]
    unit_price: Amount = Field(description="per seat per month, prorated by days")


class PercentagePrice(Dated):
    model: Literal["percentage"]
    percent: Amount = Field(description="5 means 5% of the spend on of_products")
    of_products: list[Id] = Field(min_length=1, description="products whose spend is the base")
    minimum: Amount | None = Field(default=None, description="the charge is the greater of this and percent")


Price = Annotated[
    PerUnitPrice | GraduatedPrice | VolumePrice | PackagePrice | FlatPrice | SeatsPrice | PercentagePrice,
    Field(discriminator="model"),
]
UsagePrice = PerUnitPrice | GraduatedPrice | VolumePrice | PackagePrice


class PerUnitOverwrite(PerUnitTerms):
    model: Literal["per_unit"]


class GraduatedOverwrite(TieredTerms):
    model: Literal["graduated"]


class VolumeOverwrite(TieredTerms):
    model: Literal["volume"]


class PackageOverwrite(PackageTerms):
    model: Literal["package"]


Overwrite = Annotated[
    PerUnitOverwrite | GraduatedOverwrite | VolumeOverwrite | PackageOverwrite,
    Field(discriminator="model"),
]


def is_usage_price(price: object) -> bool:
    return getattr(price, "model", None) in USAGE_MODELS
