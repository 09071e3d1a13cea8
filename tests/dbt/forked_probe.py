"""Run inside a child of dbt's fork server by test_dbt_warm.py (a child imports its target
function by module name, so it lives in a module of its own)."""

from __future__ import annotations

import json
from pathlib import Path


def exit_with_missing_count(manifest: str) -> None:
    """Exit with how many macros of `manifest` this process's dbt template cache lacks, plus how
    many of dbt's validated config classes have no schema built yet (at most 100)."""
    from dbt_common.clients.jinja import template_cache

    from orchestration.warehouse.dbt_warm import VALIDATED

    macros = json.loads(Path(manifest).read_text())["macros"].values()
    missing = sum(macro["macro_sql"] not in template_cache.file_cache for macro in macros)
    missing += sum(cls.json_schema.cache_info().currsize == 0 for cls in VALIDATED)
    raise SystemExit(min(missing, 100))
