"""The properties grammar, its canonical form, property lookup, and the accepted timestamp spellings."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from orchestration.ingest.properties import canonical_properties, has_non_numeric, is_flat_object, property_value
from orchestration.ingest.timestamps import parse_instant


def apply(expr_of, values: list) -> list:
    return pl.DataFrame({"x": values}, schema={"x": pl.String}).select(expr_of(pl.col("x"))).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "flat"),
    [
        ("{}", True),
        ('{"a":"x","b":1,"c":true,"d":false,"e":-0.5e3}', True),
        (' { "a" : "q\\"r" , "b" : "\\u00e9" } ', True),
        ('{"a":null}', False),
        ('{"a":{"b":1}}', False),
        ('{"a":[1]}', False),
        ('{"a":01}', False),
        ('{"a":"x",}', False),
        ('"{}"', False),
        ("[]", False),
    ],
)
def test_flat_object_grammar(text, flat):
    assert apply(is_flat_object, [text]) == [flat]


def test_canonical_form_sorts_keys_and_keeps_values_as_written():
    assert apply(
        canonical_properties,
        ['{ "b": 1.50, "a": "x:y", "a b": true }', '{"a":"x:y","b":1.5,"a b":true}', "{}", '{"a":[1]}'],
    ) == [
        '{"a":"x:y","a b":true,"b":1.50}',  # "a" sorts before "a b": keys compare as keys
        '{"a":"x:y","a b":true,"b":1.5}',
        "{}",
        None,
    ]


def test_property_value_and_number_check():
    texts = ['{"tokens": 1200, "model": "gpt"}', '{"tokens":"many"}', '{"model":"a\\"b"}', '{"x":1}']
    assert apply(lambda c: property_value(c, "tokens"), texts) == ["1200", "many", None, None]
    assert apply(lambda c: property_value(c, "model"), texts) == ["gpt", None, 'a"b', None]
    assert apply(lambda c: has_non_numeric(c, "tokens"), texts) == [False, True, False, False]


def test_property_value_keeps_numbers_as_written_and_reads_the_last_of_a_repeated_key():
    texts = [
        '{"tokens": 12345678901234567890.125, "model": "gpt"}',  # 23 digits: a binary float keeps 17
        '{ "tokens" : 1.50 , "model" : "\\u00e9t\\u00e9" }',  # spelling kept; escapes decoded
        '{"tokens": 1, "tokens": 2, "model": "a", "model": "b"}',  # as JSON parsers: the last one
        '{"model": "tokens", "x": "\\"tokens\\": 9"}',  # the key's name as a value, or inside one
    ]
    assert apply(lambda c: property_value(c, "tokens"), texts) == ["12345678901234567890.125", "1.50", "2", None]
    assert apply(lambda c: property_value(c, "model"), texts) == ["gpt", "été", "b", "tokens"]


def test_the_number_check_reads_the_last_pair_as_rating_does():
    texts = ['{"tokens": "x", "tokens": 5}', '{"tokens": 5, "tokens": "x"}', '{"tokens": -1}', '{"t": "x"}']
    assert apply(lambda c: has_non_numeric(c, "tokens"), texts) == [False, True, False, False]


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-11-01T00:00:00Z", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-10-31T23:59:59.999999Z", datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2026-11-01T00:30:00+01:00", datetime(2026, 10, 31, 23, 30, tzinfo=UTC)),
        ("2026-11-01T00:30:00.5-0130", datetime(2026, 11, 1, 2, 0, 0, 500000, tzinfo=UTC)),
        ("2026-11-01T00:00:00.123456789Z", datetime(2026, 11, 1, 0, 0, 0, 123456, tzinfo=UTC)),
        ("2026-11-01T08:00:00", datetime(2026, 11, 1, 8, tzinfo=UTC)),  # no zone: UTC
        ("2026-11-01 08:00:00Z", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        (" 2026-11-01 08:00:00 ", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        ("2026-11-01", None),  # a date is not an instant
        ("2026-13-01T00:00:00Z", None),
        ("01/11/2026 08:00", None),
        ("1793491200", None),
    ],
)
def test_timestamp_spellings(text, instant):
    assert apply(parse_instant, [text]) == [instant]
