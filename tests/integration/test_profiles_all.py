"""`status --all` and `logout --all` (#12) end to end, against two reference servers:
``staging`` on 127.0.0.1, ``dev`` on 127.0.0.2."""

from __future__ import annotations

import json

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    config_dir,
    expiry,
    files_under,
    key_file,
    one_line,
    profile_dir,
    store_credential,
)
from tests.integration.in_process import run_nanoctl
from tests.integration.test_json_output import STATUS_KEYS

NO_URL = {"NANOSERVICES_API_URL": None}
PROFILE_KEYS = STATUS_KEYS - {"legacy_files", "agent"}
"""A profile's object in `status --all --json`: agent mode is the run's, said once beside
the list."""


def two_profiles(staging: ReferenceServer, dev: ReferenceServer, dev_token: str = "") -> None:
    store_credential(staging.url, api.VALID, staging.after(days=30), profile="staging")
    store_credential(
        dev.url,
        dev_token or api.VALID_EMAIL,
        dev.after(days=30),
        "grace@example.com",
        profile="dev",
    )
    staging.reset()
    dev.reset()


def block(server: ReferenceServer, profile: str, who: str, token: str) -> list[str]:
    """The lines of one profile, its name first (#19); the server says grace's token
    expires in 90 days."""
    directory = profile_dir(profile)
    days = 90 if token == api.VALID_EMAIL else 30
    return [
        f"Profile {profile}",
        f"✓ Logged in to {server.url} as {who}",
        f"  Token source: stored credential ({directory / 'credentials.json'})",
        f"  Token:        nano…{token[-4:]}",
        f"  Expires:      {expiry(server.after(days=days))}",
        f"  Key:          {directory / 'credentials.key'}",
    ]


def test_status_all_lists_every_profile_each_checked_against_its_own_api(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    store_credential(server.url, api.VALID_USER, server.after(days=30), "linus")
    server.reset()

    result = run_nanoctl("status", "--all", env=NO_URL)

    assert result.exit_code == 0
    assert result.stderr == ""
    default = block(server, "default", "linus", api.VALID_USER)
    default[5] = f"  Key:          {key_file()}"
    assert result.stdout_lines == [
        *default,
        "",
        *block(other_host_server, "dev", "grace@example.com", api.VALID_EMAIL),
        "",
        *block(server, "staging", "ada", api.VALID),
    ]
    assert sorted(r.bearer or "" for r in server.requests) == sorted([api.VALID, api.VALID_USER])
    assert [r.bearer for r in other_host_server.requests] == [api.VALID_EMAIL]


def test_status_all_json_has_the_fields_of_status_json_per_profile(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    result = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["profiles", "agent"]
    assert document["agent"] is False
    dev, staging = document["profiles"]
    assert set(dev) == set(staging) == PROFILE_KEYS
    assert (dev["profile"], dev["username"], dev["api_url"]) == (
        "dev",
        "grace@example.com",
        other_host_server.url,
    )
    assert (staging["profile"], staging["username"], staging["api_url"]) == (
        "staging",
        "ada",
        server.url,
    )
    assert dev["validated"] is staging["validated"] is True


def test_status_all_offline_asks_no_api(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    result = run_nanoctl("status", "--all", "--offline", "--json", env=NO_URL)

    assert result.exit_code == 0
    assert [p["validated"] for p in json.loads(result.stdout)["profiles"]] == [False, False]
    assert server.requests == other_host_server.requests == []


@pytest.mark.parametrize(
    ("dev_token", "staging_down", "want"),
    [
        pytest.param(api.INACTIVE, False, 3, id="one rejected: 3"),
        pytest.param(api.VALID_EMAIL, True, 4, id="one API down: 4"),
        pytest.param(api.INACTIVE, True, 3, id="rejected beats down"),
    ],
)
def test_status_all_exit_code_is_the_worst_profile(
    server: ReferenceServer,
    other_host_server: ReferenceServer,
    down_url: str,
    dev_token: str,
    staging_down: bool,
    want: int,
) -> None:
    two_profiles(server, other_host_server, dev_token)
    if staging_down:
        store_credential(down_url, api.VALID, server.after(days=30), profile="staging")

    text = run_nanoctl("status", "--all", env=NO_URL)
    as_json = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert text.exit_code == as_json.exit_code == want
    dev, staging = json.loads(as_json.stdout)["profiles"]
    # logged_in: a credential was found (#19); validated: the API confirmed it just now
    assert dev["logged_in"] is staging["logged_in"] is True
    assert dev["validated"] is (dev_token == api.VALID_EMAIL)
    assert staging["validated"] is not staging_down
    if staging_down:
        assert staging["error"] == "unreachable"
        assert staging["api_url"] == down_url
        assert staging["message"].startswith(f"Could not reach the API at {down_url}")
        assert staging["username"] == "ada"  # what is known offline is kept
    if dev_token == api.INACTIVE:
        assert dev["error"] == "inactive_token"
        assert "`nanoctl login --profile dev`" in dev["message"]
        assert text.stdout_lines[0] == "Profile dev"
        assert text.stdout_lines[1].startswith("✗ The stored token is no longer active")


def test_status_all_reports_a_damaged_profile_and_still_lists_the_others(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    damaged = profile_dir("staging") / "credentials.json"
    damaged.write_bytes(b"{not json")

    text = run_nanoctl("status", "--all", env=NO_URL)
    as_json = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert text.exit_code == as_json.exit_code == 5
    assert text.stdout_lines[:6] == block(
        other_host_server, "dev", "grace@example.com", api.VALID_EMAIL
    )
    assert text.stdout_lines[7] == "Profile staging"
    failure = text.stdout_lines[8]
    assert failure.startswith(f"✗ The stored credential {damaged} ")
    assert "`nanoctl logout --profile staging`" in failure
    assert text.stdout_lines[9:] == []
    dev, staging = json.loads(as_json.stdout)["profiles"]
    assert dev["logged_in"] is True
    assert (staging["profile"], staging["logged_in"], staging["message"]) == (
        "staging",
        False,
        failure.removeprefix("✗ "),
    )
    assert set(staging) == PROFILE_KEYS | {"error", "message"}
    assert damaged.read_bytes() == b"{not json"


def test_status_all_with_nothing_stored_is_not_logged_in(server: ReferenceServer) -> None:
    text = run_nanoctl("status", "--all", env=NO_URL)
    as_json = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert (text.exit_code, text.stdout) == (1, "")
    assert one_line(text).startswith("Error: You are not logged in.")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == {"profiles": [], "agent": False}
    assert files_under(config_dir()) == {}


@pytest.mark.parametrize(
    ("args", "env", "want"),
    [
        pytest.param(("--api-url", "URL"), NO_URL, "so it takes no --api-url.", id="option"),
        pytest.param((), {}, "so it takes no NANOSERVICES_API_URL.", id="variable"),
    ],
)
def test_status_all_with_an_api_url_is_a_usage_error(
    server: ReferenceServer,
    args: tuple[str, ...],
    env: dict[str, str | None],
    want: str,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30), profile="staging")
    server.reset()
    given = tuple(server.url if a == "URL" else a for a in args)

    result = run_nanoctl("status", "--all", *given, env={"NANOSERVICES_API_URL": server.url, **env})

    assert (result.exit_code, result.stdout) == (2, "")
    assert want in one_line(result)
    assert server.requests == []


def test_status_all_says_the_environment_token_is_used_instead(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    result = run_nanoctl("status", "--all", env={**NO_URL, "NANOSERVICES_TOKEN": api.VALID_USER})

    assert result.exit_code == 0
    assert one_line(result) == (
        "Warning: NANOSERVICES_TOKEN is set: commands use it instead of any profile listed here."
    )
    assert api.VALID_USER not in [r.bearer for r in server.requests + other_host_server.requests]


# --- logout --all ------------------------------------------------------------------------


def test_logout_all_removes_every_profile_and_is_idempotent(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    store_credential(server.url, api.VALID_USER, server.after(days=30), "linus")

    first = run_nanoctl("logout", "--all", "--json", env=NO_URL)
    again = run_nanoctl("logout", "--all", env=NO_URL)
    status = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert first.exit_code == again.exit_code == 0
    assert json.loads(first.stdout) == {
        "logged_out": True,
        "removed": True,
        "location": str(config_dir()),
        "environment_token_set": False,
        "profiles_removed": ["default", "dev", "staging"],
    }
    assert again.stdout_lines == [f"Not logged in: no profile is stored in {config_dir()}."]
    assert json.loads(status.stdout) == {"profiles": [], "agent": False}
    assert [n for n in files_under(config_dir()) if n.endswith((".json", ".key"))] == []


def test_logout_all_with_nothing_stored_creates_nothing() -> None:
    result = run_nanoctl("logout", "--all", "--json", env=NO_URL)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["profiles_removed"] == []
    assert not config_dir().exists()
