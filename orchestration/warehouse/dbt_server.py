"""Importing this module starts dbt's fork server (`dbt_process.warm`) for the project's manifest.

The code location imports it before anything else, so the server imports dbt and compiles the
project's macros (seconds) while the rest of the location loads, rather than while a run that
started right after the load is already closing its first steps.
"""

from orchestration.warehouse.dbt_process import warm
from orchestration.warehouse.project import ensure_manifest

warm(ensure_manifest())
