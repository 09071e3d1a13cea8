"""Usage price models over a period's cumulative quantity: per_unit, graduated, volume, package.

Each function prices the units from `already` to `already + quantity` of the billing period's
cumulative quantity, so a period split by a mid-period price change keeps counting tiers and
packages across the split: pricing the slices in order adds up to pricing the whole.
Zero quantity gives no parts (billing-semantics.md, "Prices").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from orchestration.domain.pricing.parts import ONE, ZERO, Part, Priced, dec, field, non_negative


@dataclass(frozen=True)
class Tier:
    """A tier: units up to `up_to` (inclusive, cumulative; None = no bound) at `unit_price`."""

    up_to: Decimal | None
    unit_price: Decimal
    flat_fee: Decimal = ZERO


def read_tiers(tiers: Iterable[object]) -> tuple[Tier, ...]:
    """Normalise duck-typed tiers (objects or mappings with up_to, unit_price, flat_fee) and check them."""
    table: list[Tier] = []
    for i, raw in enumerate(tiers):
        up_to, flat_fee = field(raw, "up_to"), field(raw, "flat_fee")
        tier = Tier(
            up_to=None if up_to is None else dec(up_to, f"tiers[{i}].up_to"),
            unit_price=dec(field(raw, "unit_price"), f"tiers[{i}].unit_price"),
            flat_fee=ZERO if flat_fee is None else dec(flat_fee, f"tiers[{i}].flat_fee"),
        )
        if table and table[-1].up_to is None:
            raise ValueError(f"tiers[{i - 1}] has no up_to but is not the last tier")
        if tier.up_to is not None and tier.up_to <= (table[-1].up_to if table else ZERO):
            raise ValueError(f"tiers[{i}].up_to {tier.up_to} must be positive and above the previous tier's")
        table.append(tier)
    if not table:
        raise ValueError("tiers are empty")
    return tuple(table)


def _exceeds(top: Decimal, table: tuple[Tier, ...]) -> ValueError:
    return ValueError(f"cumulative quantity {top} exceeds the last tier's up_to {table[-1].up_to}")


def price_per_unit(quantity: Decimal, unit_price: Decimal) -> Priced:
    q = dec(quantity, "quantity")
    if q == 0:
        return Priced()
    return Priced((Part(q, dec(unit_price, "unit_price"), ZERO, ONE, None),))


def price_graduated(quantity: Decimal, tiers: Iterable[object], already: Decimal = ZERO) -> Priced:
    """Units in (previous up_to, up_to] at each tier's price; a tier's flat fee is charged in the
    slice whose units first go above the previous up_to, so exactly once per period."""
    q, a = non_negative(quantity, "quantity"), non_negative(already, "already")
    table = read_tiers(tiers)
    if q == 0:
        return Priced()
    top, lower, parts = a + q, ZERO, []
    for index, tier in enumerate(table):
        low = max(lower, a)
        high = top if tier.up_to is None else min(tier.up_to, top)
        if high > low:
            fee = tier.flat_fee if a <= lower else ZERO
            parts.append(Part(high - low, tier.unit_price, fee, ONE, index))
        if tier.up_to is None or tier.up_to >= top:
            return Priced(tuple(parts))
        lower = tier.up_to
    raise _exceeds(top, table)


def _tier_for(total: Decimal, table: tuple[Tier, ...]) -> tuple[int, Tier]:
    for index, tier in enumerate(table):
        if tier.up_to is None or total <= tier.up_to:
            return index, tier
    raise _exceeds(total, table)


def price_volume(
    quantity: Decimal, tiers: Iterable[object], already: Decimal = ZERO, total: Decimal | None = None
) -> Priced:
    """The quantity at the tier where previous up_to < total <= up_to, plus that tier's flat fee.

    `total` is the period's whole quantity (default `already + quantity`, right for an unsplit
    period). For a period split by a price change, pass the period total to every slice: each
    slice is priced at its own table's tier for that total and the flat fee goes with the first.
    """
    q, a = non_negative(quantity, "quantity"), non_negative(already, "already")
    table = read_tiers(tiers)
    whole = a + q if total is None else non_negative(total, "total")
    if whole < a + q:
        raise ValueError(f"total {whole} is below already + quantity ({a + q})")
    if q == 0:
        return Priced()
    index, tier = _tier_for(whole, table)
    return Priced((Part(q, tier.unit_price, tier.flat_fee if a == 0 else ZERO, ONE, index),))


def _packages(units: Decimal, size: Decimal, round_up: bool) -> Decimal:
    whole, rest = divmod(units, size)
    return whole + 1 if round_up and rest else whole


def price_package(
    quantity: Decimal,
    package_size: Decimal,
    package_price: Decimal,
    round: str = "up",  # the contract format's field name, kept so **fields can be passed through
    already: Decimal = ZERO,
) -> Priced:
    """Packages of the period's cumulative quantity that this slice completes (or opens, rounding
    up), at `package_price` each; the part's quantity is the number of packages."""
    q, a = non_negative(quantity, "quantity"), non_negative(already, "already")
    size = dec(package_size, "package_size")
    price = dec(package_price, "package_price")
    if size <= 0:
        raise ValueError(f"package_size must be positive, got {size}")
    if round not in ("up", "down"):
        raise ValueError(f"package round must be 'up' or 'down', got {round!r}")
    packages = _packages(a + q, size, round == "up") - _packages(a, size, round == "up")
    if packages == 0:
        return Priced()
    return Priced((Part(packages, price, ZERO, ONE, None),))


_MODEL_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # model: (required fields, optional fields)
    "per_unit": (frozenset({"unit_price"}), frozenset()),
    "graduated": (frozenset({"tiers"}), frozenset()),
    "volume": (frozenset({"tiers"}), frozenset()),
    "package": (frozenset({"package_size", "package_price"}), frozenset({"round"})),
}


def usage_price(
    model: str, quantity: Decimal, already: Decimal = ZERO, *, total: Decimal | None = None, **fields: object
) -> Priced:
    """Price a slice of a period's usage with the rate card fields of `model`.

    Fields whose value is None count as absent (a model dump of a price carries the other models'
    fields as None); any other field the model does not take is an error, never ignored. `total`,
    the period's whole quantity, only matters to volume pricing of a split period.
    """
    if model not in _MODEL_FIELDS:
        raise ValueError(f"unknown usage price model {model!r}; expected one of {', '.join(_MODEL_FIELDS)}")
    given = {name: value for name, value in fields.items() if value is not None}
    required, optional = _MODEL_FIELDS[model]
    if missing := sorted(required - given.keys()):
        raise ValueError(f"{model} price is missing {', '.join(missing)}")
    if unexpected := sorted(given.keys() - required - optional):
        raise ValueError(f"{model} price does not take {', '.join(unexpected)}")
    if model == "per_unit":
        return price_per_unit(quantity, given["unit_price"])
    if model == "graduated":
        return price_graduated(quantity, given["tiers"], already)
    if model == "volume":
        return price_volume(quantity, given["tiers"], already, total)
    return price_package(quantity, given["package_size"], given["package_price"], given.get("round", "up"), already)
