"""Where meterbook reads and writes: one resource, defaulted from METERBOOK_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: str) -> str:
    return str(Path(os.environ.get(name, default)).expanduser().resolve())


class MeterbookSettings(dg.ConfigurableResource):
    """Paths of one meterbook deployment. Relative defaults are taken from the working directory."""

    landing_dir: str
    lake_dir: str
    warehouse_path: str
    contracts_dir: str
    exports_dir: str
    grace_period_hours: int = 24

    @classmethod
    def from_env(cls) -> MeterbookSettings:
        data = os.environ.get("METERBOOK_DATA", "data")
        return cls(
            landing_dir=_env_path("METERBOOK_LANDING", f"{data}/landing"),
            lake_dir=_env_path("METERBOOK_LAKE", f"{data}/lake"),
            warehouse_path=_env_path("METERBOOK_WAREHOUSE", f"{data}/meterbook.duckdb"),
            contracts_dir=_env_path("METERBOOK_CONTRACTS", "contracts"),
            exports_dir=_env_path("METERBOOK_EXPORTS", f"{data}/exports"),
            grace_period_hours=int(os.environ.get("METERBOOK_GRACE_HOURS", "24")),
        )

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def lake(self) -> Path:
        return Path(self.lake_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def contracts(self) -> Path:
        return Path(self.contracts_dir)

    @property
    def exports(self) -> Path:
        return Path(self.exports_dir)
