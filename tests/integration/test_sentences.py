"""Sentences that read as sentences (#23): a user or an expiry the API did not give is
said so, a list of profiles is a list, a credential kept after a no is not followed by
advice to log out, and an API URL that ends in /login is told to drop it."""

from __future__ import annotations

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_STORED,
    expiry,
    login_interactively,
    one_line,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl


@pytest.mark.parametrize(
    ("token", "want"),
    [
        pytest.param(
            api.VALID_USER,
            "Welcome, linus! The API did not say when your token expires.",
            id="no expiry (was: Your token expiry unknown.)",
        ),
        pytest.param(
            api.ANONYMOUS,
            "Welcome! The API said neither whose your token is nor when it expires.",
            id="no user, no expiry (was: Welcome, an unknown user!)",
        ),
    ],
)
def test_the_welcome_says_what_the_api_did_not(
    server: ReferenceServer, token: str, want: str
) -> None:
    result = login_interactively(token, env=url_env(server))

    assert result.lines[-2:] == [
        want,
        "The token is stored encrypted; `nanoctl logout` removes it.",
    ]


@pytest.mark.parametrize(
    ("token", "want"),
    [
        pytest.param(api.VALID_USER, "Authenticated as linus — token expiry unknown.", id="linus"),
        pytest.param(
            api.ANONYMOUS,
            "Authenticated (the API did not name the user) — token expiry unknown.",
            id="anonymous",
        ),
    ],
)
def test_a_login_with_a_token_says_what_the_api_did_not(
    server: ReferenceServer, token: str, want: str
) -> None:
    result = run_nanoctl("login", "--token", "-", env=url_env(server), stdin=token)

    assert result.exit_code == 0
    assert result.stdout_lines == [want, NOT_STORED]


def test_status_of_a_token_without_a_user_says_so(server: ReferenceServer) -> None:
    result = run_nanoctl("status", env=url_env(server, api.ANONYMOUS))

    assert result.exit_code == 0
    assert result.stdout_lines[0] == f"✓ Logged in to {server.url} (the API did not name the user)"


def test_logout_all_lists_the_profiles_as_a_list(server: ReferenceServer) -> None:
    for profile in ("default", "dev", "staging"):
        store_credential(server.url, api.VALID, server.after(days=30), profile=profile)

    result = run_nanoctl("logout", "--all")

    assert result.exit_code == 0
    assert result.stdout_lines == [  # was: "of profile default, profile dev and profile staging"
        "Logged out: removed the stored credentials of profiles default, dev and staging."
    ]


def test_a_login_kept_without_asking_says_how_to_replace_it(server: ReferenceServer) -> None:
    """-n: nobody was asked, so the way to another token is logging out first."""
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("login", "-n", env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines == [
        f"Already logged in as ada, expires {expiry(server.after(days=30))}. "
        "Kept the stored credential.",
        "Run `nanoctl logout` first to log in with another token.",
    ]


def test_an_api_url_ending_in_login_is_told_to_drop_it(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "login", "--token", "-", "--api-url", f"{server.url}/login", stdin=api.VALID
    )

    assert result.exit_code == 4
    assert one_line(result) == (
        f"Error: Unexpected response from the API at {server.url}/login: HTTP 404. The API "
        f"URL ends in /login, which nanoctl adds itself: drop /login from it ({server.url})."
    )
