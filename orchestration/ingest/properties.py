"""Event properties: the JSON grammar ingest accepts, the canonical form, and reading one property.

Properties must be a flat JSON object whose values are strings, numbers or booleans
(billing-semantics.md, "Events"). The check is one regular expression over the text, which keeps it
vectorized and fast on ten million rows; a real JSON parse would also round numbers through
binary floats, which must never touch quantities.

Canonical form (used to compare the bodies of duplicates): keys sorted (byte order of the key as
written), no whitespace, every key and value exactly as written (numbers keep their spelling, so
`1.50` and `1.5` are different bodies). The accepted `events.properties` column keeps the object
as sent: sorting every row's keys costs more than the rest of ingestion together, and readers look
properties up by key.
"""

from __future__ import annotations

import json
import re

import polars as pl

_WS = r"[ \t\n\r]*"
STRING = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
SCALAR = rf"(?:{STRING}|{NUMBER}|true|false)"
_PAIR = rf"{STRING}{_WS}:{_WS}{SCALAR}"
FLAT_OBJECT = rf"^{_WS}\{{{_WS}(?:{_PAIR}{_WS}(?:,{_WS}{_PAIR}{_WS})*)?\}}{_WS}$"

# Inside a validated object every string followed by a colon is a key; the \x01 sentinel (never
# legal raw in JSON text) ends each key so that sorting "key\x01":value pairs sorts by key alone.
_KEY_COLON = rf"({STRING[:-1]})\"{_WS}:{_WS}"
_SENTINEL_PAIR = rf'"(?:[^"\\\x00]|\\.)*\x01":{SCALAR}'


def is_flat_object(text: pl.Expr) -> pl.Expr:
    return text.str.contains(FLAT_OBJECT)


def canonical_properties(text: pl.Expr) -> pl.Expr:
    """Canonical JSON of a flat object; null when the text is not one.

    List operations make this slow per row, so callers apply it to the few rows that need it
    (candidate duplicates), not to a whole month.
    """
    valid = pl.when(is_flat_object(text)).then(text)
    marked = valid.str.replace_all(_KEY_COLON, '${1}\x01":')
    pairs = marked.str.extract_all(_SENTINEL_PAIR)
    joined = pl.concat_str(pl.lit("{"), pairs.list.sort().list.join(","), pl.lit("}"))
    return joined.str.replace_all("\x01", "", literal=True)


def _key_pattern(key: str) -> str:
    written = json.dumps(key)[1:-1]
    return re.sub(r"([\\.^$|?*+()\[\]{}\-#&~])", r"\\\1", written)


def property_value(text: pl.Expr, key: str) -> pl.Expr:
    """One property as text: strings unquoted (escapes decoded), numbers and booleans as written.

    Numbers keep their spelling (`1.50` stays `1.50`, twenty digits stay twenty digits): nothing
    goes through a binary float, unlike a JSON parser's reading. A key written twice counts with
    its last value, as JSON parsers read it. Reads the text twice over (the pairs, then the
    value); when several properties are read, `with_property_values` reads each pair once.
    """
    return unquoted(property_pair_value(text, key))


def property_pair_value(text: pl.Expr, key: str) -> pl.Expr:
    """The JSON token of a top-level property's last pair, exactly as written: the one reading of a
    property that ingest's checks, the quarantine's details and rating share.

    Sound on validated text: after `{` or `,` an unescaped quote can only open a key.
    `extract_all` finds whole pairs with a plain regex search, several times faster on ten million
    rows than a capture group; the pair's known prefix is then cut off.
    """
    key_colon = rf'[{{,]{_WS}"{_key_pattern(key)}"{_WS}:{_WS}'
    pair = text.str.extract_all(rf"{key_colon}{SCALAR}").list.last()
    return pair.str.replace(rf"^{key_colon}", "")


def unquoted(token: pl.Expr) -> pl.Expr:
    """A JSON scalar token as text: a string without its quotes and escapes, anything else as written.

    Apply it to a column (it reads `token` several times).
    """
    plain = token.str.strip_prefix('"').str.strip_suffix('"')
    return (
        pl.when(token.str.starts_with('"') & token.str.contains("\\", literal=True))
        .then(token.str.json_decode(pl.String))
        .when(token.str.starts_with('"'))
        .then(plain)
        .otherwise(token)
    )


def with_property_values(frame: pl.LazyFrame, columns: dict[str, str]) -> pl.LazyFrame:
    """`frame` with one text column per property (`columns`: new column -> property key)."""
    if not columns:
        return frame
    tokens = {column: property_pair_value(pl.col("properties"), key) for column, key in columns.items()}
    return frame.with_columns(**tokens).with_columns(**{column: unquoted(pl.col(column)) for column in tokens})


def has_non_numeric(text: pl.Expr, key: str) -> pl.Expr:
    """The property (its last pair, the one rating reads) is present but not a number.

    On validated text a JSON number starts with - or a digit.
    """
    return property_pair_value(text, key).str.contains(r"^[^-0-9]").fill_null(False)
