"""Reading contract YAML: exact decimals, plain data for pydantic, and line numbers for errors.

ruamel.yaml's round-trip loader keeps the position of every key and list item, which is how a
validation error can say `customers/x.yaml:31`. Floats are built straight from their text as
`Decimal` so `0.1` never passes through binary floating point, and a malformed date (`2026-13-01`)
stays a string for pydantic to reject with a field path instead of crashing the parser.
"""

from __future__ import annotations

import datetime
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
