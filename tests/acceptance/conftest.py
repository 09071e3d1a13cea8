"""Worlds shared by the reference-case tests: each is built and closed once per test module."""

from __future__ import annotations

import pytest

from tests.acceptance import october_world
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
