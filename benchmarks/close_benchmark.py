"""`make bench`: N generated events closed end to end, against a bare DuckDB query over the same files.

One run generates N events for 1,000 customers as Parquet (`orchestration.sample.benchmark`) in a
work folder, writes their contracts, closes the month through the real Dagster job and times the
close alone. The baseline is the least any close must do: one DuckDB query that reads the same
files, keeps the first row of each (customer_id, event_id) and sums quantity per customer, product
and group. It runs three times after the close, and the ratio uses the median: on this shared machine
one run of the query alone took anywhere from 7.3 to 10.8 s in one day. (Not before the close: its
DuckDB memory would then count in this process's peak.) The report gives events per second, peak
memory (this process, which also runs dbt), the close/baseline ratio, per-step times and memory,
and PASS/FAIL per target of issue 2.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from benchmarks.measure import MemorySampler, peak_rss_bytes
from benchmarks.report import TARGET_EVENTS, format_report
from orchestration.runner import close_month
from orchestration.sample.benchmark import generate_benchmark, write_benchmark_contracts
from orchestration.settings import MeterbookSettings

PROJECT_INSTANCE_CONFIG = Path(__file__).resolve().parents[1] / ".dagster" / "dagster.yaml"
# The baseline query runs this many times after the close; the ratio uses the median.
BASELINE_RUNS = 3

BASELINE_SQL = """
with firsts as (
    select * from read_parquet(?, filename = true, file_row_number = true)
    qualify row_number() over (
        partition by customer_id, event_id order by filename, file_row_number
    ) = 1
)
select
    customer_id,
    event_type as product,
    json_extract_string(properties, '$.workflow_id') as group_value,
    sum(case when event_type = 'llm_call'
        then cast(json_extract_string(properties, '$.tokens') as decimal(38, 0)) else 1 end) as quantity
from firsts
group by all
"""


@dataclass(frozen=True)
class StepTiming:
    step_key: str
    seconds: float
    peak_own_bytes: int | None  # largest sampled RSS of this process while the step ran
    peak_children_bytes: int | None  # ... and of its subprocesses


@dataclass(frozen=True)
class BenchReport:
    events: int
    customers: int
    generate_seconds: float
    setup_seconds: float  # loading the definitions and the instance, before the close is timed
    close_seconds: float
    close_success: bool
    close_problems: list[str]
    peak_self_bytes: int  # RUSAGE_SELF after the close (generation included: it ran first)
    peak_children_bytes: int  # RUSAGE_CHILDREN after the close (finished children; not dbt's)
    peak_generation_bytes: int  # RUSAGE_SELF before the close, for telling the two apart
    peak_sampled_bytes: int | None  # largest sampled RSS of this process plus live subprocesses
    baseline_runs: tuple[float, ...]  # the query's seconds, each run
    baseline_groups: int
    steps: list[StepTiming]

    @property
    def events_per_second(self) -> float:
        return self.events / self.close_seconds if self.close_seconds else 0.0

    @property
    def peak_bytes(self) -> int:
        return max(self.peak_self_bytes, self.peak_children_bytes)

    @property
    def baseline_seconds(self) -> float:
        return statistics.median(self.baseline_runs)

    @property
    def ratio(self) -> float:
        return self.close_seconds / self.baseline_seconds if self.baseline_seconds else float("inf")


def run_benchmark(n_events: int, n_customers: int = 1000, *, work_dir: Path, month: str = "2026-10") -> BenchReport:
    """Generate, close and compare in `work_dir` (which must be empty or absent)."""
    work_dir = Path(work_dir)
    settings = MeterbookSettings(
        landing_dir=str(work_dir / "landing"),
        lake_dir=str(work_dir / "lake"),
        warehouse_path=str(work_dir / "meterbook.duckdb"),
        contracts_dir=str(work_dir / "contracts"),
        exports_dir=str(work_dir / "exports"),
    )
    started = time.perf_counter()
    generate_benchmark(settings.landing, n_events, n_customers, month=date.fromisoformat(f"{month}-01"))
    write_benchmark_contracts(settings.contracts, n_customers)
    generate_seconds = time.perf_counter() - started
    peak_generation = peak_rss_bytes()

    with _dagster_home(work_dir / "dagster_home"), MemorySampler() as sampler:
        # A scheduled close runs in a loaded code location against an existing instance, so
        # loading the definitions (and parsing dbt if stale), creating storage and dbt's parse
        # state for this deployment (what the location keeps from its previous close) are set-up.
        started = time.perf_counter()
        import orchestration.definitions  # noqa: F401
        from orchestration.warehouse.project import prepare_parse_state

        dg.DagsterInstance.get().dispose()
        prepare_parse_state(settings.warehouse_path, settings.lake_dir)
        setup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        outcome = close_month(month, settings)
        close_seconds = time.perf_counter() - started
        steps = _step_timings(sampler)
    peak_sampled = sampler.peak_total()
    peak_self, peak_children = peak_rss_bytes(), peak_rss_bytes(resource.RUSAGE_CHILDREN)

    baselines = [_baseline(settings) for _ in range(BASELINE_RUNS)]
    groups = {g for _, g in baselines}
    if len(groups) != 1:
        raise RuntimeError(f"the baseline query gave different group counts: {sorted(groups)}")
    return BenchReport(
        events=n_events,
        customers=n_customers,
        generate_seconds=generate_seconds,
        setup_seconds=setup_seconds,
        close_seconds=close_seconds,
        close_success=outcome.success,
        close_problems=[f"step {s}" for s in outcome.failed_steps] + [f"check {c}" for c in outcome.failed_checks],
        peak_self_bytes=peak_self,
        peak_children_bytes=peak_children,
        peak_generation_bytes=peak_generation,
        peak_sampled_bytes=peak_sampled,
        baseline_runs=tuple(seconds for seconds, _ in baselines),
        baseline_groups=groups.pop(),
        steps=steps,
    )


def _baseline(settings: MeterbookSettings) -> tuple[float, int]:
    """One run of the baseline query: its wall seconds and how many groups it returned."""
    started = time.perf_counter()
    with duckdb.connect() as con:
        groups = len(con.execute(BASELINE_SQL, [str(settings.landing / "**" / "*.parquet")]).fetchall())
    return time.perf_counter() - started, groups


@contextmanager
def _dagster_home(path: Path):
    """A private Dagster instance, so the run's step statistics can be read back after the close.

    It is configured as the project's own (`.dagster/dagster.yaml`, which `make demo` and
    `make dagster` use): the same storage and the same pools.
    """
    path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_INSTANCE_CONFIG, path / "dagster.yaml")
    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = before


def _step_timings(sampler: MemorySampler) -> list[StepTiming]:
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
        stats = instance.get_run_step_stats(runs[0].run_id) if runs else []
    timings = []
    for stat in sorted(stats, key=lambda s: s.start_time or 0.0):
        if stat.start_time is None or stat.end_time is None:
            continue
        peak = sampler.peak_between(stat.start_time, stat.end_time)
        timings.append(StepTiming(stat.step_key, stat.end_time - stat.start_time, *(peak if peak else (None, None))))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=TARGET_EVENTS, help="events to generate (default 10,000,000)")
    parser.add_argument("--customers", type=int, default=1000, help="customers cust-0001.. (default 1,000)")
    parser.add_argument("--month", default="2026-10", help="billing month YYYY-MM (default 2026-10)")
    parser.add_argument("--work-dir", type=Path, help="keep the data here (default: a temporary folder)")
    args = parser.parse_args(argv)
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="meterbook-bench-"))
    if args.work_dir and work_dir.exists() and any(work_dir.iterdir()):
        parser.error(f"--work-dir {work_dir} is not empty")
    try:
        report = run_benchmark(args.events, args.customers, work_dir=work_dir, month=args.month)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(format_report(report))
    # A missed target is a finding to print, not a failed command: `make bench` is not a test.
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
