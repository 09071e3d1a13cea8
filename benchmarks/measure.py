"""Measuring a run: peak resident memory (getrusage) and a sampler that attributes memory to steps.

`getrusage` gives the high-water marks the report quotes: this process (`RUSAGE_SELF`) and its
largest finished child (`RUSAGE_CHILDREN`; dbt's process is a child of the fork server, which
reaps it, so it never counts there). The sampler reads the resident set of this process and its
live descendants (the fork server and dbt's process among them) from /proc a few times a second,
so a Dagster step's start and end times can be matched with the memory held while it ran (Linux
only; elsewhere the sampler records nothing and the per-step peaks are left out).
"""

from __future__ import annotations

import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_PROC = Path("/proc")


def peak_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """The high-water resident set of this process or of its largest reaped child, in bytes."""
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


def _rss(pid: int) -> int:
    try:
        for line in (_PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in (_PROC / str(pid) / "task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        return []
    return found


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of `pid` itself and of all its live descendants together."""
    own, descendants, pending = _rss(pid), 0, _children(pid)
    while pending:
        child = pending.pop()
        descendants += _rss(child)
        pending += _children(child)
    return own, descendants


@dataclass
class MemorySampler:
    """Samples (time, own RSS, descendants' RSS) on a daemon thread while in a `with` block."""

    interval: float = 0.2
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> MemorySampler:
        import os

        pid = os.getpid()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.samples.append((time.time(), *tree_rss(pid)))

        self._thread = threading.Thread(target=loop, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> tuple[int, int] | None:
        """Largest own and descendants' RSS sampled in [start, end], or None without samples."""
        inside = [(own, kids) for at, own, kids in self.samples if start <= at <= end]
        if not inside:
            return None
        return max(own for own, _ in inside), max(kids for _, kids in inside)

    def peak_total(self) -> int | None:
        """Largest sampled RSS of this process and its subprocesses together, or None."""
        return max((own + kids for _, own, kids in self.samples), default=None)
