"""Locating the dbt project, keeping its manifest current, and keeping dbt's parse state reusable.

dbt re-parses the whole project (seconds) unless the invocation finds a `partial_parse.msgpack`
made under the same profile (the warehouse path is part of it), the same `--vars` and the same
project files. dagster-dbt runs each invocation in a fresh target folder, so a close would never
find one made under its own warehouse: `partial_parse_state` keeps the state of the last
successful invocation per deployment (warehouse and lake paths) and puts it into the next
invocation's target folder. The state is only a shortcut dbt verifies itself: a stale or foreign
file costs a full parse, never a wrong result.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse.vars import environ

DBT_DIR = PROJECT_ROOT / "dbt_project"
PARSE_STATE_FILE = "partial_parse.msgpack"
_PARSE_STATE_DIR = DBT_DIR / "target" / "parse_state"
_PARSE_STATES_KEPT = 16
_TARGETS_KEPT = 20
# `<name>-<hex>` (unique_target_path, dagster-dbt with a context) or `<hex>` (dagster-dbt without one).
_INVOCATION_FOLDER = re.compile(r"(?:\w+-)?[0-9a-f]{7,12}")

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)


def _sources_newer_than(path: Path) -> bool:
    stamp = path.stat().st_mtime
    watched = [DBT_DIR / "dbt_project.yml", *DBT_DIR.glob("models/**/*"), *DBT_DIR.glob("macros/**/*")]
    watched += list(DBT_DIR.glob("tests/**/*"))
    return any(p.is_file() and p.stat().st_mtime > stamp for p in watched)


def _manifest_current(manifest: Path) -> bool:
    return manifest.exists() and not _sources_newer_than(manifest)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any model, macro or test.

    Several processes may load the code location at once (pytest workers, a run worker beside the
    webserver): one parses under a lock, in its own target folder, and swaps the finished manifest
    in, so no process ever reads a half-written one.
    """
    manifest = dbt_project.manifest_path
    if _manifest_current(manifest):
        return manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".manifest.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if _manifest_current(manifest):  # another process parsed while this one waited
            return manifest
        from dbt.cli.main import dbtRunner

        target = unique_target_path("manifest")
        target.mkdir(parents=True)
        state = manifest.parent / PARSE_STATE_FILE  # the last parse's state: a partial parse if it fits
        with suppress(FileNotFoundError):
            shutil.copyfile(state, target / PARSE_STATE_FILE)
        args = ["parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--quiet"]
        try:
            result = dbtRunner().invoke([*args, "--target-path", str(target)])
            if not result.success:
                raise RuntimeError(f"dbt parse failed for {DBT_DIR}: {result.exception}")
            os.replace(target / "manifest.json", manifest)
            with suppress(FileNotFoundError):
                os.replace(target / PARSE_STATE_FILE, state)
        finally:
            shutil.rmtree(target, ignore_errors=True)
    return manifest


def _state_path(warehouse_path: str, lake_dir: str) -> Path:
    key = "\0".join([version("dbt-core"), str(warehouse_path), str(lake_dir)])
    return _PARSE_STATE_DIR / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.msgpack"


def unique_target_path(name: str) -> Path:
    """A fresh target folder for one dbt invocation (as dagster-dbt names its own)."""
    return DBT_DIR / "target" / f"{name}-{uuid.uuid4().hex[:12]}"


def forget_old_targets(kept: int = _TARGETS_KEPT) -> None:
    """Keep the newest `kept` invocation folders in dbt_project/target.

    Every dbt invocation gets its own folder (its manifest, compiled SQL, run results and dbt.log,
    about 10 MB); a monthly close makes a dozen a year, but tests and benchmarks make hundreds.
    The folders of runs still going on are among the newest: each was created when its run began.
    """
    stamped = []
    for path in (DBT_DIR / "target").glob("*"):
        if path.is_dir() and _INVOCATION_FOLDER.fullmatch(path.name):
            with suppress(FileNotFoundError):
                stamped.append((path.stat().st_mtime, path))
    for _, stale in sorted(stamped, reverse=True)[kept:]:
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def partial_parse_state(target_path: Path, warehouse_path: str, lake_dir: str) -> Iterator[None]:
    """Seed `target_path` with the deployment's last parse state; keep the new one if the block succeeds.

    Wrap the whole dbt invocation (start and wait): the state is saved only when it ran through.
    """
    saved = _state_path(warehouse_path, lake_dir)
    target_path.mkdir(parents=True, exist_ok=True)
    with suppress(FileNotFoundError):  # none yet, or another process just replaced or pruned it
        shutil.copyfile(saved, target_path / PARSE_STATE_FILE)
    yield
    produced = target_path / PARSE_STATE_FILE
    if produced.exists():
        saved.parent.mkdir(parents=True, exist_ok=True)
        partial = saved.with_name(f".{saved.name}.{uuid.uuid4().hex}")
        shutil.copyfile(produced, partial)
        partial.replace(saved)  # atomic: a concurrent reader sees the old file or the new one
        _forget_old_states()


def _forget_old_states() -> None:
    """Keep the newest few states (one per deployment that closed recently: tests make many)."""
    stamped = []
    for path in _PARSE_STATE_DIR.glob("*.msgpack"):
        with suppress(FileNotFoundError):
            stamped.append((path.stat().st_mtime, path))
    for _, stale in sorted(stamped, reverse=True)[_PARSE_STATES_KEPT:]:
        stale.unlink(missing_ok=True)


def prepare_parse_state(warehouse_path: str, lake_dir: str) -> None:
    """Bring the deployment's parse state up to date with the project files (a partial parse).

    What a loaded code location has after its first close, done ahead (the benchmark's set-up).
    """
    from dbt.cli.main import dbtRunner

    target = unique_target_path("parse")
    variables = {"METERBOOK_WAREHOUSE": str(warehouse_path), "METERBOOK_LAKE": str(lake_dir)}
    try:
        with environ(variables), partial_parse_state(target, warehouse_path, lake_dir):
            args = ["parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--quiet"]
            result = dbtRunner().invoke([*args, "--target-path", str(target)])
            if not result.success:
                raise RuntimeError(f"dbt parse failed for {DBT_DIR}: {result.exception}")
    finally:
        shutil.rmtree(target, ignore_errors=True)
