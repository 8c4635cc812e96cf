"""`nanoctl status` (and `whoami`), end to end: the environment token or the stored
credential, offline or checked, expired, for another API, damaged, or the API down.

nanoctl runs through its entry point in the test's process (in_process) against the
reference API on 127.0.0.1; whole lines and exit codes are checked, and no run may print a token
(cli_harness). A stored credential is arranged in-process through the real encrypted
store (cli_harness.store_credential), or once through a real prompt login.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    FROM_ENV,
    NOT_LOGGED_IN_LINE,
    REPLACE_STORED,
    STORED_TOKEN,
    TOKEN_PAGE,
    UNKNOWN,
    UPDATE_CI_SECRET,
    UPDATE_ENV,
    config_dir,
    credential_file,
    expiry,
    files_under,
    invalid_line,
    key_file,
    login_interactively,
    one_line,
    store_credential,
    unreachable,
    url_env,
)
from tests.integration.in_process import run_nanoctl

# --- 6. status ---------------------------------------------------------------------------------


def status_lines(server: ReferenceServer, *, checked: str = "") -> list[str]:
    return [
        f"✓ Logged in to {server.url} as ada{checked}",
        f"  Token source: stored credential ({credential_file()})",
        f"  Token:        nano…{api.VALID[-4:]}",
        f"  Expires:      {expiry(server.after(days=30))}",
        f"  Key:          {key_file()}",
        "  Profile:      default",
    ]


def test_status_after_a_prompt_login_shows_user_source_path_url_masked_token_and_expiry(
    server: ReferenceServer,
) -> None:
    login_interactively(api.VALID, env=url_env(server))
    server.reset()

    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines == status_lines(server)
    assert result.stderr == ""
    assert len(server.requests_with(api.VALID)) == 1


def test_status_offline_shows_the_stored_credential_without_asking_the_api(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()

    result = run_nanoctl("status", "--offline", env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines == status_lines(
        server, checked=" (offline: not checked with the API)"
    )
    assert server.requests == []


@pytest.mark.parametrize("command", ["status", "whoami"])
def test_status_with_an_environment_token_names_the_environment_as_source(
    server: ReferenceServer, command: str
) -> None:
    result = run_nanoctl(command, env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout_lines == [
        f"✓ Logged in to {server.url} as ada",
        "  Token source: NANOSERVICES_TOKEN environment variable",
        f"  Token:        nano…{api.VALID[-4:]}",
        f"  Expires:      {expiry(server.after(days=30))}",
        "  Profile:      default",
    ]
    assert result.stderr == ""
    assert files_under(config_dir()) == {}


def test_status_when_not_logged_in_exits_1(server: ReferenceServer) -> None:
    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert one_line(result) == NOT_LOGGED_IN_LINE
    assert server.requests == []


def test_status_with_a_rejected_environment_token_exits_3(server: ReferenceServer) -> None:
    result = run_nanoctl("status", env=url_env(server, UNKNOWN))

    assert result.exit_code == 3
    assert result.stdout == ""
    assert one_line(result) == invalid_line(FROM_ENV, UPDATE_ENV)


@pytest.mark.parametrize(
    ("command", "want_stdout"),
    [
        pytest.param("login", [], id="login"),
        pytest.param("status", ["✓ Logged in to {url} as ada"], id="status"),
    ],
)
def test_a_token_expiring_soon_gives_a_one_line_warning_on_stderr(
    server: ReferenceServer, command: str, want_stdout: list[str]
) -> None:
    result = run_nanoctl(command, env=url_env(server, api.EXPIRING_SOON))

    assert result.exit_code == 0
    soon = expiry(server.after(days=3))
    assert result.stderr_lines == [
        f"Warning: the token expires {soon}. Create a new one soon on {TOKEN_PAGE}."
    ]
    assert result.stdout_lines[: len(want_stdout)] == [
        line.format(url=server.url) for line in want_stdout
    ]


def test_status_against_another_api_than_the_one_logged_in_to_exits_1_and_sends_nothing(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    other_host_server.reset()
    other = other_host_server.url

    result = run_nanoctl("status", "--api-url", other, env=url_env(server))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert one_line(result) == (
        f"Error: The stored credential of profile default is for {server.url}, not {other} "
        "(from --api-url); it was not sent. Drop --api-url to use the API profile default is "
        "bound to, or log in there in a new profile "
        f"(`nanoctl login --api-url {other} --profile NAME`)."
    )
    assert other_host_server.requests == []


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _ciphertext_flipped(data: bytes) -> bytes:
    document = json.loads(data)
    cipher = document["ciphertext"]
    document["ciphertext"] = ("B" if cipher[0] != "B" else "C") + cipher[1:]
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("damage", "want_detail"),
    [
        pytest.param(_truncated, "it is not valid JSON; truncated?", id="truncated"),
        pytest.param(
            _ciphertext_flipped, "wrong key, or the file was modified", id="ciphertext modified"
        ),
    ],
)
def test_status_with_a_corrupted_credential_file_exits_5_pointing_to_logout_and_keeps_the_file(
    server: ReferenceServer, damage: Callable[[bytes], bytes], want_detail: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    path = credential_file()
    path.write_bytes(damage(path.read_bytes()))
    before = files_under(config_dir())
    server.reset()

    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 5
    assert result.stdout == ""
    assert one_line(result) == (
        f"Error: The stored credential {path} is damaged and cannot be decrypted "
        f"({want_detail}). Run `nanoctl logout` to remove it, then log in again."
    )
    assert files_under(config_dir()) == before
    assert server.requests == []


def test_the_logout_hint_of_a_corrupted_store_works(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    credential_file().write_bytes(b"{ truncated")

    logout = run_nanoctl("logout", env=url_env(server))

    assert logout.exit_code == 0
    assert logout.stdout_lines == [
        f"Logged out: removed the stored credential ({credential_file()})."
    ]
    assert not credential_file().exists()
    status = run_nanoctl("status", env=url_env(server))
    assert status.exit_code == 1
    assert one_line(status) == NOT_LOGGED_IN_LINE


def test_status_of_a_stored_credential_past_its_expiry_exits_3_without_asking_the_api(
    server: ReferenceServer,
) -> None:
    expired_at = server.after(days=-2)
    store_credential(server.url, api.VALID, expired_at)

    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 3
    assert result.stdout == ""
    assert one_line(result) == (
        f"Error: The stored token for ada expired on {expired_at:%Y-%m-%d}. "
        f"Create a new token on {TOKEN_PAGE} {REPLACE_STORED}"
    )
    assert server.requests == []


def test_nanoservices_token_beats_the_stored_credential_for_status(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.EXPIRING_SOON, server.after(days=3))

    result = run_nanoctl("status", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout_lines[1] == "  Token source: NANOSERVICES_TOKEN environment variable"
    assert result.stderr == ""  # no expiry warning: the stored token is not the one in use
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_status_with_the_api_down_exits_4(down_url: str) -> None:
    result = run_nanoctl(
        "status", env={"NANOSERVICES_API_URL": down_url, "NANOSERVICES_TOKEN": api.VALID}
    )

    assert result.exit_code == 4
    assert result.stdout == ""
    assert one_line(result) == (  # #19: what still works without the API
        f"{unreachable(down_url)} `nanoctl status --offline` shows what is known without "
        "asking the API."
    )


# --- a stale NANOSERVICES_TOKEN in front of a stored credential --------------------------------


@pytest.mark.parametrize(
    ("ci", "then"),
    [(None, UPDATE_ENV), ("true", UPDATE_CI_SECRET)],
    ids=["terminal", "CI=true"],
)
def test_a_stale_environment_token_is_named_with_its_fix_not_log_in_again(
    server: ReferenceServer, ci: str | None, then: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("status", env={**url_env(server, UNKNOWN), "CI": ci})

    assert result.exit_code == 3
    assert result.stdout == ""
    assert one_line(result) == invalid_line(FROM_ENV, then)
    assert [r.bearer for r in server.requests] == [UNKNOWN]


def test_a_rejected_stored_token_says_to_replace_it(server: ReferenceServer) -> None:
    store_credential(server.url, UNKNOWN, server.after(days=30))

    result = run_nanoctl("status", env=url_env(server))

    assert result.exit_code == 3
    assert one_line(result) == invalid_line(STORED_TOKEN, REPLACE_STORED)


def test_status_with_the_environment_token_mentions_the_stored_credential_it_shadows(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID_USER, server.after(days=30))

    result = run_nanoctl("status", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout_lines[1] == "  Token source: NANOSERVICES_TOKEN environment variable"
    assert result.stdout_lines[-1] == (
        f"  Stored:       {credential_file()}, not used while NANOSERVICES_TOKEN is set"
    )


def test_status_with_the_environment_token_and_nothing_stored_mentions_nothing(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("status", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert not any(line.startswith("  Stored:") for line in result.stdout_lines)
