"""Fixtures of the unit tests: the commands' world of fakes (tests/unit/cli_world.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.cli_world import Cli, build_cli


@pytest.fixture
def cli() -> Iterator[Cli]:
    world = build_cli()
    yield world
    world.container.unwire()
