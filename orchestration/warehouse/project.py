"""Locating the dbt project and keeping its manifest current, without a `dagster dev`-only step."""

from __future__ import annotations

import os
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import PROJECT_ROOT

DBT_DIR = PROJECT_ROOT / "dbt_project"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)


def _sources_newer_than(path: Path) -> bool:
    stamp = path.stat().st_mtime
    watched = [DBT_DIR / "dbt_project.yml", *DBT_DIR.glob("models/**/*"), *DBT_DIR.glob("macros/**/*")]
    watched += list(DBT_DIR.glob("tests/**/*"))
    return any(p.is_file() and p.stat().st_mtime > stamp for p in watched)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any model, macro or test."""
    manifest = dbt_project.manifest_path
    if manifest.exists() and not _sources_newer_than(manifest):
        return manifest
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--quiet"])
    if not result.success:
        raise RuntimeError(f"dbt parse failed for {DBT_DIR}: {result.exception}")
    return manifest
