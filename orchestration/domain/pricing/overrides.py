"""Contract overrides that scale a priced result: the multiplier and the tiered multiplier.

Both keep the list price visible on every part and put the override in the part's `multiplier`,
so an invoice shows "list price x 0.9" and a multiplier follows list price changes
(billing-semantics.md, "Contract terms on top of the rate card").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from orchestration.domain.pricing.parts import ONE, ZERO, Priced, dec, field, non_negative


def apply_multiplier(priced: Priced, multiplier: Decimal) -> Priced:
    """Scale every part: unit prices through the part's multiplier, flat fees directly.

    The flat fee is stored already scaled so that `amount = q x price x multiplier + flat_fee` stays
    the one formula SQL recomputes.
    """
    m = dec(multiplier, "multiplier")
    return Priced(tuple(replace(p, multiplier=p.multiplier * m, flat_fee=p.flat_fee * m) for p in priced.parts))


def read_bands(bands: Iterable[object]) -> list[tuple[Decimal | None, Decimal]]:
    """(up_to, multiplier) pairs from tuples, objects or mappings; up_to strictly increasing."""
    result: list[tuple[Decimal | None, Decimal]] = []
    for i, raw in enumerate(bands):
        if isinstance(raw, Sequence) and not isinstance(raw, str):
            if len(raw) != 2:
                raise ValueError(f"bands[{i}] must be (up_to, multiplier), got {raw!r}")
            up_to, multiplier = raw
        else:
            up_to, multiplier = field(raw, "up_to"), field(raw, "multiplier")
        bound = None if up_to is None else dec(up_to, f"bands[{i}].up_to")
        if result and result[-1][0] is None:
            raise ValueError(f"bands[{i - 1}] has no up_to but is not the last band")
        if bound is not None and bound <= (result[-1][0] if result else ZERO):
            raise ValueError(f"bands[{i}].up_to {bound} must be positive and above the previous band's")
        result.append((bound, dec(multiplier, f"bands[{i}].multiplier")))
    if not result:
        raise ValueError("tiered multiplier bands are empty")
    return result


def apply_tiered_multiplier(
    quantity: Decimal,
    already: Decimal,
    bands: Iterable[object],
    price_fn: Callable[[Decimal, Decimal], Priced],
) -> Priced:
    """Price units `already..already+quantity` of the period with a multiplier per band.

    Bands [(up_to | None, multiplier)] cover the period's cumulative quantity; units beyond the
    last bounded band are at list price (multiplier 1). Each band's slice is priced by
    `price_fn(slice_quantity, already_for_slice)`, so tiers keep counting across bands.
    """
    q, a = non_negative(quantity, "quantity"), non_negative(already, "already")
    table = read_bands(bands)
    if table[-1][0] is not None:
        table.append((None, ONE))
    top, lower, result = a + q, ZERO, Priced()
    for up_to, multiplier in table:
        low = max(lower, a)
        high = top if up_to is None else min(up_to, top)
        if high > low:
            result += apply_multiplier(price_fn(high - low, low), multiplier)
        if up_to is None or up_to >= top:
            break
        lower = up_to
    return result
