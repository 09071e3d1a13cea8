"""Billing state kept in the warehouse beside the marts: which months are closed, and when.

The `billing_state` schema is append-only and written only by finalization; everything else reads it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

STATE_SCHEMA = "billing_state"


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    query = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    return con.execute(query, [STATE_SCHEMA, table]).fetchone()[0] > 0


def finalized_cutoffs(warehouse: Path) -> dict[date, datetime]:
    """Finalized usage months and the arrival cutoff of the data they were finalized with."""
    if not warehouse.exists():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _has_table(con, "month_closes"):
            return {}
        rows = con.execute(
            f"select usage_month, data_cutoff_at from {STATE_SCHEMA}.month_closes order by usage_month"
        ).fetchall()
    return {month: cutoff for month, cutoff in rows}
