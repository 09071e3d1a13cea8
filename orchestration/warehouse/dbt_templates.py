"""dbt's macros compiled once, in the fork server (`dbt_process`), for every dbt child it forks.

dbt compiles a macro's Jinja source the first time a run calls it and keeps the template in a
process-wide cache keyed by the source (`dbt_common.clients.jinja.template_cache`). A child forked
from a fresh server starts with that cache empty, so every close compiled the same few hundred
templates again: about a second of a ten-million-event build's interpreter time. The server
imports this module (`dbt_child.PRELOAD`) and, when `dbt_process.warm` named the project's manifest
in `dbt_child.MANIFEST_ENV`, compiles every macro of it before it forks anything. A macro changed since
(a stale manifest) is simply not found in the cache and compiled by the run, as before.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from types import SimpleNamespace

from dbt_common.clients.jinja import template_cache

from orchestration.warehouse.dbt_child import MANIFEST_ENV


def compile_macros(manifest: Path) -> int:
    """Put every macro of `manifest` (a dbt manifest.json) into dbt's template cache; returns how many."""
    macros = json.loads(manifest.read_text())["macros"].values()
    for macro in macros:
        # The cache reads the source (its key) and the name (for an error's message) only.
        template_cache.get_node_template(SimpleNamespace(macro_sql=macro["macro_sql"], name=macro["name"]))
    return len(macros)


if manifest := os.environ.get(MANIFEST_ENV):
    # Only a warm-up: a run compiles whatever is missing, and the server must start whatever happens.
    with suppress(Exception):
        compile_macros(Path(manifest))
