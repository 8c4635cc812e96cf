"""`status --all` as the overview (#19 point 6) and `status --json` keeping what is known
(#19 point 7), against two reference APIs (127.0.0.1, 127.0.0.2) and APIs that are down or
hang: each block names its profile first, warns as `status` does, keeps what is known
offline when its API fails, and gives advice that works under --all; the APIs are asked at
once, so APIs that hang cost about one deadline, not one each."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NANOCTL,
    TOKEN_PAGE,
    environment,
    expiry,
    one_line,
    profile_dir,
    run_nanoctl,
    store_credential,
)

NO_URL: dict[str, str | None] = {"NANOSERVICES_API_URL": None}


def test_status_all_warns_of_each_token_that_expires_soon_naming_its_profile(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    soon = other_host_server.after(days=3)
    store_credential(server.url, api.VALID, server.after(days=30), profile="staging")
    store_credential(other_host_server.url, api.EXPIRING_SOON, soon, profile="dev")

    text = run_nanoctl("status", "--all", env=NO_URL)
    as_json = run_nanoctl("status", "--all", "--json", env=NO_URL)

    warning = (
        f"the token of profile dev expires {expiry(soon)}. Create a new one soon on {TOKEN_PAGE}."
    )
    assert text.exit_code == as_json.exit_code == 0
    assert text.stderr_lines == [f"Warning: {warning}"]
    assert [json.loads(line) for line in as_json.stderr_lines] == [{"warning": warning}]
    assert text.stdout_lines[0] == "Profile dev"
    assert [p["days_left"] for p in json.loads(as_json.stdout)["profiles"]] == [3, 30]


def test_status_all_keeps_what_is_known_of_a_profile_whose_api_is_down(
    server: ReferenceServer, down_url: str
) -> None:
    store_credential(server.url, api.VALID_USER, server.after(days=30), "linus")
    store_credential(down_url, api.VALID, server.after(days=30), profile="staging")
    directory = profile_dir("staging")

    text = run_nanoctl("status", "--all", env=NO_URL)
    as_json = run_nanoctl("status", "--all", "--json", env=NO_URL)

    assert text.exit_code == as_json.exit_code == 4
    failure = (
        f"Could not reach the API at {down_url}: connection refused. "
        "Check your network; it is the URL profile staging is bound to."
    )
    assert text.stdout_lines[7:] == [
        "Profile staging",
        f"✗ {failure}",
        f"  API URL:      {down_url}",
        "  User:         ada",
        f"  Token source: stored credential ({directory / 'credentials.json'})",
        f"  Token:        nano…{api.VALID[-4:]}",
        f"  Expires:      {expiry(server.after(days=30))}",
        f"  Key:          {directory / 'credentials.key'}",
    ]
    # advice valid under --all, which refuses both
    assert "NANOSERVICES_API_URL" not in text.stdout
    assert "--api-url" not in text.stdout
    default, staging = json.loads(as_json.stdout)["profiles"]
    assert default["validated"] is True
    assert {k: staging[k] for k in ("logged_in", "validated", "error", "message")} == {
        "logged_in": True,
        "validated": False,
        "error": "unreachable",
        "message": failure,
    }
    assert (staging["username"], staging["source"], staging["api_url"]) == (
        "ada",
        "stored",
        down_url,
    )
    assert staging["location"] == str(directory / "credentials.json")


def test_hanging_apis_cost_about_one_deadline_not_one_each(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    """Two profiles, each on an API that drips its headers past the deadline (1.5 s x 3):
    asked one after the other they would take two deadlines (9 s); asked at once, one."""
    store_credential(server.url, api.DRIP_HEADERS, server.after(days=30), profile="staging")
    store_credential(
        other_host_server.url, api.DRIP_HEADERS, other_host_server.after(days=30), profile="dev"
    )
    deadline = 4.5

    result = run_nanoctl("status", "--all", "--json", env={**NO_URL, "NANOCTL_HTTP_TIMEOUT": "1.5"})

    assert result.exit_code == 4
    profiles = json.loads(result.stdout)["profiles"]
    assert [(p["profile"], p["error"]) for p in profiles] == [
        ("dev", "unreachable"),
        ("staging", "unreachable"),
    ]
    assert all("did not finish answering within 4.5 s." in p["message"] for p in profiles)
    assert result.seconds < 1.6 * deadline  # generous: one deadline and a start-up


def test_both_apis_are_asked_before_either_answers(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    """Behaviour, not a stopwatch: each API answers 6 s after it is asked; the second is
    asked long before the first answers."""
    for api_server in (server, other_host_server):
        api_server.slow_seconds = 6.0
        store_credential(
            api_server.url,
            api.SLOW,
            api_server.after(days=30),
            profile="dev" if api_server is other_host_server else "staging",
        )
        api_server.reset()

    child = subprocess.Popen(
        [str(NANOCTL), "status", "--all", "--json"],
        env=environment(NO_URL),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        first = _when_asked(lambda: bool(server.requests or other_host_server.requests))
        second = _when_asked(lambda: bool(server.requests and other_host_server.requests))
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    print(out.decode(), err.decode())

    assert second - first < 3.0  # not after the first answer (6 s)
    assert child.returncode == 0
    assert [p["validated"] for p in json.loads(out)["profiles"]] == [True, True]


def _when_asked(asked: Callable[[], bool]) -> float:
    started = time.monotonic()
    while not asked():
        assert time.monotonic() - started < 30, "the API was never asked"
        time.sleep(0.02)
    return time.monotonic()


# --- status --json keeps what is known (#19 point 7) ------------------------------------------


def test_status_json_with_the_api_down_keeps_the_stored_facts(
    server: ReferenceServer, down_url: str
) -> None:
    expires = server.after(days=30)
    store_credential(down_url, api.VALID, expires)

    as_json = run_nanoctl("status", "--json", env=NO_URL)
    text = run_nanoctl("status", env=NO_URL)

    assert as_json.exit_code == text.exit_code == 4
    document = json.loads(as_json.stdout)
    assert {k: document[k] for k in ("logged_in", "validated", "error", "source")} == {
        "logged_in": True,  # a credential was found: the network is the problem
        "validated": False,
        "error": "unreachable",
        "source": "stored",
    }
    assert document["username"] == "ada"
    assert document["expires_at"] == expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert document["location"].endswith("credentials.json")
    assert json.loads(as_json.stderr)["error"]["kind"] == "unreachable"
    assert one_line(text) == (
        f"Error: Could not reach the API at {down_url}: connection refused. Check your "
        "network; it is the URL profile default is bound to. `nanoctl status --offline` shows "
        "what is known without asking the API."
    )
