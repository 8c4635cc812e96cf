"""Profile directories are never reached through a symbolic link (#20 items 2 and 8).

Another local user who can write `profiles/` (a shared sticky directory, or one made
writable) plants `profiles/zzz -> ~/project`; the victim's `logout --all` (or any command)
must neither delete nor create anything in ~/project: each profile directory is opened
relative to its checked parent without following links, a link is reported, and a
`profiles/` that others can write or that is a link is refused like the config directory.
The other user acts for real (setpriv as nobody); nanoctl runs as the victim (root in CI).
A regular file named `profiles` is named as the thing to move away.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtyResult,
    PtySession,
    config_dir,
    one_line,
    profile_dir,
    run_nanoctl,
    store_credential,
    url_env,
)

REFUSED = "nanoctl refuses to use it, like ssh refuses an exposed private key."
ELSEWHERE = (
    "Leave it as it is and choose another NANOCTL_CONFIG_DIR, for nanoctl alone, e.g. "
    "`export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, private)."
)


def link_line(path: Path) -> str:
    return (
        f"Error: {path} is a symbolic link; nanoctl keeps each profile in a directory of its "
        f"own and never follows a link there. Remove the link (`rm {path}` removes the link, "
        "not what it points to)."
    )


def as_other_user(*argv: str) -> None:
    """``argv`` run as nobody: another local user, for whom root's permissions do not hold."""
    subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv],
        check=True,
        capture_output=True,
        timeout=30,
    )


def state_of(directory: Path) -> dict[str, tuple[int, int, str | bytes]]:
    """Every entry of ``directory``: mode, mtime (ns) and bytes (a link: its target); the
    directory's own mode and mtime too."""
    own = directory.lstat()
    entries: dict[str, tuple[int, int, str | bytes]] = {".": (own.st_mode, own.st_mtime_ns, b"")}
    for path in sorted(directory.iterdir()):
        info = path.lstat()
        content = os.readlink(path) if path.is_symlink() else path.read_bytes()
        entries[path.name] = (info.st_mode, info.st_mtime_ns, content)
    return entries


@pytest.fixture
def reachable() -> Iterator[Path]:
    """A directory another user can enter (0711): pytest's tmp_path (under a 0700
    /tmp/pytest-of-root) cannot be entered by nobody."""
    base = Path(tempfile.mkdtemp(prefix="nanoctl-planted-"))
    base.chmod(0o711)
    try:
        yield base
    finally:
        shutil.rmtree(base)


@pytest.fixture
def project(isolated_home: Path) -> Path:
    """The victim's own project: files named like nanoctl's, which are not nanoctl's."""
    directory = isolated_home / "project"
    directory.mkdir()
    (directory / "credentials.json").write_text('{"another": "tool"}\n')
    (directory / "credentials.key").write_text("another tool's key\n")
    return directory


def shared(path: Path) -> Path:
    path.mkdir()
    path.chmod(0o1777)
    return path


def test_logout_all_in_a_shared_config_dir_never_follows_a_planted_profile_link(
    server: ReferenceServer, reachable: Path, project: Path
) -> None:
    """The config dir is a shared sticky one (logout still cleans up there); the other
    user made its `profiles/` and planted a link in it."""
    directory = shared(reachable / "shared")
    as_other_user("mkdir", "-m", "1777", str(directory / "profiles"))
    as_other_user("ln", "-s", str(project), str(directory / "profiles" / "zzz"))
    before = state_of(project)

    result = run_nanoctl(
        "logout", "--all", env={**url_env(server), "NANOCTL_CONFIG_DIR": str(directory)}
    )

    assert state_of(project) == before
    assert result.exit_code == 5
    assert result.stderr_lines == [
        f"Error: {directory / 'profiles'} belongs to another user (uid 65534); nanoctl only "
        f"trusts its own files. {ELSEWHERE}"
    ]


def test_a_profiles_directory_behind_a_link_to_a_shared_directory_is_refused(
    server: ReferenceServer, reachable: Path, project: Path
) -> None:
    """`profiles` is a link to a shared sticky directory, where the other user planted a
    profile link: every command refuses it, and the default profile is still logged out."""
    store_credential(server.url, api.VALID, server.after(days=30))
    directory = shared(reachable / "shared")
    (config_dir() / "profiles").symlink_to(directory)
    as_other_user("ln", "-s", str(project), str(directory / "zzz"))
    before, shared_before = state_of(project), state_of(directory)
    refused = link_line(config_dir() / "profiles")

    for args in (("--profile", "zzz", "status"), ("--profile", "zzz", "logout")):
        result = run_nanoctl(*args, env=url_env(server))
        assert (result.exit_code, one_line(result)) == (5, refused), args
    status_all = run_nanoctl("status", "--all", "--offline")
    assert status_all.exit_code == 5
    assert f"✗ {refused.removeprefix('Error: ')}" in status_all.stdout_lines
    logout_all = run_nanoctl("logout", "--all", env=url_env(server))

    assert state_of(project) == before
    assert state_of(directory) == shared_before
    assert logout_all.exit_code == 5
    assert logout_all.stdout_lines == [
        "Logged out: removed the stored credential of profile default."
    ]
    assert logout_all.stderr_lines == [refused]
    assert not (config_dir() / "credentials.json").exists()


def test_a_profiles_directory_others_can_write_is_refused_even_by_logout(
    server: ReferenceServer, reachable: Path, project: Path
) -> None:
    """The victim's own `profiles/` made world-writable (sticky, like /tmp): the link the
    other user planted there is never followed, and the directory is refused."""
    directory = reachable / "nanoctl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NANOCTL_CONFIG_DIR", str(directory))
        store_credential(server.url, api.VALID, server.after(days=30))
        store_credential(server.url, api.VALID_USER, server.after(days=30), profile="dev")
    directory.chmod(0o711)  # so the other user can reach profiles/
    (directory / "profiles").chmod(0o1777)
    as_other_user("ln", "-s", str(project), str(directory / "profiles" / "zzz"))
    before, dev_before = state_of(project), state_of(directory / "profiles" / "dev")

    result = run_nanoctl(
        "logout", "--all", env={**url_env(server), "NANOCTL_CONFIG_DIR": str(directory)}
    )

    assert state_of(project) == before
    assert state_of(directory / "profiles" / "dev") == dev_before
    assert result.exit_code == 5
    assert result.stdout_lines == ["Logged out: removed the stored credential of profile default."]
    assert result.stderr_lines == [
        f"Error: {directory / 'profiles'} is a shared directory (mode 1777, like /tmp); "
        f"{REFUSED} {ELSEWHERE}"
    ]


def test_a_profile_that_is_a_link_is_reported_never_followed(
    server: ReferenceServer, project: Path
) -> None:
    """In a private `profiles/` (the user's own doing): listed with its error, never used."""
    store_credential(server.url, api.VALID, server.after(days=30), profile="dev")
    link = config_dir() / "profiles" / "zzz"
    link.symlink_to(project)
    before = state_of(project)

    status = run_nanoctl("--profile", "zzz", "status", env=url_env(server))
    token = run_nanoctl("--profile", "zzz", "token", env=url_env(server))
    logout = run_nanoctl("--profile", "zzz", "logout", env=url_env(server))
    status_all = run_nanoctl("status", "--all", "--offline")
    logout_all = run_nanoctl("logout", "--all", env=url_env(server))

    assert state_of(project) == before
    for result in (status, token, logout):
        assert (result.exit_code, one_line(result)) == (5, link_line(link))
    assert status_all.exit_code == 5
    failure = f"✗ {link_line(link).removeprefix('Error: ')}"
    assert failure in status_all.stdout_lines
    # its block names the profile first (#19), then its error and fix
    assert status_all.stdout_lines[status_all.stdout_lines.index(failure) - 1] == "Profile zzz"
    assert logout_all.exit_code == 5
    assert logout_all.stdout_lines == ["Logged out: removed the stored credential of profile dev."]
    assert logout_all.stderr_lines == [link_line(link)]
    assert link.is_symlink()


def login_at_a_terminal(*args: str, env: dict[str, str | None]) -> PtyResult:
    """`nanoctl ARGS login` in a terminal, which must refuse before asking for the token."""
    result = PtySession(*args, "login", env=env, columns=1000).finish()
    assert TOKEN_INPUT not in result.transcript
    return result


def test_a_prompt_login_to_a_profile_that_is_a_link_writes_nothing_through_it(
    server: ReferenceServer, project: Path
) -> None:
    config_dir().mkdir(parents=True, mode=0o700)
    link = config_dir() / "profiles" / "dev"
    link.parent.mkdir(mode=0o700)
    link.symlink_to(project)
    before = state_of(project)

    result = login_at_a_terminal("--profile", "dev", env=url_env(server))

    assert state_of(project) == before
    assert (result.exit_code, result.lines[-1]) == (5, link_line(link))


# --- a regular file named `profiles` (item 8) ---------------------------------------------


def moved_line(path: Path) -> str:
    move = f"Move it away (`mv {path} {path}.bak`), then log in again."
    return f"Error: {path} is not a directory. {move}"


def test_a_file_named_profiles_is_named_as_what_to_move(server: ReferenceServer) -> None:
    config_dir().mkdir(parents=True, mode=0o700)
    in_the_way = config_dir() / "profiles"
    in_the_way.write_text("a note\n")
    in_the_way.chmod(0o600)

    status = run_nanoctl("--profile", "dev", "status", env=url_env(server))
    logout = run_nanoctl("--profile", "dev", "logout", env=url_env(server))
    login = login_at_a_terminal("--profile", "dev", env=url_env(server))

    assert (status.exit_code, one_line(status)) == (5, moved_line(in_the_way))
    assert (logout.exit_code, one_line(logout)) == (5, moved_line(in_the_way))
    assert (login.exit_code, login.lines[-1]) == (5, moved_line(in_the_way))
    assert in_the_way.read_text() == "a note\n"
    assert not profile_dir("dev").exists()
