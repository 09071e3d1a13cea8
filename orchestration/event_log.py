"""The Dagster instance's SQLite storage, with an event log that does not stall the close.

Dagster's SQLite event log builds a new SQLAlchemy engine for every event it stores and commits
each event with SQLite's default `synchronous=FULL`, i.e. an fsync per event. A month close writes
about 550 events (a planned and an evaluated event per dbt test, an output per asset), and each
fsync also makes the filesystem flush the lake files the step is writing at that moment: at ten
million events the close ran 62 s with it and 44 s without (benchmarks/README.md).

`MeterbookSqliteStorage` is Dagster's `DagsterSqliteStorage` (same files, same schema, readable by
the stock storage) whose event log keeps one engine and connection per database file and runs
SQLite with `synchronous=NORMAL`. The databases are already in WAL mode, where NORMAL keeps them consistent
after a crash and may lose only the last events committed before a power cut; a run's outcome is
also in its run storage, and a lost event never touches the lake or the warehouse.

Selected in `.dagster/dagster.yaml`:

    storage:
      custom:
        module: orchestration.event_log
        class: MeterbookSqliteStorage
        config:
          base_dir:
            env: DAGSTER_HOME
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

# A run's events go to its own database file (plus the shared index); the webserver reads many.
# Each kept engine holds one open file, so the least recently used ones are dropped.
MAX_ENGINES = 64


class MeterbookSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log with a cached engine per shard and `synchronous=NORMAL`."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._found: set[tuple[str, str | None]] = set()
        super().__init__(base_dir, inst_data=inst_data)

    # Dagster asks the schema whether a table or column exists for every asset check event and
    # every materialization (a new engine and a table scan of SQLite's catalog each time: a
    # quarter of the time storing a close's events took). Migrations only ever add tables and
    # columns, so what was found once is remembered; what was missing is asked again.
    def has_table(self, table_name: str) -> bool:
        return self._remembered(
            (table_name, None), lambda: super(MeterbookSqliteEventLogStorage, self).has_table(table_name)
        )

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        return self._remembered(
            ("asset_keys", column_name),
            lambda: super(MeterbookSqliteEventLogStorage, self)._has_asset_key_col_on_connection(conn, column_name),
        )

    def _remembered(self, what: tuple[str, str | None], found) -> bool:
        if what not in self._found and found():
            self._found.add(what)
        return what in self._found

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            # SQLAlchemy's default pool keeps the (single, lock-serialized) connection open
            # between events; an idle connection holds no transaction, so other processes
            # (webserver, daemon) read and write the file as before.
            engine = create_engine(
                self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
            )
            event.listen(engine, "connect", _normal_sync)
            self._engines[shard] = engine
            while len(self._engines) > MAX_ENGINES:
                self._engines.popitem(last=False)[1].dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn


def _normal_sync(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class MeterbookSqliteStorage(DagsterSqliteStorage):
    """`DagsterSqliteStorage` (runs, schedules, event log under one folder) with the event log above."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = MeterbookSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **config_value)
