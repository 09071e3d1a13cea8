"""Reading contract YAML: exact decimals, plain data for pydantic, and line numbers for errors.

ruamel.yaml's round-trip loader keeps the position of every key and list item, which is how a
validation error can say `customers/x.yaml:31`. Floats are built straight from their text as
`Decimal` so `0.1` never passes through binary floating point, and a malformed date (`2026-13-01`)
stays a string for pydantic to reject with a field path instead of crashing the parser.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

Loc = tuple[str | int, ...]


class _ExactConstructor(RoundTripConstructor):
    def construct_exact_float(self, node: Any) -> Any:
        text = str(self.construct_scalar(node)).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return super().construct_yaml_float(node)
        return value if value.is_finite() else super().construct_yaml_float(node)

    def construct_lenient_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, YAMLError):
            return str(node.value)


_ExactConstructor.add_constructor("tag:yaml.org,2002:float", _ExactConstructor.construct_exact_float)
_ExactConstructor.add_constructor("tag:yaml.org,2002:timestamp", _ExactConstructor.construct_lenient_timestamp)


@dataclass(frozen=True)
class YamlSyntaxProblem:
    line: int | None
    message: str


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: `data` is plain dicts/lists/scalars, `tree` keeps ruamel's positions."""

    data: Any
    tree: Any

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the deepest part of `loc` present in the file (the key, or the item)."""
        node, line = self.tree, None
        for part in loc:
            if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                # An absent key (a missing field): the parent's line is the best the file can tell.
                break
        if line is None and isinstance(self.tree, CommentedMap | CommentedSeq):
            return self.tree.lc.line + 1
        return line


def parse_yaml(text: str) -> YamlDocument | YamlSyntaxProblem:
    yaml = YAML(typ="rt")
    yaml.Constructor = _ExactConstructor
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return YamlSyntaxProblem(line, f"YAML syntax error: {what or exc}")
    except YAMLError as exc:
        return YamlSyntaxProblem(None, f"YAML syntax error: {exc}")
    return YamlDocument(_plain(tree), tree)


def _plain(node: Any) -> Any:
    """ruamel's containers and scalar subclasses as builtin types, so pydantic sees ordinary data."""
    if isinstance(node, dict):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, bool) or node is None or isinstance(node, Decimal):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, datetime.datetime):
        return datetime.datetime(*node.timetuple()[:6], node.microsecond, tzinfo=node.tzinfo)
    return node


# --- Fast path ---------------------------------------------------------------------------------
# ruamel's round-trip loader is pure Python: a thousand contracts take seconds. libyaml (PyYAML's C
# parser) reads them an order of magnitude faster, but knows nothing of positions and resolves
# plain scalars by YAML 1.1 (`yes` is a boolean there, `010` octal). `fast_plain` therefore uses
# libyaml with YAML 1.2 core-schema resolvers (those of ruamel's VersionedResolver) and
# constructors that only accept what provably gives the round-trip loader's plain data: decimal
# ints, Decimal floats, booleans, nulls, strings, calendar dates. Anything else (explicit or
# unknown tags, merge keys, other int or timestamp forms, duplicate or non-scalar keys, syntax
# errors) raises `FastPathUnsure`, and the caller uses `parse_yaml`. The caller also re-reads a
# file with `parse_yaml` whenever it reports an error, since only that loader knows line numbers.


class FastPathUnsure(Exception):
    """libyaml's reading might differ from the round-trip loader's here: use `parse_yaml`."""


_TAG = "tag:yaml.org,2002:"
_CORE_SCHEMA_1_2 = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    ("int", r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$", "-+0123456789"),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
    ("value", r"^(?:=)$", "="),
]
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _unsure(loader: Any, node: Any) -> Any:
    raise FastPathUnsure(node.tag)


def _fast_loader() -> type:
    import yaml  # PyYAML, built with libyaml (a dependency of dagster and dbt)
    from yaml.cyaml import CParser

    class Resolver12(yaml.resolver.BaseResolver):
        pass

    for name, pattern, first in _CORE_SCHEMA_1_2:
        Resolver12.add_implicit_resolver(_TAG + name, re.compile(pattern, re.X), list(first))

    class Constructor(yaml.constructor.BaseConstructor):
        def construct_int(self, node: Any) -> int:
            if not _DECIMAL_INT.fullmatch(node.value):
                raise FastPathUnsure(node.value)
            return int(node.value)

        def construct_float(self, node: Any) -> Decimal:
            try:
                value = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                raise FastPathUnsure(node.value) from None
            if not value.is_finite():
                raise FastPathUnsure(node.value)
            return value

        def construct_timestamp(self, node: Any) -> Any:
            if not _DATE.fullmatch(node.value):
                raise FastPathUnsure(node.value)
            try:
                return datetime.date.fromisoformat(node.value)
            except ValueError:
                return node.value  # as the round-trip loader's lenient timestamps: a string

        def construct_map(self, node: Any) -> dict:
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise FastPathUnsure("non-scalar key")
                key = self.construct_object(key_node, deep=True)
                if key in out:
                    raise FastPathUnsure(f"duplicate key {key!r}")
                out[key] = self.construct_object(value_node, deep=True)
            return out

        def construct_seq(self, node: Any) -> list:
            return [self.construct_object(item, deep=True) for item in node.value]

    Constructor.add_constructor(_TAG + "null", lambda loader, node: None)
    Constructor.add_constructor(_TAG + "bool", lambda loader, node: node.value.lower() == "true")
    Constructor.add_constructor(_TAG + "str", lambda loader, node: node.value)
    Constructor.add_constructor(_TAG + "int", Constructor.construct_int)
    Constructor.add_constructor(_TAG + "float", Constructor.construct_float)
    Constructor.add_constructor(_TAG + "timestamp", Constructor.construct_timestamp)
    Constructor.add_constructor(_TAG + "map", Constructor.construct_map)
    Constructor.add_constructor(_TAG + "seq", Constructor.construct_seq)
    Constructor.add_constructor(None, _unsure)  # merge keys, `=`, explicit or unknown tags

    class Loader(CParser, Constructor, Resolver12):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Constructor.__init__(self)
            Resolver12.__init__(self)

    return Loader


_FAST_LOADER: type | None = None


def fast_plain(text: str) -> Any:
    """The plain data `parse_yaml(text).data` gives, read by libyaml; raises `FastPathUnsure` otherwise."""
    global _FAST_LOADER
    if "!" in text:
        # A tag (`!!str 5`) is kept as a tagged scalar by the round-trip loader; a `!` elsewhere
        # (inside a string) only sends the file down the slow path.
        raise FastPathUnsure("a tag or a '!'")
    if _FAST_LOADER is None:
        _FAST_LOADER = _fast_loader()
    import yaml

    loader = _FAST_LOADER(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise FastPathUnsure(str(exc)) from None
    finally:
        loader.dispose()
