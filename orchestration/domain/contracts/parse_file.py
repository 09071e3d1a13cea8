"""One YAML file to one model: read, parse, validate the shape, run the file's own rules.

Every failure becomes a `ContractError` with file, field path and line; nothing raises past here
except programming errors, so one bad file never hides the problems of the others.

Speed: a file is first read by the fast loader (`yaml_source.fast_plain`, libyaml); only a file it
cannot vouch for, or one that turns out to have an error, is read by ruamel's round-trip loader,
which is what knows the line of every field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from orchestration.domain.contracts.errors import ContractError, Issue
from orchestration.domain.contracts.pydantic_issues import issues_from_validation_error
from orchestration.domain.contracts.yaml_source import (
    FastPathUnsure,
    YamlDocument,
    YamlSyntaxProblem,
    fast_plain,
    parse_yaml,
)

M = TypeVar("M", bound=BaseModel)


@dataclass
class ParsedFile(Generic[M]):
    """A file's outcome: the model when its shape is valid, and every error found so far."""

    source_file: str
    version: str
    model: M | None = None
    raw_id: str | None = None
    document: YamlDocument | None = None
    errors: list[ContractError] = field(default_factory=list)
    text: str | None = None  # kept when read by the fast loader, to find lines if an error comes up

    def add(self, issues: list[Issue]) -> None:
        if issues and self.document is None and self.text is not None:
            document = parse_yaml(self.text)
            self.document = document if isinstance(document, YamlDocument) else None
        for issue in issues:
            line = self.document.line_of(issue.loc) if self.document is not None else None
            self.errors.append(ContractError(self.source_file, _path(issue), line, issue.message))


def _path(issue: Issue) -> str:
    return issue.where if issue.loc else ""


def file_version(data: bytes) -> str:
    """Content hash recorded on every invoice line: first 16 hex digits of the file's sha256."""
    return hashlib.sha256(data).hexdigest()[:16]


def parse_file(path: Path, source_file: str, model: type[M], kind: str) -> ParsedFile[M]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        parsed: ParsedFile[M] = ParsedFile(source_file, "")
        parsed.errors.append(ContractError(source_file, "", None, f"cannot read the file: {exc.strerror}"))
        return parsed
    parsed = ParsedFile(source_file, file_version(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        parsed.errors.append(
            ContractError(source_file, "", None, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        )
        return parsed
    if _validate_fast(parsed, text, model):
        return parsed
    document = parse_yaml(text)
    if isinstance(document, YamlSyntaxProblem):
        parsed.errors.append(ContractError(source_file, "", document.line, document.message))
        return parsed
    parsed.document = document
    if not isinstance(document.data, dict):
        got = "an empty file" if document.data is None else f"a {type(document.data).__name__}"
        parsed.add([Issue((), f"expected a {kind} (a mapping of fields such as id: ...), got {got}")])
        return parsed
    raw_id = document.data.get("id")
    parsed.raw_id = raw_id if isinstance(raw_id, str) else None
    try:
        parsed.model = model.model_validate(document.data, context={"defer_checks": True})
    except ValidationError as exc:
        parsed.add(issues_from_validation_error(exc, model, document.data))
    return parsed


def _validate_fast(parsed: ParsedFile[M], text: str, model: type[M]) -> bool:
    """Read and validate with the fast loader; False (nothing recorded) when the slow path must decide.

    Only a clean result is kept: a file the fast loader cannot vouch for, or whose shape is
    invalid, is read again by the round-trip loader, so its errors and lines are exactly as before.
    """
    try:
        data = fast_plain(text)
    except FastPathUnsure:
        return False
    if not isinstance(data, dict):
        return False
    try:
        validated = model.model_validate(data, context={"defer_checks": True})
    except ValidationError:
        return False
    raw_id = data.get("id")
    parsed.raw_id = raw_id if isinstance(raw_id, str) else None
    parsed.model = validated
    parsed.text = text
    return True


def raw_field(parsed: ParsedFile[Any], *loc: str) -> Any:
    """A value as written in the file, for cross-file checks on files whose shape is invalid."""
    node = parsed.document.data if parsed.document is not None else None
    for part in loc:
        node = node.get(part) if isinstance(node, dict) else None
    return node
