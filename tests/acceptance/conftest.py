"""Worlds shared by the reference-case tests: each is built and closed once per test module."""

from __future__ import annotations

import pytest

from tests.acceptance import commit_world, october_world
from tests.support import World


@pytest.fixture(scope="package")
def october(tmp_path_factory) -> World:
    """October and November 2026 closed, October closed twice to prove the re-run changes nothing."""
    world = World(tmp_path_factory.mktemp("october"))
    october_world.build(world)
    world.close("2026-10")
    world.first_october = world.snapshot()
    world.close("2026-10")
    world.second_october = world.snapshot()
    world.close("2026-11")
    return world


@pytest.fixture(scope="package")
def commit_quarter(tmp_path_factory) -> World:
    """Commit cases C13-C15: October to December 2026 closed in order."""
    world = World(tmp_path_factory.mktemp("commit_quarter"))
    commit_world.build_quarter(world)
    for month in commit_world.QUARTER_MONTHS:
        world.close(month)
    return world


@pytest.fixture(scope="package")
def commit_year(tmp_path_factory) -> World:
    """C12 and C17: January to August 2026 closed in order (each month's marts keep its rows)."""
    world = World(tmp_path_factory.mktemp("commit_year"))
    commit_world.build_year(world)
    for month in commit_world.YEAR_MONTHS:
        world.close(month)
    return world
