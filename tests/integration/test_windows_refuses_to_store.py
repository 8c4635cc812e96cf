"""On Windows nanoctl refuses plainly to store a credential, instead of failing on an import.

The store needs fcntl (flock) and dir_fd, which Windows does not have. These runs start
nanoctl in a child that sees Windows as nanoctl does: ``sys.platform`` is "win32" (set
after the third-party libraries took their own platform decisions) and importing fcntl
fails. The environment and the --token flag never touch a store, so they still work.
"""

from __future__ import annotations

import sys

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    authenticated_lines,
    config_dir,
    credential_file,
    files_under,
    one_line,
    run_nanoctl,
    url_env,
)

ON_WINDOWS = """
import sys
import cleo.application, dependency_injector.containers, requests  # their own checks ran
sys.platform = "win32"
sys.modules["fcntl"] = None  # importing it fails, as on Windows
from nanoctl.entrypoints.cli.main import main
raise SystemExit(main(sys.argv[1:]))
"""
WINDOWS = [sys.executable, "-c", ON_WINDOWS]
PLAIN = {"NO_COLOR": "1"}  # cleo's Windows colour probe needs a Windows console
REFUSED = (
    "Error: Storing a credential is not supported on Windows. Use NANOSERVICES_TOKEN or "
    "`nanoctl login --token -`; they need no stored credential."
)


def test_a_token_piped_to_the_flag_logs_in(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "login",
        "--token",
        "-",
        env={**url_env(server), **PLAIN},
        stdin=api.VALID + "\n",
        command=WINDOWS,
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines == authenticated_lines(server)
    assert result.stderr == ""


def test_the_environment_token_logs_in_and_shows_its_status(server: ReferenceServer) -> None:
    login = run_nanoctl("login", env={**url_env(server, api.VALID), **PLAIN}, command=WINDOWS)
    status = run_nanoctl("status", env={**url_env(server, api.VALID), **PLAIN}, command=WINDOWS)

    assert (login.exit_code, login.stdout, login.stderr) == (0, "", "")
    assert status.exit_code == 0, status.stderr
    assert status.stdout_lines[1] == "  Token source: NANOSERVICES_TOKEN environment variable"


@pytest.mark.parametrize("command", ["login", "status"])
def test_what_needs_the_store_is_refused_in_one_line_naming_the_ways_that_work(
    server: ReferenceServer, command: str
) -> None:
    result = run_nanoctl(command, env={**url_env(server), **PLAIN}, command=WINDOWS)

    assert result.exit_code == 5
    assert result.stdout == ""
    assert one_line(result) == REFUSED
    assert server.requests == []
    assert files_under(config_dir()) == {}


def test_logout_has_nothing_to_remove(server: ReferenceServer) -> None:
    result = run_nanoctl("logout", env={**url_env(server), **PLAIN}, command=WINDOWS)

    assert result.exit_code == 0
    assert result.stdout_lines == [f"Not logged in: nothing stored at {credential_file()}."]
    assert result.stderr == ""
