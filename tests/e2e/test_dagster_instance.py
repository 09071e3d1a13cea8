"""The project's Dagster instance (.dagster/dagster.yaml, orchestration/event_log.py): Dagster's SQLite
storage whose event log keeps its connections and does not fsync every event.

What must hold: the instance `make demo` and `make dagster` use loads that storage; a run's
events land in the same files, readable by Dagster's stock storage (so the UI, the daemon or a
plain Dagster reads them); every event-log connection runs `synchronous=NORMAL` in WAL mode; and
the kept engines stay bounded as runs accumulate.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration import event_log
from orchestration.event_log import MeterbookSqliteEventLogStorage
from orchestration.settings import PROJECT_ROOT

NORMAL = 1  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset_check(asset=counted)
def counted_has_rows() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(PROJECT_ROOT / ".dagster" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


def run_once(instance: dg.DagsterInstance) -> str:
    result = dg.materialize([counted, counted_has_rows], instance=instance)
    assert result.success
    return result.run_id


def test_the_project_instance_uses_the_meterbook_event_log(home: Path):
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, MeterbookSqliteEventLogStorage)
        run_id = run_once(instance)
        with instance.event_log_storage.run_connection(run_id) as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == NORMAL
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_dagsters_stock_storage_reads_what_it_wrote(home: Path):
    with dg.DagsterInstance.get() as instance:
        run_id = run_once(instance)
        written = [e.dagster_event_type for e in instance.all_logs(run_id)]
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))  # where DagsterSqliteStorage keeps it
    read = [e.dagster_event_type for e in stock.get_logs_for_run(run_id)]
    assert read == written
    assert dg.DagsterEventType.ASSET_MATERIALIZATION in read
    assert dg.DagsterEventType.ASSET_CHECK_EVALUATION in read
    # The cross-run index (asset queries of the UI) has the materialization too.
    latest = stock.get_latest_materialization_events([dg.AssetKey("counted")])[dg.AssetKey("counted")]
    assert latest is not None and latest.run_id == run_id


def test_kept_engines_stay_bounded(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(event_log, "MAX_ENGINES", 2)
    with dg.DagsterInstance.get() as instance:
        runs = [run_once(instance) for _ in range(3)]
        storage = instance.event_log_storage
        assert len(storage._engines) <= 2
        # A run whose engine was dropped is read (and written) through a new one.
        assert any(e.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS for e in instance.all_logs(runs[0]))
