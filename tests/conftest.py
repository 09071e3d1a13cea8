"""Suite-wide settings.

Tests run every job on an ephemeral (in-memory) Dagster instance, even when `make` exports
DAGSTER_HOME for `make dagster`: the on-disk SQLite event log costs 10-40 ms per event (about three
per dbt test) and two xdist workers would contend for its lock. Runs stay fully checked either way.
"""

import os

os.environ.pop("DAGSTER_HOME", None)
