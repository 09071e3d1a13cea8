"""Money: exact decimals, currency minor units and the one rounding rule meterbook uses.

Every amount is a `Decimal`. A line's amount is the exact sum of its parts, rounded once, half away
from zero, to the currency's minor unit (billing-semantics.md, "Money").
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units for the currencies meterbook prices in. Unknown codes are rejected by
# contract validation rather than guessed.
MINOR_UNITS: dict[str, int] = {
    "USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "AUD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2,
    "INR": 2, "BRL": 2, "MXN": 2, "SGD": 2, "NZD": 2, "ZAR": 2, "PLN": 2, "HKD": 2, "CNY": 2,
    "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3,
}  # fmt: skip

ZERO = Decimal(0)


def minor_units(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise ValueError(f"unknown currency {currency!r}; known: {', '.join(sorted(MINOR_UNITS))}") from None


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half away from zero to the currency's minor unit (Python's ROUND_HALF_UP is away from zero)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Exact conversion for amounts read from YAML or JSON; floats go through their repr, never binary."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).strip().replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


_QUANTITY_ROUNDING = {
    "up": ROUND_CEILING,
    "down": ROUND_FLOOR,
    "half_up": ROUND_HALF_UP,
    "truncate": ROUND_DOWN,
}


def round_quantity(quantity: Decimal, mode: str, decimals: int) -> Decimal:
    """Quantity rounding before pricing: `up` and `down` go toward +/- infinity, `half_up` away from zero."""
    return quantity.quantize(Decimal(1).scaleb(-decimals), rounding=_QUANTITY_ROUNDING[mode])


def format_money(amount: Decimal, currency: str) -> str:
    return f"{round_money(amount, currency):,} {currency}"
