"""An API that sends the token back (as the username, inside the email, as the
Content-Type) never makes the installed `nanoctl` print it: in login, login --json,
status, status --json, nor later from what a prompt login stored.

The harness (cli_harness) fails any run whose output holds a known token; these tests add
what is shown in its place.
"""

from __future__ import annotations

import json

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_STORED,
    expiry,
    login_interactively,
    url_env,
)
from tests.integration.in_process import run_nanoctl


def test_login_with_a_reflected_token_shows_it_redacted(server: ReferenceServer) -> None:
    result = run_nanoctl("login", "--token", "-", env=url_env(server), stdin=api.REFLECT)

    assert result.exit_code == 0
    assert result.stdout_lines == [
        f"Authenticated as [redacted] — token expires {expiry(server.after(days=30))}.",
        NOT_STORED,
    ]


@pytest.mark.parametrize(
    ("value", "want"),
    [
        pytest.param(api.REFLECT, "[redacted]", id="username"),
        pytest.param(api.REFLECT_EMAIL, "ci+[redacted]@example.com", id="email"),
    ],
)
def test_login_json_with_a_reflected_token_shows_it_redacted(
    server: ReferenceServer, value: str, want: str
) -> None:
    result = run_nanoctl("login", "--json", "--token", "-", env=url_env(server), stdin=value)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["username"] == want


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_status_with_a_reflected_environment_token_shows_it_redacted(
    server: ReferenceServer, json_output: bool
) -> None:
    args = ("status", "--json") if json_output else ("status",)
    result = run_nanoctl(*args, env=url_env(server, api.REFLECT))

    assert result.exit_code == 0
    if json_output:
        assert json.loads(result.stdout)["username"] == "[redacted]"
    else:
        assert result.stdout_lines[0] == f"✓ Logged in to {server.url} as [redacted]"


def test_a_prompt_login_stores_the_redacted_name_never_the_token(server: ReferenceServer) -> None:
    login_interactively(api.REFLECT, env=url_env(server))

    result = run_nanoctl("status", "--offline", env=url_env(server))

    assert result.exit_code == 0
    assert "as [redacted]" in result.stdout_lines[0]


def test_a_reflected_content_type_is_redacted_in_the_error(server: ReferenceServer) -> None:
    result = run_nanoctl("login", env=url_env(server, api.REFLECT_CONTENT_TYPE))

    assert result.exit_code == 4
    assert result.stderr_lines == [
        f"Error: Unexpected response from the API at {server.url}: the body is "
        "text/[redacted], not JSON (a proxy or captive portal may answer). "
        "Check that NANOSERVICES_API_URL points at the Nanoservices API."
    ]
