"""The benchmark's printed report: every figure on its own labelled line, then PASS/FAIL per target."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.close_benchmark import BenchReport

GIB = 1024**3
TARGET_EVENTS = 10_000_000
TARGET_PEAK_BYTES = 4 * GIB
TARGET_RATIO = 4.0


def _gib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / GIB:.2f} GiB"


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def format_report(report: BenchReport) -> str:
    lines = [
        "meterbook close benchmark",
        f"events: {report.events:,}",
        f"customers: {report.customers:,}",
        f"generation seconds (not timed in the close): {report.generate_seconds:.2f}",
        f"set-up seconds (definitions and instance, not timed in the close): {report.setup_seconds:.2f}",
        f"close succeeded: {'yes' if report.close_success else 'no'}"
        + (f" ({', '.join(report.close_problems)})" if report.close_problems else ""),
        f"close wall seconds: {report.close_seconds:.2f}",
        f"events per second: {report.events_per_second:,.0f}",
        f"peak RSS, this process (RUSAGE_SELF): {_gib(report.peak_self_bytes)}",
        f"peak RSS, child processes (RUSAGE_CHILDREN): {_gib(report.peak_children_bytes)}"
        " (finished children only: dbt's process is the fork server's child, which the sampled tree below"
        " includes; Linux carries a parent's high-water mark into a forked child's record)",
        f"peak RSS, process tree sampled during the close: {_gib(report.peak_sampled_bytes)}",
        f"peak RSS before the close (generation): {_gib(report.peak_generation_bytes)}",
        f"DuckDB baseline seconds: {report.baseline_seconds:.2f} ({report.baseline_groups:,} groups)",
        "DuckDB baseline runs: "
        + ", ".join(f"{seconds:.2f} s" for seconds in report.baseline_runs)
        + " (one after another after the close; the ratio uses their median)",
        f"ratio close/baseline: {report.ratio:.2f}",
        "steps (wall seconds, peak RSS sampled in-process / subprocesses):",
    ]
    lines += [
        f"  {s.step_key}: {s.seconds:.2f} s, {_gib(s.peak_own_bytes)} / {_gib(s.peak_children_bytes)}"
        for s in report.steps
    ]
    scale_ok = report.events >= TARGET_EVENTS and report.close_success
    lines += [
        f"target events >= {TARGET_EVENTS:,} closed successfully: {_verdict(scale_ok)}",
        f"target peak memory < 4 GiB: {_verdict(report.peak_bytes < TARGET_PEAK_BYTES)}",
        f"target ratio < {TARGET_RATIO:g}: {_verdict(report.ratio < TARGET_RATIO)}",
    ]
    return "\n".join(lines)
