"""An exposed NANOCTL_CONFIG_DIR is refused (exit 5) with the fix that fits whose it is
(#10 item 9): `chmod 700` only for a directory holding nothing but nanoctl's own files; a
shared directory (the sticky bit, like /tmp) or one holding other files gets another
NANOCTL_CONFIG_DIR instead, since closing it would lock its other users out. The same goes
for `chown`: a directory of another owner is taken over only when it looks like nanoctl's.

Real CLI runs on real directories under the test's tmp_path; nanoctl never changes their mode.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import one_line, store_credential, url_env
from tests.integration.in_process import run_nanoctl
from tests.store_helpers import NOBODY_UID, NOGROUP_GID

ELSEWHERE = (
    "Leave it as it is and choose another NANOCTL_CONFIG_DIR, for nanoctl alone, e.g. "
    "`export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, private)."
)
REFUSED = "nanoctl refuses to use it, like ssh refuses an exposed private key."
COMMANDS = [
    pytest.param(["status"], id="status"),
    pytest.param(["token"], id="token"),
    pytest.param(["exec", "--", "true"], id="exec"),
]


def shared_line(directory: Path) -> str:
    return f"Error: {directory} is a shared directory (mode 1777, like /tmp); {REFUSED} {ELSEWHERE}"


def other_line(directory: Path, mode: str = "755") -> str:
    return (
        f"Error: {directory} is accessible to other users (mode {mode}) and holds files that "
        f"are not nanoctl's; {REFUSED} {ELSEWHERE}"
    )


def own_line(directory: Path, mode: str = "755") -> str:
    return (
        f"Error: {directory} is accessible to other users (mode {mode}); {REFUSED} "
        f"Run `chmod 700 {directory}`."
    )


def make_directory(path: Path, mode: int) -> Path:
    path.mkdir(parents=True)
    path.chmod(mode)
    return path


def stored_in(path: Path, server: ReferenceServer, mode: int) -> Path:
    """A credential saved by nanoctl's own store in ``path`` (0700), then ``path`` chmodded."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NANOCTL_CONFIG_DIR", str(path))
        store_credential(server.url, api.VALID, server.after(days=30))
    path.chmod(mode)
    return path


def run_in(directory: Path, server: ReferenceServer, *args: str) -> tuple[int, str]:
    result = run_nanoctl(*args, env={**url_env(server), "NANOCTL_CONFIG_DIR": str(directory)})
    return result.exit_code, one_line(result)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- a shared directory: never chmod ------------------------------------------------------


@pytest.mark.parametrize("args", COMMANDS)
def test_a_shared_directory_gets_another_config_dir_as_the_fix_never_chmod(
    tmp_path: Path, server: ReferenceServer, args: list[str]
) -> None:
    shared = make_directory(tmp_path / "shared", 0o1777)

    assert run_in(shared, server, *args) == (5, shared_line(shared))
    assert mode_of(shared) == 0o1777
    assert list(shared.iterdir()) == []
    assert server.requests == []


def test_a_shared_directory_holding_our_credential_is_still_shared(
    tmp_path: Path, server: ReferenceServer
) -> None:
    """Our files in it do not make /tmp ours: the sticky bit decides."""
    shared = stored_in(tmp_path / "shared", server, 0o1777)

    assert run_in(shared, server, "status") == (5, shared_line(shared))
    assert mode_of(shared) == 0o1777


def test_a_shared_directory_that_others_can_only_enter_is_shared_too(
    tmp_path: Path, server: ReferenceServer
) -> None:
    shared = make_directory(tmp_path / "shared", 0o1711)
    line = shared_line(shared).replace("mode 1777", "mode 1711")

    assert run_in(shared, server, "status") == (5, line)


def test_a_shared_directory_of_another_owner_gets_another_config_dir_never_chown(
    tmp_path: Path, server: ReferenceServer
) -> None:
    """/tmp itself, for anyone but root: owned by root, so refused for its owner first."""
    shared = make_directory(tmp_path / "tmp", 0o1777)
    os.chown(shared, NOBODY_UID, NOGROUP_GID)

    assert run_in(shared, server, "status") == (
        5,
        f"Error: {shared} belongs to another user (uid {NOBODY_UID}); nanoctl only trusts "
        f"its own files. {ELSEWHERE}",
    )
    assert shared.stat().st_uid == NOBODY_UID


def test_someone_elses_home_gets_another_config_dir_never_chown(
    tmp_path: Path, server: ReferenceServer
) -> None:
    home = make_directory(tmp_path / "grace", 0o700)
    (home / ".bashrc").write_text("export PATH\n")
    os.chown(home, NOBODY_UID, NOGROUP_GID)

    assert run_in(home, server, "status") == (
        5,
        f"Error: {home} belongs to another user (uid {NOBODY_UID}); nanoctl only trusts "
        f"its own files. {ELSEWHERE}",
    )


# --- another program's directory: never chmod ----------------------------------------------


@pytest.mark.parametrize(
    "name", ["notes.txt", ".bashrc", "credentials.json.bak", ".credentials.json.old.tmp"]
)
def test_a_directory_holding_other_files_gets_another_config_dir_as_the_fix(
    tmp_path: Path, server: ReferenceServer, name: str
) -> None:
    other = make_directory(tmp_path / "somewhere", 0o755)
    (other / name).write_text("not nanoctl's\n")

    assert run_in(other, server, "status") == (5, other_line(other))
    assert mode_of(other) == 0o755
    assert sorted(p.name for p in other.iterdir()) == [name]


def test_our_credential_next_to_other_files_in_an_open_directory_is_refused_the_same(
    tmp_path: Path, server: ReferenceServer
) -> None:
    home_like = stored_in(tmp_path / "home-like", server, 0o750)
    (home_like / ".profile").write_text("export PATH\n")

    assert run_in(home_like, server, "token") == (5, other_line(home_like, "750"))


# --- nanoctl's own directory: chmod 700, as before ----------------------------------------


def test_our_own_directory_opened_to_others_gets_chmod_700(
    tmp_path: Path, server: ReferenceServer
) -> None:
    ours = stored_in(tmp_path / "nanoctl", server, 0o755)
    assert sorted(p.name for p in ours.iterdir()) == [
        ".credentials.lock",
        "credentials.json",
        "credentials.key",
    ]

    assert run_in(ours, server, "status") == (5, own_line(ours))
    ours.chmod(0o700)  # the advice, followed, is all it takes
    env = {**url_env(server), "NANOCTL_CONFIG_DIR": str(ours)}
    assert run_nanoctl("status", env=env).exit_code == 0


def test_profiles_and_leftover_temporaries_are_ours_too(
    tmp_path: Path, server: ReferenceServer
) -> None:
    ours = stored_in(tmp_path / "nanoctl", server, 0o700)
    (ours / "profiles").mkdir(mode=0o700)
    (ours / ".credentials.json.0123456789abcdef.tmp").write_bytes(b"{")
    (ours / ".credentials.key.fedcba9876543210.tmp").write_bytes(b"")
    ours.chmod(0o770)

    assert run_in(ours, server, "status") == (5, own_line(ours, "770"))


def test_an_empty_open_directory_gets_chmod_700(tmp_path: Path, server: ReferenceServer) -> None:
    """`mkdir ~/.config/nanoctl` under umask 022: nothing in it, so nothing of anyone else's."""
    empty = make_directory(tmp_path / "nanoctl", 0o755)

    assert run_in(empty, server, "exec", "--", "true") == (5, own_line(empty))


# --- logout in an unsafe directory ---------------------------------------------------------


def test_logout_in_a_shared_directory_removes_our_files_and_leaves_the_rest(
    tmp_path: Path, server: ReferenceServer
) -> None:
    """Removing names (never following a link) is safe anywhere, and logout must work on a
    store that load refuses; the lock file stays, as everywhere (it is never deleted)."""
    shared = stored_in(tmp_path / "shared", server, 0o1777)
    (shared / "someone-elses.txt").write_text("theirs\n")

    result = run_nanoctl("logout", env={"NANOCTL_CONFIG_DIR": str(shared)})

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_lines == [
        f"Logged out: removed the stored credential ({shared / 'credentials.json'})."
    ]
    assert sorted(p.name for p in shared.iterdir()) == [".credentials.lock", "someone-elses.txt"]
    assert (shared / "someone-elses.txt").read_text() == "theirs\n"
    assert mode_of(shared) == 0o1777
