"""`kill -9` between storing the imported token and destroying the old file: the token is
then in nanoctl's store, in the legacy file, or in both; never in neither.

A sitecustomize on PYTHONPATH makes the installed nanoctl SIGKILL itself at the moment named:
when it opens the legacy file to overwrite it (nothing destroyed yet), or when it is about
to unlink it (overwritten, not yet unlinked).
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import run_nanoctl
from tests.legacy_files import write_legacy

SITECUSTOMIZE = r"""
import os, signal

_open, _unlink = os.open, os.unlink
_WHEN = os.environ.get("NANOCTL_TEST_KILL_AT")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _killing_open(path, flags, *args, **kwargs):
    if _WHEN == "overwrite" and str(path).endswith("token.enc") and flags & os.O_WRONLY:
        _die()
    return _open(path, flags, *args, **kwargs)


def _killing_unlink(path, *args, **kwargs):
    if _WHEN == "unlink" and str(path).endswith("token.enc"):
        _die()
    return _unlink(path, *args, **kwargs)


os.open, os.unlink = _killing_open, _killing_unlink
"""


@pytest.fixture
def killer(tmp_path: Path) -> Path:
    directory = tmp_path / "killer"
    directory.mkdir()
    (directory / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return directory


def stored_token_works(server: ReferenceServer) -> bool:
    status = run_nanoctl("status", "--json", env={"NANOSERVICES_API_URL": server.url})
    return status.exit_code == 0 and json.loads(status.stdout)["source"] == "stored"


@pytest.mark.parametrize("moment", ["overwrite", "unlink"])
def test_killed_between_storing_and_destroying_the_token_is_never_lost(
    server: ReferenceServer, isolated_home: Path, killer: Path, moment: str
) -> None:
    path = write_legacy(isolated_home, api.VALID)
    env = {
        "NANOSERVICES_API_URL": server.url,
        "PYTHONPATH": str(killer),
        "NANOCTL_TEST_KILL_AT": moment,
    }

    killed = run_nanoctl("login", "--import-legacy", "-n", env=env)

    assert killed.exit_code == -signal.SIGKILL
    assert stored_token_works(server)  # stored before anything was destroyed
    assert path.exists()
    again = run_nanoctl("login", "--import-legacy", "-n", env={"NANOSERVICES_API_URL": server.url})
    if moment == "overwrite":  # both copies: a second import finishes the cleanup
        assert again.exit_code == 0, again.stderr
        assert not path.exists()
    else:  # overwritten already: what is left holds no token
        assert again.exit_code == 5
        assert "is malformed" in again.stderr
    assert stored_token_works(server)
