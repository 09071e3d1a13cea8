"""The generator's world and the shipped contracts describe the same customers and metrics."""

from __future__ import annotations

from pathlib import Path

from orchestration.domain.contracts.loader import load_contracts
from orchestration.sample import world

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_customers_and_aliases():
    assert load_contracts(CONTRACTS).alias_map() == world.ALIASES


def test_numeric_properties_are_the_summed_and_compared_ones():
    # A planted non-numeric token must be a property some product sums, or it would be accepted.
    summed: dict[str, set[str]] = {}
    for card in load_contracts(CONTRACTS).rate_cards.values():
        for product in card.model.products:
            metric = product.metric
            if metric is not None and metric.aggregation in ("sum", "max", "latest") and metric.property:
                summed.setdefault(metric.event_type, set()).add(metric.property)
    assert summed == {event_type: set(names) for event_type, names in world.NUMERIC_PROPERTIES.items()}
