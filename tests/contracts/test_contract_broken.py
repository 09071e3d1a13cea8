"""The broken-file corpus: every file has one defect and must produce its one message, at its field
path and line, next to the valid fixture rate card and contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BROKEN_ROOT, FIXTURE_ROOT

from orchestration.domain.contracts import collect_contracts

# file -> (field path, message fragment, line). One defect, so exactly one error in that file.
CASES: dict[str, tuple[str, str, int | None]] = {
    # rate cards
    "rate_cards/unknown_field_typo.yaml": (
        "products[0].prices[0].unti_price",
        "unknown field 'unti_price'; allowed here: ends, group_prices, model, starts, unit_price; "
        "did you mean 'unit_price'?",
        13,
    ),
    "rate_cards/overlapping_prices.yaml": (
        "products[0].prices[1].starts",
        "price period 2026-06-01..open overlaps products[0].prices[0] (2026-01-01..open); "
        "give that one ends: 2026-06-01",
        14,
    ),
    "rate_cards/tiers_not_increasing.yaml": (
        "products[0].prices[0].tiers[1].up_to",
        "up_to 5000 is not above the previous tier's up_to 10000; up_to must strictly increase",
        15,
    ),
    "rate_cards/last_tier_up_to.yaml": (
        "products[0].prices[0].tiers[1].up_to",
        "the last tier must not have up_to (it takes every unit above 10000); remove up_to: 100000",
        15,
    ),
    "rate_cards/negative_price.yaml": (
        "products[0].prices[0].unit_price",
        "-0.01 is negative; it must be 0 or more",
        13,
    ),
    "rate_cards/unknown_currency.yaml": ("currency", "unknown currency 'USX'; known: AUD,", 3),
    "rate_cards/sum_without_property.yaml": (
        "products[0].metric.property",
        "aggregation sum needs the property it aggregates",
        7,
    ),
    "rate_cards/group_prices_without_key.yaml": (
        "products[0].prices[0].group_prices",
        "group_prices needs a metric.pricing_group_key",
        14,
    ),
    "rate_cards/unknown_price_model.yaml": (
        "products[0].prices[0].model",
        "unknown model 'per_units'; one of: flat, graduated, package, per_unit, percentage, seats, volume; "
        "did you mean 'per_unit'?",
        12,
    ),
    "rate_cards/usage_price_without_metric.yaml": (
        "products[0].metric",
        "a per_unit price is measured from events and needs a metric",
        5,
    ),
    "rate_cards/flat_with_metric.yaml": (
        "products[0].metric",
        "a flat product is not measured from events; remove metric:",
        7,
    ),
    "rate_cards/price_ends_before_starts.yaml": (
        "products[0].prices[0].ends",
        "ends 2026-01-01 is not after starts 2026-06-01",
        12,
    ),
    "rate_cards/unknown_aggregation.yaml": (
        "products[0].metric.aggregation",
        "'average' is not allowed; one of: count, latest, max, sum, unique",
        9,
    ),
    "rate_cards/filter_two_conditions.yaml": (
        "products[0].metric.filters[0].not_in",
        "takes exactly one of in / not_in / exists, but in and not_in are given",
        11,
    ),
    "rate_cards/conversion_both.yaml": (
        "products[0].metric.conversion.divide_by",
        "conversion takes exactly one of multiply_by / divide_by",
        11,
    ),
    "rate_cards/percentage_unknown_product.yaml": (
        "products[1].prices[0].of_products[0]",
        "unknown product 'call'; rate card broken-percentage has: calls; did you mean 'calls'?",
        15,
    ),
    "rate_cards/yaml_syntax_error.yaml": ("", "YAML syntax error", 11),
    "rate_cards/bad_product_id.yaml": (
        "products[0].id",
        "'API Calls' is not a valid id; ids are lower-case letters, digits",
        5,
    ),
    "rate_cards/duplicate_product.yaml": ("products[1].id", "duplicate product id 'calls', also products[0]", 12),
    "rate_cards/package_zero_size.yaml": ("products[0].prices[0].package_size", "0 must be greater than 0", 12),
    "rate_cards/invalid_date.yaml": ("products[0].prices[0].starts", "'2026-13-01' is not a date", 11),
    "rate_cards/duplicate_yaml_key.yaml": ("", 'found duplicate key "unit_price"', 14),
    "rate_cards/price_not_a_number.yaml": ("products[0].prices[0].unit_price", "'one cent' is not a number", 11),
    "rate_cards/mixed_price_kinds.yaml": (
        "products[0].prices[1].model",
        "a usage-priced product (per_unit) cannot also have a flat price",
        12,
    ),
    "rate_cards/missing_name.yaml": ("products[0].name", "required field is missing", 5),
    # customer contracts
    "customers/unknown_rate_card.yaml": (
        "rate_card",
        "unknown rate card 'mini-lst'; known: mini-list; did you mean 'mini-list'?",
        6,
    ),
    "customers/unknown_product.yaml": (
        "products[1].product",
        "unknown product 'workflow_run'; rate card mini-list has: calls, platform, runs, seats",
        13,
    ),
    "customers/currency_mismatch.yaml": ("currency", "EUR does not match rate card mini-list (USD)", 7),
    "customers/alias_claimed_twice.yaml": (
        "customer.aliases[1]",
        "'base-prod' is also claimed by customer 'base' in customers/base.yaml",
        6,
    ),
    "customers/duplicate_contract_id.yaml": ("id", "duplicate contract id 'base-2026', also in customers/base.yaml", 2),
    "customers/ends_before_starts.yaml": ("ends", "ends 2025-12-01 is not after starts 2026-01-01", 9),
    "customers/override_multiplier_and_overwrite.yaml": (
        "overrides[0].overwrite",
        "takes exactly one of multiplier / overwrite / tiered_multiplier, but multiplier and overwrite are given",
        18,
    ),
    "customers/override_without_terms.yaml": (
        "overrides[0]",
        "override 'forgot-the-price' needs exactly one of multiplier / overwrite / tiered_multiplier",
        15,
    ),
    "customers/override_product_not_on_contract.yaml": (
        "overrides[0].product",
        "product 'platform' is not on this contract; add it under products: or use one of: calls, runs",
        15,
    ),
    "customers/seats_product_without_seats_price.yaml": (
        "seats.product",
        "'platform' has no seats price (it is priced flat); use a product with model: seats, e.g. seats",
        15,
    ),
    "customers/commit_access_overlap.yaml": (
        "commits[0].access[1].starts",
        "access segment 2026-06-01..2027-01-01 overlaps commits[0].access[0] (2026-01-01..2026-07-01)",
        20,
    ),
    "customers/commit_access_sum.yaml": (
        "commits[0].access",
        # 3 x 30,000.00 = 90,000.00 released against 120,000.00 bought: 30,000.00 missing.
        "access segments sum to 90000.00 but the commit amount is 120000.00; they must sum to the amount "
        "(add 30000.00)",
        18,
    ),
    "customers/commit_invoice_schedule_sum.yaml": (
        "commits[0].invoice_schedule",
        # 2,000.00 + 1,000.00 = 3,000.00 invoiced against 4,000.00 bought.
        "invoice_schedule sum to 3000.00 but the commit amount is 4000.00",
        20,
    ),
    "customers/commit_unknown_product.yaml": ("commits[0].products[1]", "unknown product 'compute'", 18),
    "customers/commit_rollover_out_of_range.yaml": (
        "commits[0].rollover_fraction",
        "1.5 must be between 0 and 1",
        22,
    ),
    "customers/postpaid_window_outside_contract.yaml": (
        "commits[0].ends",
        "ends 2027-04-01 is after the contract ends (2027-01-01); use 2027-01-01 or earlier",
        20,
    ),
    "customers/top_level_typo.yaml": ("overides", "unknown field 'overides'", 14),
    "customers/discount_percent_and_amount.yaml": (
        "discounts[0].amount",
        "discount 'launch' takes exactly one of percent / amount",
        17,
    ),
    "customers/anchor_not_first_of_month.yaml": (
        "billing.anchor",
        "anchor 2026-01-15 is not the first day of a month; use 2026-01-01",
        11,
    ),
    "customers/unknown_frequency.yaml": ("billing.frequency", "did you mean 'monthly'?", 10),
    "customers/credit_ends_before_starts.yaml": (
        "credits[0].ends",
        "ends 2026-10-01 is not after starts 2026-11-01",
        18,
    ),
    "customers/missing_rate_card.yaml": ("rate_card", "required field is missing", 2),
    "customers/tiered_multiplier_not_increasing.yaml": (
        "overrides[0].tiered_multiplier[1].up_to",
        "up_to 500 is not above the previous tier's up_to 1000",
        18,
    ),
    "customers/seat_schedule_out_of_order.yaml": (
        "seats.schedule[1].starts",
        "2026-01-01 is not after the previous entry (2026-06-01)",
        17,
    ),
    "customers/transition_without_seats.yaml": ("transition_to_usage", "the contract has no seats:", 11),
    "customers/override_group_without_key.yaml": (
        "overrides[0].group",
        "product 'calls' has no pricing_group_key, so there are no groups to target",
        16,
    ),
    "customers/duplicate_term_id.yaml": ("discounts[0].id", "duplicate id 'launch', also overrides[0]", 19),
    "customers/yaml_bad_indentation.yaml": ("", "YAML syntax error", 13),
    "customers/override_ends_after_contract.yaml": (
        "overrides[0].ends",
        "ends 2027-07-01 is after the contract ends (2027-01-01)",
        18,
    ),
    "customers/negative_minimum.yaml": ("minimums[0].amount", "-1000.00 is negative", 16),
    "customers/product_before_price.yaml": (
        "products[1]",
        "'calls' has no list price from 2025-12-01 (its prices cover 2026-01-01..open)",
        14,
    ),
    "customers/customer_id_as_number.yaml": ("customer.id", "4711 is not text; quote it ('4711')", 4),
    "customers/seats_listed_as_product.yaml": ("products[0].product", "'seats' is priced per seat", 12),
    "customers/not_a_mapping.yaml": ("", "expected a contract (a mapping of fields such as id: ...), got a list", 2),
    "customers/frequency_change_mid_month.yaml": (
        "billing.changes[0].starts",
        "a frequency change starts on the first day of a month; use 2026-07-01",
        12,
    ),
    # The whole message: the three defects below are checked word for word in the test after the corpus.
    "customers/credit_amount_below_minor_unit.yaml": (
        "credits[0].amount",
        # USD has 2 decimal places: 100.005 lies between the whole-cent amounts 100.00 and 100.01.
        "100.005 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "commit and credit amounts are booked and invoiced exactly, so use 100.00 or 100.01",
        16,
    ),
    "customers/override_multiplier_on_flat_fee.yaml": (
        "overrides[0].multiplier",
        "multiplier reprices usage only and 'platform' is a flat product, so rating would ignore it; "
        "remove the override, or bill the negotiated price from a rate card that lists it",
        17,
    ),
    "customers/override_multiplier_on_seats.yaml": (
        "overrides[0].multiplier",
        "multiplier reprices usage only and 'seats' is a seats product, so rating would ignore it; "
        "remove the override, or bill the negotiated price from a rate card that lists it",
        20,
    ),
    # Fixed sums (not unit prices) are whole minor units too; each file's sub-minor-unit unit prices pass.
    "customers/minimum_amount_below_minor_unit.yaml": (
        "minimums[0].amount",
        # 100.005 lies between the whole-cent amounts 100.00 and 100.01.
        "100.005 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "minimum amounts are fixed sums billed exactly, so use 100.00 or 100.01",
        16,
    ),
    "customers/scheduled_charge_yen_fraction.yaml": (
        "scheduled_charges[0].amount",
        # JPY has no decimal places: 10.5 yen lies between 10 and 11 yen.
        "10.5 is not a whole number of JPY minor units (JPY's minor unit is 1, 0 decimal places); "
        "scheduled charges are fixed sums billed exactly, so use 10 or 11",
        18,
    ),
    "customers/discount_amount_below_minor_unit.yaml": (
        "discounts[1].amount",
        # 25.001 lies between 25.00 and 25.01; discounts[0] is 12.5 percent, not money, so it passes.
        "25.001 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "discount amounts are fixed sums taken off exactly, so use 25.00 or 25.01",
        16,
    ),
    "customers/overwrite_tier_flat_fee_below_minor_unit.yaml": (
        "overrides[0].overwrite.tiers[1].flat_fee",
        # 0.999 lies between 0.99 and 1.00; the unit prices 0.0001 and 0.00005 are allowed.
        "0.999 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "tier flat fees are fixed sums billed exactly, so use 0.99 or 1.00",
        21,
    ),
    "rate_cards/flat_fee_below_minor_unit.yaml": (
        "products[0].prices[0].amount",
        # 499.999 lies between 499.99 and 500.00.
        "499.999 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "flat fees are fixed sums billed exactly, so use 499.99 or 500.00",
        8,
    ),
    "rate_cards/seat_price_below_minor_unit.yaml": (
        "products[0].prices[1].unit_price",
        # KWD has 3 decimal places: 12.5005 lies between 12.500 and 12.501 (12.5 = 12.500 passes).
        "12.5005 is not a whole number of KWD minor units (KWD's minor unit is 0.001, 3 decimal places); "
        "seat prices are fixed sums per seat billed exactly, so use 12.500 or 12.501",
        9,
    ),
    "rate_cards/tier_flat_fee_below_minor_unit.yaml": (
        "products[0].prices[0].group_prices.large.tiers[0].flat_fee",
        # 20.005 lies between 20.00 and 20.01; the list tiers' flat fee 5.00 is whole cents.
        "20.005 is not a whole number of EUR minor units (EUR's minor unit is 0.01, 2 decimal places); "
        "tier flat fees are fixed sums billed exactly, so use 20.00 or 20.01",
        21,
    ),
    "rate_cards/percentage_minimum_below_minor_unit.yaml": (
        "products[1].prices[0].minimum",
        # 99.9999 lies between 99.99 and 100.00; percent 7.5 and unit price 0.001 are not fixed sums.
        "99.9999 is not a whole number of USD minor units (USD's minor unit is 0.01, 2 decimal places); "
        "percentage minimums are fixed sums billed exactly, so use 99.99 or 100.00",
        15,
    ),
}
EXACT = (
    "customers/credit_amount_below_minor_unit.yaml",
    "customers/override_multiplier_on_flat_fee.yaml",
    "customers/override_multiplier_on_seats.yaml",
    "customers/minimum_amount_below_minor_unit.yaml",
    "customers/scheduled_charge_yen_fraction.yaml",
    "customers/discount_amount_below_minor_unit.yaml",
    "customers/overwrite_tier_flat_fee_below_minor_unit.yaml",
    "rate_cards/flat_fee_below_minor_unit.yaml",
    "rate_cards/seat_price_below_minor_unit.yaml",
    "rate_cards/tier_flat_fee_below_minor_unit.yaml",
    "rate_cards/percentage_minimum_below_minor_unit.yaml",
)
# A JPY contract needs a JPY rate card: mini-jpy is mini-list in yen, added only for these files (so the
# other messages, which list the known rate cards, stay as they are).
NEEDS_YEN_CARD = ("customers/scheduled_charge_yen_fraction.yaml",)


def _root_with(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(FIXTURE_ROOT, root)
    shutil.copy(BROKEN_ROOT / name, root / name)
    if name in NEEDS_YEN_CARD:
        card = (FIXTURE_ROOT / "rate_cards/mini-list.yaml").read_text()
        yen = card.replace("id: mini-list", "id: mini-jpy").replace("currency: USD", "currency: JPY")
        (root / "rate_cards/mini-jpy.yaml").write_text(yen)
    return root


def test_the_corpus_is_large_and_every_file_has_an_expectation():
    files = {p.relative_to(BROKEN_ROOT).as_posix() for p in BROKEN_ROOT.glob("*/*.yaml")}
    assert len(files) >= 30
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_reports_its_defect(name: str, tmp_path: Path):
    root = _root_with(tmp_path, name)
    _, errors = collect_contracts(root)
    mine = [e for e in errors if e.file == name]
    path, fragment, line = CASES[name]
    assert len(mine) == 1, "\n".join(str(e) for e in errors)
    assert (mine[0].path, mine[0].line) == (path, line), str(mine[0])
    assert fragment in mine[0].message
    assert str(mine[0]).startswith(f"{name}:{line} {path}: " if path else f"{name}:{line}: ")


@pytest.mark.parametrize("name", EXACT)
def test_minor_unit_and_ignored_override_messages_word_for_word(name: str, tmp_path: Path):
    root = _root_with(tmp_path, name)
    _, errors = collect_contracts(root)
    path, message, line = CASES[name]
    assert [str(e) for e in errors if e.file == name] == [f"{name}:{line} {path}: {message}"]
