"""Field types shared by rate cards and contracts: ids, exact decimals, date ranges, schedules.

Money and quantities go through `domain.money.to_decimal` so a YAML `2.50` or `"2.50"` is the exact
decimal it says; ranges are half-open `[starts, ends)` (billing-semantics.md, "Time").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from orchestration.domain.money import MINOR_UNITS, to_decimal

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _exact(value: object) -> object:
    # Leave what to_decimal cannot read to pydantic, whose error then carries the field path.
    try:
        return to_decimal(value)
    except (ValueError, TypeError):
        return value


_DECIMAL_TEXT = r"^\s*[+-]?(\d[\d_]*)?(\.\d+)?\s*$"


def _decimal_schema(**bounds: int) -> WithJsonSchema:
    """Editors see what YAML may hold: a number, or a quoted decimal string, with its bounds."""
    return WithJsonSchema({"anyOf": [{"type": "number", **bounds}, {"type": "string", "pattern": _DECIMAL_TEXT}]})


Amount = Annotated[Decimal, BeforeValidator(_exact), Field(ge=0), _decimal_schema(minimum=0)]
"""Money or a quantity: an exact decimal, never negative."""

Positive = Annotated[Decimal, BeforeValidator(_exact), Field(gt=0), _decimal_schema(exclusiveMinimum=0)]
"""A strictly positive exact decimal (package sizes, conversion factors, commit amounts)."""

Fraction = Annotated[Decimal, BeforeValidator(_exact), Field(ge=0, le=1), _decimal_schema(minimum=0, maximum=1)]

Schedule = Literal["one_time", "monthly", "quarterly", "annual"]
Frequency = Literal["monthly", "quarterly", "annual"]

Currency = Annotated[
    str,
    Field(
        description="ISO 4217 code; must be one meterbook knows the minor unit of",
        json_schema_extra={"enum": sorted(MINOR_UNITS)},
    ),
]


class Strict(BaseModel):
    """Every model forbids unknown fields: a typo is an error, never a silently ignored term."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class Dated(Strict):
    """A term in force over `[starts, ends)`; no `ends` means open-ended."""

    starts: datetime.date = Field(description="first day in force (00:00 UTC)")
    ends: datetime.date | None = Field(default=None, description="exclusive end; omit for open-ended")

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether `[starts, ends)` shares at least one day with `[start, end)` (`None` = open)."""
        starts_before_end = end is None or self.starts < end
        ends_after_start = self.ends is None or self.ends > start
        return starts_before_end and ends_after_start


class OptionallyDated(Strict):
    """A contract term whose dates default to the contract's own start and end."""

    starts: datetime.date | None = Field(default=None, description="default: the contract's start")
    ends: datetime.date | None = Field(default=None, description="exclusive; default: the contract's end")
