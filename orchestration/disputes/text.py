"""How an explanation writes numbers: quantities as counted, money from Decimal, never a float."""

from __future__ import annotations

from decimal import Decimal

from orchestration.domain.money import minor_units, round_money


def number(value: Decimal) -> str:
    """A quantity without trailing zeros, thousands separated: 1500.0000000000 -> 1,500."""
    return f"{value.normalize():,f}"


def exact(value: Decimal, currency: str) -> str:
    """An unrounded price or amount: at least the currency's minor units, every further digit kept."""
    places = minor_units(currency)
    value = value.normalize()
    if -value.as_tuple().exponent < places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return f"{value:,f}"


def money(value: Decimal, currency: str) -> str:
    """An invoiced amount: rounded half away from zero to the currency's minor unit, with the code."""
    return f"{round_money(value, currency):,f} {currency}"


def table(rows: list[tuple[str, str]], indent: str = "  ") -> list[str]:
    """`label  value` rows with the values aligned; a multi-line value continues under itself."""
    width = max((len(label) for label, _ in rows), default=0)
    out = []
    for label, value in rows:
        first, *rest = value.split("\n") or [""]
        out.append(f"{indent}{label:<{width}}  {first}".rstrip())
        out += [f"{indent}{'':<{width}}  {more}".rstrip() for more in rest]
    return out
