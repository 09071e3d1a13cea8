"""dbt run in a child process forked from a server that has already imported dbt, streamed to
dagster-dbt exactly as the dbt CLI's log would be.

Why not dagster-dbt's own subprocess: a fresh `dbt` process spends 3-4 s importing dbt before it
logs anything, on every close. Why not a thread of the Dagster process: dbt's per-node work is
Python, and so is Dagster's handling of every result dbt reports (an output, a materialization or
an asset check evaluation, each stored in the event log); in one process they take turns on one
interpreter lock, which made the same build about 3 s slower than dbt alone.

How: the fork server (`multiprocessing`'s forkserver) imports dbt once (`dbt_child`) and works out
what dbt would otherwise redo on every run (`dbt_warm`: the project's macros compiled, dbt's config
schemas built), in the background, as soon as the code location starts to load (`warm`, called by
`dbt_server`). Each run forks a child from it (milliseconds):
a fresh dbt, with exactly the environment and working directory dagster-dbt would have given its
subprocess. The child sends every event the CLI would print (all but debug) through a pipe as the
dict the CLI writes as a JSON log line; `DbtProcessCliInvocation` feeds those dicts to dagster-dbt
where it would read the subprocess's stdout, so materializations, asset check results and errors
are dagster-dbt's own translation. dbt still writes its log (dbt.log) to the invocation's target
folder. The child closes DuckDB before it exits (the marts are checkpointed into the warehouse
file, which is then free), and an interrupt is the SIGINT a dbt process gets from dagster-dbt.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from multiprocessing import spawn
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

from orchestration.warehouse import dbt_child
from orchestration.warehouse.dbt_child import DBT_ERROR, NODE_FAILURE, SUCCESS, error_event
from orchestration.warehouse.vars import environ

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(dbt_child.PRELOAD)
_DONE = object()
__all__ = ["DBT_ERROR", "NODE_FAILURE", "SUCCESS", "DbtProcess", "DbtProcessCliInvocation", "dbt_env", "warm"]


def warm(manifest: Path) -> None:
    """Start the fork server, which imports dbt and warms it for the macros of `manifest` (the
    project's manifest.json) in the background (called at code-location load).

    The server is a new process that inherits this environment when it starts; the manifest's path
    is set for that start only.
    """
    from multiprocessing import forkserver

    with environ({dbt_child.MANIFEST_ENV: os.fspath(manifest)}):
        forkserver.ensure_running()


class DbtProcess:
    """The part of `subprocess.Popen` that `DbtCliInvocation` uses, for dbt run in a forked child."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str]):
        self.args = ["dbt", *args]
        self.returncode: int | None = None
        self.stdout = None
        self._events: queue.Queue = queue.Queue()
        self._drained = False
        receive, send = _CONTEXT.Pipe(duplex=False)
        self._process = _CONTEXT.Process(
            target=dbt_child.run, args=(list(args), dict(env), os.getcwd(), send), name="dbt", daemon=True
        )
        _start_without_main(self._process)
        send.close()
        # A reader thread empties the pipe as dbt fills it, so the child never waits on the parent.
        self._reader = threading.Thread(target=self._read, args=(receive,), name="dbt-events", daemon=True)
        self._reader.start()

    def _read(self, receive: Connection) -> None:
        try:
            with receive:
                while True:
                    try:
                        self._events.put(receive.recv())
                    except EOFError:
                        break
            self._process.join()
            code = self._process.exitcode
            if code not in (SUCCESS, NODE_FAILURE, DBT_ERROR):
                self._events.put(error_event(f"dbt process ended with exit code {code}"))
            self.returncode = code if code in (SUCCESS, NODE_FAILURE) else DBT_ERROR
        finally:
            self._events.put(_DONE)  # whatever happened, the reader stops

    def events(self) -> Iterator[dict[str, Any]]:
        """The run's events, once (as a process's stdout, read again after the end, gives nothing)."""
        while not self._drained:
            event = self._events.get()
            if event is _DONE:
                self._drained = True
                return
            yield event

    def wait(self, timeout: float | None = None) -> int:
        self._reader.join(timeout)
        if self._reader.is_alive():
            raise TimeoutError(f"dbt still running after {timeout} s")
        return self.returncode if self.returncode is not None else DBT_ERROR

    def send_signal(self, sig: int = signal.SIGINT) -> None:
        """Signal dbt as dagster-dbt signals its process (SIGINT: dbt cancels its queries and ends)."""
        if self._process.is_alive():
            os.kill(self._process.pid, sig)


_START_LOCK = threading.Lock()


def _start_without_main(process: multiprocessing.process.BaseProcess) -> None:
    """Start a child that does not import this process's main script.

    multiprocessing hands a child what it needs to import the parent's `__main__` again (for
    functions defined there). The dbt child's function lives in `dbt_child`, and importing the
    main script (the `meterbook` or Dagster command line, a test runner) would cost seconds per
    run, or run an unguarded script's work twice. The preparation data is therefore built without
    the main module, for this start only.
    """
    original = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data = original(name)
        data.pop("init_main_from_name", None)
        data.pop("init_main_from_path", None)
        return data

    with _START_LOCK:
        spawn.get_preparation_data = without_main
        try:
            process.start()
        finally:
            spawn.get_preparation_data = original


class DbtProcessCliInvocation(DbtCliInvocation):
    """dagster-dbt's invocation, reading the events of a `DbtProcess` instead of a process's stdout."""

    process: DbtProcess

    @classmethod
    def start(cls, args: Sequence[str], env: Mapping[str, str], **fields: Any) -> DbtProcessCliInvocation:
        return cls(process=DbtProcess(args, env), **fields)

    def _stream_stdout(self) -> Iterator[str | dict[str, Any]]:
        for event in self.process.events():
            if event["info"]["level"] == "error":
                self._error_messages.append(event["info"]["msg"])
            yield event


def dbt_env(target_path: Path, project_dir: Path, profiles_dir: str | None) -> dict[str, str]:
    """The environment dagster-dbt gives its dbt subprocess (dagster_dbt.core.resource.DbtCliResource.cli)."""
    return {
        **os.environ,
        "DAGSTER_DBT_CLI": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": os.fspath(target_path),
        "DBT_LOG_PATH": os.fspath(target_path),
        **({"DBT_PROFILES_DIR": profiles_dir} if profiles_dir else {}),
        "DBT_PROJECT_DIR": str(project_dir),
    }
