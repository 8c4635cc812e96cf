"""A config directory reached through a link another user planted (#20, found looking
further than item 2): with NANOCTL_CONFIG_DIR in a shared sticky directory (a CI runner's
/tmp), another user can create that path first, as a link to the victim's own files.
`logout` removes names without checking the directory, and `login` writes into any private
directory of the victim's: neither may follow such a link. A link of one's own (a dotfile
manager's) is still followed.
"""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtySession,
    one_line,
    run_nanoctl,
    store_credential,
    url_env,
)
from tests.integration.test_planted_profiles import (
    as_other_user,
    project,
    reachable,
    shared,
    state_of,
)

__all__ = ["project", "reachable"]  # fixtures


def planted_line(link: Path) -> str:
    return (
        f"Error: {link} is a symbolic link that another user (uid 65534) made; nanoctl never "
        "follows one on the way to its config directory. Choose a NANOCTL_CONFIG_DIR of your "
        "own, e.g. `export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, "
        "private)."
    )


def test_a_config_dir_planted_as_a_link_is_never_followed(
    server: ReferenceServer, reachable: Path, project: Path
) -> None:
    project.chmod(0o700)  # private and the victim's: load and save would accept it
    link = shared(reachable / "shared") / "nanoctl"
    as_other_user("ln", "-s", str(project), str(link))
    before = state_of(project)
    env = {**url_env(server), "NANOCTL_CONFIG_DIR": str(link)}

    results = [run_nanoctl(*args, env=env) for args in (["logout"], ["logout", "--all"])]
    results.append(run_nanoctl("status", env=env))
    session = PtySession("login", env=env, columns=1000, secrets=[api.VALID])
    if session.child.expect_exact([TOKEN_INPUT, pexpect.EOF]) == 0:
        session.child.sendline(api.VALID)  # asked: it would store the token through the link
    login = session.finish()

    assert state_of(project) == before
    for result in results:
        assert (result.exit_code, one_line(result)) == (5, planted_line(link))
    assert (login.exit_code, login.lines[-1]) == (5, planted_line(link))


def test_a_link_planted_higher_up_the_path_is_not_followed_either(
    server: ReferenceServer, reachable: Path, project: Path
) -> None:
    """NANOCTL_CONFIG_DIR=/shared/ci/nanoctl, where the other user made `ci` a link."""
    (project / "nanoctl").mkdir(mode=0o700)
    link = shared(reachable / "shared") / "ci"
    as_other_user("ln", "-s", str(project), str(link))
    before = state_of(project / "nanoctl")
    env = {**url_env(server), "NANOCTL_CONFIG_DIR": str(link / "nanoctl")}

    result = run_nanoctl("logout", env=env)

    assert state_of(project / "nanoctl") == before
    assert (result.exit_code, one_line(result)) == (5, planted_line(link))


def test_a_link_of_ones_own_to_the_config_dir_is_still_followed(
    server: ReferenceServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dotfile manager's link (ours) in a directory only we can write."""
    real = tmp_path / "dotfiles" / "nanoctl"
    real.mkdir(parents=True, mode=0o700)
    link = tmp_path / "config-link"
    link.symlink_to(real)
    monkeypatch.setenv("NANOCTL_CONFIG_DIR", str(link))
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert (real / "credentials.json").is_file()
