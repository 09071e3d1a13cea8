"""Turning pydantic's validation errors into `Issue`s that say what would be right.

pydantic locates an error with its own loc (including union tags such as `per_unit`); here the loc
is mapped back onto the YAML data so the path reads like the file, and each error type gets a
message in the vocabulary of the contract format, with a did-you-mean for typos.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from orchestration.domain.contracts.errors import Issue, Loc, closest, did_you_mean, listing
from orchestration.domain.contracts.types import ID_PATTERN

_TAG_FIELDS = ("model", "type")


def issues_from_validation_error(exc: ValidationError, root: type[BaseModel], data: Any) -> list[Issue]:
    by_loc: dict[Loc, list[tuple[dict[str, Any], Loc]]] = {}
    for error in exc.errors(include_url=False):
        raw = tuple(error["loc"])
        by_loc.setdefault(_file_loc(raw, data, error["type"]), []).append((error, raw))
    explained = _typo_targets(by_loc, root)
    issues = []
    for loc, errors in by_loc.items():
        if loc in explained:
            continue
        if len(errors) > 1 and all(e["type"] not in ("missing", "extra_forbidden") for e, _ in errors):
            # One value failing every member of a plain union (filter values): one message, not four.
            value = _show(errors[0][0].get("input"))
            issues.append(Issue(loc, f"{value} is not a valid value; use text, a number or true/false"))
            continue
        for error, raw in errors:
            issues.append(_issue(error, raw, loc, root))
    return issues


def _typo_targets(by_loc: dict[Loc, list[tuple[dict[str, Any], Loc]]], root: type[BaseModel]) -> set[Loc]:
    """Missing fields that an unknown field next to them is a misspelling of (one error, not two)."""
    missing = {loc for loc, errors in by_loc.items() if any(e["type"] == "missing" for e, _ in errors)}
    explained = set()
    for loc, errors in by_loc.items():
        for error, raw in errors:
            if error["type"] == "extra_forbidden":
                target = closest(str(loc[-1]), _field_names(_type_at(root, raw[:-1])))
                if target is not None and (*loc[:-1], target) in missing:
                    explained.add((*loc[:-1], target))
    return explained


def _file_loc(raw: Loc, data: Any, kind: str) -> Loc:
    """Drop what pydantic adds (union tags, member names, `[key]`) so the loc matches the file."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(raw):
        last = i == len(raw) - 1
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and last and kind == "missing":
            out.append(part)  # the absent field itself
        else:
            # A union tag or member name (`per_unit`, `str`) or `[key]`: pydantic's, not the file's.
            node = node if isinstance(node, dict) and any(node.get(t) == part for t in _TAG_FIELDS) else None
    return tuple(out)


def _issue(error: dict[str, Any], raw: Loc, loc: Loc, root: type[BaseModel]) -> Issue:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return Issue(loc, "required field is missing")
    if kind == "extra_forbidden":
        allowed = _field_names(_type_at(root, raw[:-1]))
        return Issue(
            loc, f"unknown field {loc[-1]!r}; allowed here: {listing(allowed)}{did_you_mean(str(loc[-1]), allowed)}"
        )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        field = str(ctx.get("discriminator", "'model'")).strip("'")
        tags = sorted(_union_tags(_type_at(root, raw)))
        if kind == "union_tag_not_found":
            return Issue((*loc, field), f"required field is missing; one of: {listing(tags)}")
        tag = str(ctx.get("tag"))
        return Issue((*loc, field), f"unknown {field} {tag!r}; one of: {listing(tags)}{did_you_mean(tag, tags)}")
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Issue(
            loc, f"{_show(value)} is not allowed; one of: {listing(options)}{did_you_mean(str(value), options)}"
        )
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return Issue(
                loc,
                f"{_show(value)} is not a valid id; ids are lower-case letters, digits, "
                f"'_', '.' and '-', starting with a letter or digit (e.g. {_id_like(value)!r})",
            )
        return Issue(loc, f"{_show(value)} must not be empty or start or end with spaces")
    return Issue(loc, _simple_message(kind, ctx, value, error["msg"]))


def _simple_message(kind: str, ctx: dict[str, Any], value: Any, default: str) -> str:
    shown = _show(value)
    if kind == "greater_than_equal":
        bound = ctx.get("ge")
        return f"{shown} is negative; it must be 0 or more" if bound == 0 else f"{shown} must be >= {bound}"
    if kind == "greater_than":
        bound = ctx.get("gt")
        if bound == 0 and isinstance(value, Decimal | int) and value < 0:
            return f"{shown} is negative; it must be more than 0"
        return f"{shown} must be greater than {bound}"
    if kind == "less_than_equal":
        bound = ctx.get("le")
        return f"{shown} must be between 0 and 1" if bound == 1 else f"{shown} must be at most {bound}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{shown} is not a date; write an ISO date such as 2026-10-01"
    if kind.startswith("decimal") or kind in ("finite_number", "float_parsing", "float_type"):
        return f"{shown} is not a number; write a decimal such as 2.50"
    if kind.startswith("int"):
        return f"{shown} is not a whole number"
    if kind.startswith("bool"):
        return f"{shown} is not true or false"
    if kind == "string_type":
        return f"{shown} is not text; quote it ('{value}')" if _is_scalar(value) else f"{shown} is not text"
    if kind == "list_type":
        return f"{shown} is not a list; write [a, b] or one '- item' per line"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{shown} is not a mapping; write 'field: value' pairs"
    if kind == "value_error":
        return default.removeprefix("Value error, ")
    return default


def _show(value: Any) -> str:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, int | float | Decimal | bool | datetime.date)


def _id_like(value: Any) -> str:
    text = re.sub(r"[^a-z0-9_.-]+", "-", str(value).strip().lower())
    return text.lstrip("_.-") or "my-id"


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind Annotated, Optional and unions."""
    if typing.get_origin(tp) is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _unwrap(arg) if t is not type(None)]
    return [tp]


def _type_at(tp: Any, raw: Loc) -> Any:
    for part in raw:
        members = _unwrap(tp)
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        tagged = [m for m in models if part in _union_tags(m)]
        if len(models) > 1 and tagged:
            tp = tagged[0]
            continue
        if len(members) == 1 and typing.get_origin(members[0]) in (list, dict):
            tp = typing.get_args(members[0])[-1]
            continue
        field = next((f for m in models for n, f in m.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        tp = field.annotation
    return tp


def _field_names(tp: Any) -> list[str]:
    models = [m for m in _unwrap(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
    return [f.alias or n for m in models[:1] for n, f in m.model_fields.items()]


def _union_tags(tp: Any) -> set[str]:
    tags: set[str] = set()
    for member in _unwrap(tp):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name in _TAG_FIELDS:
                field = member.model_fields.get(name)
                if field is not None and typing.get_origin(field.annotation) is typing.Literal:
                    tags.update(str(a) for a in typing.get_args(field.annotation))
    return tags
