"""Tests marked ``alone`` run with no other test at the same time.

Under pytest-xdist every test holds a shared lock on a file of the run while it runs
(setup to teardown), and a test marked ``alone`` holds it exclusively: it waits for the
tests running on the other workers to end, and they wait for it before starting their
next one. A turnstile lock in front keeps a stream of shared holders from starving an
exclusive one. Without workers (``-n 0``) there is nobody to wait for and nothing locks.

For a test that cannot share the machine: a timing bound that load would break, a fan-out
of processes that needs the cores to itself, a machine-wide service (a D-Bus session with
a Secret Service).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MARK = "alone"


def lock_directory(config: pytest.Config) -> Path | None:
    """The directory every worker of this run shares (its base temporary directory, which
    xdist hands each worker a subdirectory of), or None when no worker runs."""
    if not hasattr(config, "workerinput"):
        return None
    return Path(config.getoption("basetemp")).parent


@contextmanager
def turn(directory: Path | None, *, alone: bool) -> Iterator[None]:
    """Hold the run's lock while the block runs: exclusively when ``alone``."""
    if directory is None:
        yield
        return
    with (
        _opened(directory / "tests.turnstile") as turnstile,
        _opened(directory / "tests.lock") as lock,
    ):
        fcntl.flock(turnstile, fcntl.LOCK_EX)  # queue behind an exclusive holder
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        yield fd
    finally:
        os.close(fd)
