"""Priced results and their parts, and the input coercion every price model shares.

A `Priced` carries the parts that make up its amount, so an invoice line can show its tier
breakdown and SQL can recompute every amount (architecture.md, `rated_line_parts`). All arithmetic
is exact Decimal: rounding to the currency happens once per line, outside this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from orchestration.domain.money import to_decimal

ZERO = Decimal(0)
ONE = Decimal(1)


def dec(value: object, name: str) -> Decimal:
    """A finite Decimal from a Decimal, int or numeric string; floats are refused, not converted."""
    if isinstance(value, float):
        raise ValueError(f"{name} is the float {value!r}; pass a Decimal or a string to keep it exact")
    if value is None:
        raise ValueError(f"{name} is missing")
    try:
        result = to_decimal(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    if not result.is_finite():
        raise ValueError(f"{name} is not a finite number: {value!r}")
    return result


def non_negative(value: object, name: str) -> Decimal:
    result = dec(value, name)
    if result < 0:
        raise ValueError(f"{name} is negative ({result}); tiered and packaged prices need >= 0")
    return result


def field(obj: object, name: str, default: object = None) -> object:
    """Read a field from a model object or a mapping, so pydantic models and plain dicts both work."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


@dataclass(frozen=True)
class Part:
    """One priced slice: `quantity x unit_price x multiplier + flat_fee`, exact."""

    quantity: Decimal
    unit_price: Decimal
    flat_fee: Decimal = ZERO
    multiplier: Decimal = ONE
    tier_index: int | None = None

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price * self.multiplier + self.flat_fee


@dataclass(frozen=True)
class Priced:
    parts: tuple[Part, ...] = ()

    @property
    def amount(self) -> Decimal:
        return sum((part.amount for part in self.parts), ZERO)

    @property
    def quantity(self) -> Decimal:
        """Sum of the parts' quantities: units for tiered and per-unit, packages for package."""
        return sum((part.quantity for part in self.parts), ZERO)

    def __add__(self, other: Priced) -> Priced:
        return Priced(self.parts + other.parts)
