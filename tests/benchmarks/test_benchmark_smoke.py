"""The benchmark's whole code path on a tiny world: it closes the month and prints every figure."""

from __future__ import annotations

import re

from benchmarks.close_benchmark import main

NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
GIB = rf"{NUMBER} GiB"
FIGURES = {
    "events": r"events: 2,000$",
    "customers": r"customers: 20$",
    "close": r"close succeeded: yes$",
    "close seconds": rf"close wall seconds: {NUMBER}$",
    "events per second": rf"events per second: {NUMBER}$",
    "peak self": rf"peak RSS, this process \(RUSAGE_SELF\): {GIB}$",
    "peak children": rf"peak RSS, child processes \(RUSAGE_CHILDREN\): {GIB} ",
    "peak sampled": rf"peak RSS, process tree sampled during the close: {GIB}$",
    "baseline": rf"DuckDB baseline seconds: {NUMBER} \({NUMBER} groups\)$",
    "baseline runs": rf"DuckDB baseline runs: {NUMBER} s, {NUMBER} s, {NUMBER} s \(one after another after the close",
    "ratio": rf"ratio close/baseline: {NUMBER}$",
    "dbt step": rf"  meterbook_dbt_models: {NUMBER} s, ",
    "scale target": r"target events >= 10,000,000 closed successfully: FAIL$",
    "memory target": r"target peak memory < 4 GiB: (PASS|FAIL)$",
    "ratio target": r"target ratio < 4: (PASS|FAIL)$",
}


def test_benchmark_prints_every_figure(tmp_path, capsys):
    assert main(["--events", "2000", "--customers", "20", "--work-dir", str(tmp_path / "bench")]) == 0
    report = capsys.readouterr().out
    missing = [name for name, pattern in FIGURES.items() if not re.search(pattern, report, re.MULTILINE)]
    assert not missing, f"figures missing from the report: {missing}\n{report}"
    # 20 customers x at most (4 workflows + 1 api + 1 llm) groups; the tiny month reaches some of them.
    groups = int(re.search(r"\(([0-9,]+) groups\)", report).group(1).replace(",", ""))
    assert 20 <= groups <= 120
