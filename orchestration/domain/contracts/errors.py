"""Validation errors: where (file, field path, line), what is wrong, and what would be right.

`Issue` is what a check finds inside one parsed file (a location in the data and a message);
the loader turns each into a `ContractError` by adding the file and the line the YAML parser knows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def format_path(loc: Loc) -> str:
    """`('overrides', 0, 'multiplier')` -> `overrides[0].multiplier`; odd keys are quoted."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`; did you mean 'x'?` for a near miss (messages end with it), otherwise an empty string."""
    close = closest(word, options)
    return f"; did you mean {close!r}?" if close else ""


def closest(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def listing(options: Iterable[str]) -> str:
    return ", ".join(sorted(options)) or "(none)"


@dataclass(frozen=True)
class Issue:
    loc: Loc
    message: str

    @property
    def where(self) -> str:
        return format_path(self.loc) or "(file)"


@dataclass(frozen=True)
class ContractError:
    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ContractValidationError(Exception):
    """Every problem found in a set of contract files, not only the first."""

    def __init__(self, errors: list[ContractError]):
        self.errors = list(errors)
        super().__init__(self.report())

    def report(self) -> str:
        count = f"{len(self.errors)} contract error{'s' if len(self.errors) != 1 else ''}"
        return "\n".join([f"{count}:", *(str(e) for e in self.errors)])

    def for_file(self, file: str) -> list[ContractError]:
        return [e for e in self.errors if e.file == file]
