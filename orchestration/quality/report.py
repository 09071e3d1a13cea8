"""Outcomes of the month's verification: one per check, with the rows that failed it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Rows kept per failed check: enough to act on, small enough for a Dagster metadata entry.
MAX_OFFENDING_ROWS = 200


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one month. `blocking` checks gate finalization; the others only warn."""

    name: str
    passed: bool
    message: str
    offending_rows: list[dict] = field(default_factory=list)
    blocking: bool = True
    asset: str = "reconciliation"

    def markdown(self, limit: int = 50) -> str:
        """The offending rows as a Markdown table (the asset check's metadata in the Dagster UI)."""
        return markdown_table(self.offending_rows, limit)


@dataclass(frozen=True)
class VerificationReport:
    month: date
    outcomes: list[CheckOutcome]

    @property
    def failures(self) -> list[CheckOutcome]:
        """Failed blocking checks: any one of them refuses finalization."""
        return [o for o in self.outcomes if o.blocking and not o.passed]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.blocking and not o.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def outcome(self, name: str) -> CheckOutcome:
        for o in self.outcomes:
            if o.name == name:
                return o
        raise KeyError(f"no check named {name!r}; checks: {', '.join(o.name for o in self.outcomes)}")

    def describe(self) -> str:
        """Multi-line text: a verdict, then one line per failed check (and per warning)."""
        head = f"verification of {self.month:%Y-%m}: "
        if self.passed:
            head += f"all {sum(o.blocking for o in self.outcomes)} blocking checks passed"
        else:
            head += f"{len(self.failures)} blocking check(s) failed"
        lines = [head]
        lines += [f"  FAILED {o.name}: {o.message}" for o in self.failures]
        lines += [f"  WARNING {o.name}: {o.message}" for o in self.warnings]
        return "\n".join(lines)


def markdown_table(rows: list[dict], limit: int = 50) -> str:
    if not rows:
        return "none"
    columns = list(dict.fromkeys(k for row in rows for k in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows[:limit]:
        cells = ("" if row.get(c) is None else str(row[c]).replace("|", "\\|") for c in columns)
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > limit:
        lines.append(f"\n{len(rows) - limit} more row(s) not shown")
    return "\n".join(lines)
