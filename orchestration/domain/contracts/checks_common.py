"""Checks shared by rate cards and contracts: date ranges, overlaps, tiers, exactly-one-of, currency."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from decimal import Decimal

from orchestration.domain.contracts.errors import Issue, Loc, did_you_mean, format_path
from orchestration.domain.money import MINOR_UNITS


def show_date(day: datetime.date | None) -> str:
    return day.isoformat() if day is not None else "open"


def currency_issues(currency: str, loc: Loc) -> list[Issue]:
    if currency in MINOR_UNITS:
        return []
    upper = currency.upper()
    hint = f"; did you mean {upper!r}?" if upper in MINOR_UNITS else did_you_mean(upper, MINOR_UNITS)
    return [Issue(loc, f"unknown currency {currency!r}; known: {', '.join(sorted(MINOR_UNITS))}{hint}")]


def order_issues(loc: Loc, starts: datetime.date | None, ends: datetime.date | None) -> list[Issue]:
    if starts is not None and ends is not None and ends <= starts:
        return [
            Issue(
                (*loc, "ends"),
                f"ends {ends} is not after starts {starts}; ranges are [starts, ends), so ends must be a later date",
            )
        ]
    return []


def overlap_issues(items: Sequence[tuple[Loc, datetime.date, datetime.date | None]], what: str) -> list[Issue]:
    """Each item that starts before an earlier-starting one has ended, named against that one."""
    issues = []
    ordered = sorted(items, key=lambda item: item[1])
    for (prev_loc, prev_start, prev_end), (loc, start, end) in itertools.pairwise(ordered):
        if prev_end is None or prev_end > start:
            issues.append(
                Issue(
                    (*loc, "starts"),
                    (
                        f"{what} {show_date(start)}..{show_date(end)} overlaps {format_path(prev_loc)} "
                        f"({show_date(prev_start)}..{show_date(prev_end)}); "
                        + (
                            f"give that one ends: {start}"
                            if prev_end is None
                            else f"end that one on {start} or start this one on {prev_end}"
                        )
                    ),
                )
            )
    return issues


def tier_issues(tiers: Sequence[object], loc: Loc) -> list[Issue]:
    """Tiers (or tiered multipliers): `up_to` strictly increasing, only the last one open."""
    issues = []
    previous: Decimal | None = None
    last = len(tiers) - 1
    for i, tier in enumerate(tiers):
        up_to = getattr(tier, "up_to", None)
        here = (*loc, i, "up_to")
        if i == last and up_to is not None:
            issues.append(
                Issue(
                    here,
                    f"the last tier must not have up_to (it takes every unit above "
                    f"{previous if previous is not None else 0}); remove up_to: {up_to}",
                )
            )
        elif i < last and up_to is None:
            issues.append(
                Issue(
                    here,
                    "only the last tier may omit up_to; give this tier an upper bound "
                    f"above {previous if previous is not None else 0}",
                )
            )
        elif up_to is not None and previous is not None and up_to <= previous:
            issues.append(
                Issue(
                    here,
                    f"up_to {up_to} is not above the previous tier's up_to {previous}; up_to must strictly increase",
                )
            )
        if up_to is not None:
            previous = up_to if previous is None else max(previous, up_to)
    return issues


def exactly_one_issues(values: dict[str, object], loc: Loc, label: str) -> list[Issue]:
    """`values` maps each YAML field name to its parsed value; exactly one may be set."""
    present = [name for name, value in values.items() if value is not None]
    if len(present) == 1:
        return []
    options = " / ".join(values)
    if not present:
        return [Issue(loc, f"{label} needs exactly one of {options}; none is given")]
    return [
        Issue(
            (*loc, present[1]),
            f"{label} takes exactly one of {options}, but {' and '.join(present)} "
            f"are given; keep one and remove {', '.join(present[1:])}",
        )
    ]


def within_issues(
    loc: Loc,
    starts: datetime.date | None,
    ends: datetime.date | None,
    window_start: datetime.date,
    window_end: datetime.date | None,
    window: str = "the contract",
) -> list[Issue]:
    """A term's dates inside its contract: not before it starts, not past it ends."""
    issues = []
    if starts is not None and starts < window_start:
        issues.append(
            Issue(
                (*loc, "starts"),
                f"starts {starts} is before {window} starts ({window_start}); use {window_start} or later",
            )
        )
    if starts is not None and window_end is not None and starts >= window_end:
        issues.append(
            Issue(
                (*loc, "starts"),
                f"starts {starts} is not before {window} ends ({window_end}); use a date before {window_end}",
            )
        )
    if ends is not None and window_end is not None and ends > window_end:
        issues.append(
            Issue((*loc, "ends"), f"ends {ends} is after {window} ends ({window_end}); use {window_end} or earlier")
        )
    return issues
