"""Commands with nothing to do write nothing anywhere (#10 item 9): no lock file, no config
directory, no file under HOME, in a config directory that does not exist, in an empty one of
ours, and in a shared one (mode 1777, like /tmp) that nanoctl refuses as unsafe.

Each real CLI run is compared with a listing of the test's whole tmp_path (HOME and the
config directory inside it) taken before: every name, its mode and its mtime.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import url_env
from tests.integration.in_process import run_nanoctl

Listing = dict[str, tuple[int, int]]


def listing(root: Path) -> Listing:
    """Every name below ``root`` (and ``root`` itself) with its mode and mtime in ns."""
    found: Listing = {}
    for directory, subdirectories, files in os.walk(root):
        for name in [".", *subdirectories, *files]:
            path = Path(directory, name)
            info = path.lstat()
            found[str(path.relative_to(root))] = (info.st_mode, info.st_mtime_ns)
    return found


def missing(tmp_path: Path) -> Path:
    return tmp_path / "home" / ".config" / "nanoctl"


def empty_and_private(tmp_path: Path) -> Path:
    path = tmp_path / "private"
    path.mkdir(mode=0o700)
    return path


def shared(tmp_path: Path) -> Path:
    path = tmp_path / "shared"
    path.mkdir()
    path.chmod(0o1777)
    (path / "someone-elses.txt").write_text("theirs\n")
    return path


DIRECTORIES = [
    pytest.param(missing, id="missing dir"),
    pytest.param(empty_and_private, id="empty private dir"),
    pytest.param(shared, id="shared 1777 dir"),
]


@pytest.mark.parametrize("config_dir", DIRECTORIES)
def test_logout_with_nothing_stored_says_so_and_writes_nothing(
    tmp_path: Path, config_dir: Callable[[Path], Path]
) -> None:
    directory = config_dir(tmp_path)
    before = listing(tmp_path)

    result = run_nanoctl("logout", env={"NANOCTL_CONFIG_DIR": str(directory)})

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_lines == [
        f"Not logged in: nothing stored at {directory / 'credentials.json'}."
    ]
    assert listing(tmp_path) == before


@pytest.mark.parametrize("config_dir", DIRECTORIES)
@pytest.mark.parametrize(
    ("args", "token", "want_exit"),
    [
        # want_exit: (in a missing or private dir, in the shared dir nanoctl refuses)
        pytest.param(["status"], None, (1, 5), id="status"),
        pytest.param(["status", "--offline"], api.VALID, (0, 0), id="status --offline, env token"),
        pytest.param(["status"], api.VALID, (0, 0), id="status, env token"),
        pytest.param(["token"], None, (1, 5), id="token"),
        pytest.param(["exec", "--", "true"], None, (1, 5), id="exec"),
        pytest.param(["exec", "--", "true"], api.VALID, (0, 0), id="exec, env token"),
        pytest.param(["login", "--token", api.VALID], None, (0, 0), id="login --token"),
        pytest.param(["logout"], api.VALID, (0, 0), id="logout, env token"),
    ],
)
def test_commands_with_nothing_to_store_write_nothing(
    tmp_path: Path,
    server: ReferenceServer,
    config_dir: Callable[[Path], Path],
    args: list[str],
    token: str | None,
    want_exit: tuple[int, int],
) -> None:
    directory = config_dir(tmp_path)
    before = listing(tmp_path)

    result = run_nanoctl(
        *args, env={**url_env(server, token), "NANOCTL_CONFIG_DIR": str(directory)}
    )

    assert result.exit_code == want_exit[config_dir is shared]
    assert listing(tmp_path) == before
