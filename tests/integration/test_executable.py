"""The installed `nanoctl` executable, end to end, against the reference API on 127.0.0.1.

Each test runs the real console script in a subprocess (stdin a pipe or /dev/null,
so never a terminal) and checks the exit code, the whole lines a user sees, and that
no token is printed (tests/integration/cli_harness.py asserts the last one on every run).
The interactive prompt through a real terminal is in test_prompt_pty.py; here it is
used once to store a credential for status; other tests arrange a stored credential
in-process through the real encrypted store (cli_harness.store_credential).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    ANSI,
    HISTORY_WARNING,
    INVALID_LINE,
    TOKEN_PAGE,
    Result,
    config_dir,
    days_left,
    environment,
    expiry,
    files_under,
    login_interactively,
    run_nanoctl,
    store_credential,
)

UNKNOWN = "nano_unknown_Vz3Qp8Lk"  # well-formed, but the API has never heard of it
NOT_STORED = "The token was not stored (run `nanoctl login` without --token to store one)."
INACTIVE_LINE = (
    "Error: The token is no longer active (revoked or expired). "
    f"Create a new token on {TOKEN_PAGE} and log in again."
)
FORBIDDEN_LINE = (
    "Error: The token is valid but lacks permission to log in (HTTP 403). "
    f"Create a token with access to the platform on {TOKEN_PAGE}."
)
NOT_LOGGED_IN_LINE = "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN."
MALFORMED_HINT = "Copy the whole token again; it is 1 to 4096 visible ASCII characters."


@pytest.fixture
def server(reference_server: ReferenceServer) -> ReferenceServer:
    """The reference API with no request recorded yet."""
    reference_server.reset()
    return reference_server


@pytest.fixture
def down_url() -> str:
    """The URL of an API that is not there: a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/public/deployment"


def url_env(server: ReferenceServer, token: str | None = None) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN": token}


def credential_file() -> Path:
    return config_dir() / "credentials.json"


def key_file() -> Path:
    return config_dir() / "credentials.key"


def one_line(result: Result) -> str:
    """The one line on stderr (errors are exactly one line)."""
    assert len(result.stderr_lines) == 1, result.stderr
    return result.stderr_lines[0]


def authenticated_lines(server: ReferenceServer) -> list[str]:
    return [
        f"Authenticated as ada — token expires {expiry(server.after(days=30))}.",
        NOT_STORED,
    ]


def unreachable(url: str) -> str:
    return (
        f"Error: Could not reach the API at {url}: connection refused. "
        "Check your network; NANOSERVICES_API_URL or --api-url sets the API URL."
    )


def server_failed(url: str, status: int) -> str:
    return (
        f"Error: The API at {url} failed with HTTP {status}. "
        "This is a problem on the server side; try again in a few minutes."
    )


# --- 1. login with NANOSERVICES_TOKEN -----------------------------------------------------


def test_env_login_with_a_valid_token_is_silent_exits_0_and_stores_nothing(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("login", env=url_env(server, api.VALID))

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(server.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == {}


@pytest.mark.parametrize(
    ("token", "want_line"),
    [
        pytest.param(UNKNOWN, INVALID_LINE, id="invalid"),
        pytest.param(api.INACTIVE, INACTIVE_LINE, id="inactive"),
        pytest.param(api.FORBIDDEN, FORBIDDEN_LINE, id="forbidden"),
        pytest.param(api.EXPIRED, "expired", id="expired"),
    ],
)
def test_env_login_with_a_rejected_token_exits_3_with_one_line_naming_cause_and_next_step(
    server: ReferenceServer, token: str, want_line: str
) -> None:
    result = run_nanoctl("login", env=url_env(server, token), secrets=[token])

    if want_line == "expired":
        date = server.after(days=-2).strftime("%Y-%m-%d")
        want_line = (
            f"Error: The token for ada expired on {date}. "
            f"Create a new token on {TOKEN_PAGE} and run `nanoctl login`."
        )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert one_line(result) == want_line
    assert files_under(config_dir()) == {}


def test_env_login_with_the_api_down_exits_4_naming_the_url_and_nanoservices_api_url(
    down_url: str,
) -> None:
    result = run_nanoctl(
        "login", env={"NANOSERVICES_API_URL": down_url, "NANOSERVICES_TOKEN": api.VALID}
    )

    assert result.exit_code == 4
    assert result.stdout == ""
    assert one_line(result) == unreachable(down_url)


def test_env_login_with_a_server_error_exits_4_saying_http_500(server: ReferenceServer) -> None:
    result = run_nanoctl("login", env=url_env(server, api.SERVER_ERROR))

    assert result.exit_code == 4
    assert result.stdout == ""
    assert one_line(result) == server_failed(server.url, 500)


def test_env_login_rate_limited_for_an_hour_exits_4_at_once_saying_when_to_retry(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("login", env=url_env(server, api.RATE_LIMITED_LONG), timeout=20)

    assert result.exit_code == 4
    assert result.stdout == ""
    assert one_line(result) == (
        f"Error: The API at {server.url} is rate limiting requests (HTTP 429). Try again in 1 h."
    )
    assert result.seconds < 10


# --- 2. login with --token / -t ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--token", api.VALID], id="--token VALUE"),
        pytest.param(["-t", api.VALID], id="-t VALUE"),
    ],
)
def test_flag_login_shows_the_user_and_expiry_warns_about_history_and_stores_nothing(
    server: ReferenceServer, args: list[str]
) -> None:
    result = run_nanoctl("login", *args, env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines == authenticated_lines(server)
    assert result.stderr_lines == [HISTORY_WARNING]
    assert len(server.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == {}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--token", "-"], id="--token -"),
        pytest.param(["-t", "-"], id="-t -"),
        pytest.param(["--token=-"], id="--token=-"),
    ],
)
def test_token_piped_on_stdin_logs_in_without_the_history_warning(
    server: ReferenceServer, args: list[str]
) -> None:
    result = run_nanoctl("login", *args, env=url_env(server), stdin=api.VALID + "\n")

    assert result.exit_code == 0
    assert result.stdout_lines == authenticated_lines(server)
    assert result.stderr == ""
    assert len(server.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == {}


def test_the_token_option_beats_nanoservices_token(server: ReferenceServer) -> None:
    result = run_nanoctl("login", "--token", api.VALID, env=url_env(server, UNKNOWN))

    assert result.exit_code == 0
    assert result.stdout_lines == authenticated_lines(server)
    assert result.stderr_lines == [HISTORY_WARNING]
    assert [r.bearer for r in server.requests] == [api.VALID]


# --- 3. malformed tokens never reach the API -------------------------------------------------

FLAG = "the --token option"
STDIN = "standard input (--token -)"
ENV = "NANOSERVICES_TOKEN"
EMPTY = "it is empty"
TOO_LONG = "it is longer than 4096 characters"
LINES = "it spans several lines"
CHARS = "it contains spaces, control or non-ASCII characters"


@pytest.mark.parametrize(
    ("args", "env_token", "stdin", "origin", "reason", "secrets"),
    [
        pytest.param(["--token", ""], None, None, FLAG, EMPTY, [], id="empty flag"),
        pytest.param(["--token", "-"], None, "", STDIN, EMPTY, [], id="empty stdin"),
        pytest.param([], "", None, ENV, EMPTY, [], id="empty env"),
        pytest.param(
            ["--token", "nano_valid ada_7Kq2"],
            None,
            None,
            FLAG,
            CHARS,
            ["nano_valid ada_7Kq2"],
            id="space inside, flag",
        ),
        pytest.param(
            ["--token", "-"],
            None,
            "nano_first_half_Rt5\nnano_second_half_Yu6\n",
            STDIN,
            LINES,
            ["nano_first_half_Rt5", "nano_second_half_Yu6"],
            id="newline in the middle, stdin",
        ),
        pytest.param(
            ["--token", "x" * 5000], None, None, FLAG, TOO_LONG, ["x" * 5000], id="5000 chars, flag"
        ),
        pytest.param(
            ["--token", "nano_tökén_Ab12Cd34"],
            None,
            None,
            FLAG,
            CHARS,
            ["nano_tökén_Ab12Cd34", "tökén_Ab12Cd34"],
            id="non-ASCII, flag",
        ),
        pytest.param(
            ["--token", "-"],
            None,
            "nano_nul\x00byte_Ab12Cd\n",
            STDIN,
            CHARS,
            ["nano_nul\x00byte_Ab12Cd", "byte_Ab12Cd"],
            id="NUL, stdin",
        ),
        pytest.param(
            [],
            "nano_crlf_Gh7Jk2\r\nX-Injected: yes",
            None,
            ENV,
            LINES,
            ["nano_crlf_Gh7Jk2"],
            id="CR/LF header injection, env",
        ),
        pytest.param(
            ["--token", "-"],
            None,
            "nano_" + "Zq9" * 34_000 + "\n",
            STDIN,
            TOO_LONG,
            [],
            id="100 KB, stdin",
        ),
    ],
)
def test_a_malformed_token_exits_2_before_any_request_without_echoing_it(
    server: ReferenceServer,
    args: list[str],
    env_token: str | None,
    stdin: str | None,
    origin: str,
    reason: str,
    secrets: list[str],
) -> None:
    result = run_nanoctl(
        "login", *args, env=url_env(server, env_token), stdin=stdin, secrets=secrets
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    error = f"Error: The token from {origin} is malformed: {reason}. {MALFORMED_HINT}"
    literal_flag = args[:1] == ["--token"] and args[1] != "-"
    assert result.stderr_lines == [*([HISTORY_WARNING] if literal_flag else []), error]
    assert server.requests == []


POSITIONAL = "nano_positional_Qw8Er5Ty"
USAGE_HINT = "Run `nanoctl help <command>` for usage."


@pytest.mark.parametrize(
    ("args", "want_cause"),
    [
        pytest.param(
            ["login", POSITIONAL],
            'No arguments expected for "login" command, got (value not shown).',
            id="token as positional argument",
        ),
        pytest.param(
            ["login", "--bogus-option"],
            'The option "--bogus-option" does not exist.',
            id="unknown option",
        ),
        pytest.param(["login", "-t"], 'The "--token" option requires a value.', id="-t, no value"),
    ],
)
def test_a_usage_error_exits_2_with_one_sentence_and_the_help_hint_never_echoing_a_token(
    server: ReferenceServer, args: list[str], want_cause: str
) -> None:
    result = run_nanoctl(*args, env=url_env(server), secrets=[POSITIONAL])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result) == f"Error: {want_cause} {USAGE_HINT}"
    assert server.requests == []


# --- 4. no terminal, no token ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "want_line"),
    [
        pytest.param(
            None,
            "Error: No token given and no terminal to prompt for one. Set NANOSERVICES_TOKEN, "
            "pipe it to `nanoctl login --token -`, or run `nanoctl login` in a terminal.",
            id="local",
        ),
        pytest.param(
            "true",
            "Error: No token given and no terminal to prompt for one. In CI, store the token as "
            "a secret and expose it as NANOSERVICES_TOKEN, or pipe it to "
            "`nanoctl login --token -`.",
            id="CI=true",
        ),
    ],
)
def test_login_without_a_token_or_a_terminal_exits_2_at_once_naming_the_ways_in(
    server: ReferenceServer, ci: str | None, want_line: str
) -> None:
    result = run_nanoctl("login", env={**url_env(server), "CI": ci}, timeout=15)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result) == want_line
    assert result.seconds < 10
    assert server.requests == []


# --- 6. status ---------------------------------------------------------------------------------


def status_lines(server: ReferenceServer, *, checked: str = "") -> list[str]:
    return [
        f"✓ Logged in to {server.url} as ada{checked}",
        f"  Token source: stored credential ({credential_file()})",
        f"  Token:        nano…{api.VALID[-4:]}",
        f"  Expires:      {expiry(server.after(days=30))}",
        f"  Key:          {key_file()}",
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
    assert one_line(result) == INVALID_LINE


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
        f"Error: The stored credential is for {server.url}, not {other}; it was not sent. "
        f"Run `nanoctl login --api-url {other}` to log in there, or use --api-url {server.url}."
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
        f"Error: The token for ada expired on {expired_at:%Y-%m-%d}. "
        f"Create a new token on {TOKEN_PAGE} and run `nanoctl login`."
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
    assert one_line(result) == unreachable(down_url)


# --- 7. --json ----------------------------------------------------------------------------------

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def single_json_object(text: str) -> dict[str, object]:
    assert ANSI not in text
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


@pytest.mark.parametrize(
    ("args", "stdin", "env_token", "want_source"),
    [
        pytest.param(["--token", "-"], api.VALID, None, "stdin", id="stdin"),
        pytest.param([], None, api.VALID, "environment", id="environment"),
    ],
)
def test_login_json_prints_exactly_one_object_with_the_documented_keys(
    server: ReferenceServer,
    args: list[str],
    stdin: str | None,
    env_token: str | None,
    want_source: str,
) -> None:
    result = run_nanoctl("login", "--json", *args, env=url_env(server, env_token), stdin=stdin)

    assert result.exit_code == 0
    assert result.stderr == ""
    document = single_json_object(result.stdout)
    assert set(document) == {
        "authenticated",
        "username",
        "source",
        "api_url",
        "expires_at",
        "days_left",
        "stored",
    }
    assert document["authenticated"] is True
    assert document["username"] == "ada"
    assert document["source"] == want_source
    assert document["api_url"] == server.url
    assert document["expires_at"] == server.after(days=30).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert type(document["days_left"]) is int
    assert document["days_left"] == days_left(server.after(days=30))
    assert document["stored"] is False


STATUS_KEYS = {
    "logged_in",
    "username",
    "source",
    "location",
    "key_location",
    "api_url",
    "token",
    "expires_at",
    "days_left",
    "expired",
    "validated",
    "saved_at",
}


def test_status_json_of_a_stored_credential_has_the_documented_keys_and_types(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("status", "--json", env=url_env(server))

    assert result.exit_code == 0
    assert result.stderr == ""
    document = single_json_object(result.stdout)
    assert set(document) == STATUS_KEYS
    assert document["logged_in"] is True
    assert document["username"] == "ada"
    assert document["source"] == "stored"
    assert document["location"] == str(credential_file())
    assert document["key_location"] == str(key_file())
    assert document["api_url"] == server.url
    token_hint = document["token"]
    assert isinstance(token_hint, str)
    assert token_hint.endswith(api.VALID[-4:])
    assert api.VALID not in token_hint
    assert document["expires_at"] == server.after(days=30).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert type(document["days_left"]) is int
    assert document["days_left"] == days_left(server.after(days=30))
    assert document["expired"] is False
    assert document["validated"] is True
    assert isinstance(document["saved_at"], str)
    assert ISO_UTC.fullmatch(document["saved_at"])


def test_status_json_of_an_environment_token_has_no_location(server: ReferenceServer) -> None:
    result = run_nanoctl("status", "--json", "--offline", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    document = single_json_object(result.stdout)
    assert set(document) == STATUS_KEYS
    assert (document["source"], document["location"], document["key_location"]) == (
        "environment",
        None,
        None,
    )
    assert (document["validated"], document["saved_at"]) == (False, None)
    assert server.requests == []


SAME_TEXT_AS_WITHOUT_JSON = {
    "invalid_token": INVALID_LINE,
    "not_logged_in": NOT_LOGGED_IN_LINE,
}


@pytest.mark.parametrize(
    ("args", "env_token", "stdin", "want_code", "want_kind"),
    [
        pytest.param(["login"], UNKNOWN, None, 3, "invalid_token", id="login, invalid token"),
        pytest.param(
            ["login", "--token", "-"], None, "", 2, "malformed_token", id="login, empty stdin"
        ),
        pytest.param(["login"], None, None, 2, "no_token", id="login, no terminal"),
        pytest.param(["login", "--bogus"], None, None, 2, "usage", id="login, unknown option"),
        pytest.param(["status"], None, None, 1, "not_logged_in", id="status, not logged in"),
        pytest.param(["status"], api.SERVER_ERROR, None, 4, "server_error", id="status, 500"),
    ],
)
def test_errors_with_json_are_one_object_on_stderr_whose_code_is_the_exit_code(
    server: ReferenceServer,
    args: list[str],
    env_token: str | None,
    stdin: str | None,
    want_code: int,
    want_kind: str,
) -> None:
    result = run_nanoctl(*args, "--json", env=url_env(server, env_token), stdin=stdin)

    assert result.exit_code == want_code
    assert result.stdout == ""
    document = single_json_object(result.stderr)
    assert list(document) == ["error"]
    error = document["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "kind", "message"}
    assert (error["code"], error["kind"]) == (want_code, want_kind)
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "\n" not in error["message"]
    if want_kind in SAME_TEXT_AS_WITHOUT_JSON:
        assert f"Error: {error['message']}" == SAME_TEXT_AS_WITHOUT_JSON[want_kind]


# --- 8. logout ---------------------------------------------------------------------------------


def test_logout_removes_the_credential_then_says_nothing_is_stored_and_status_exits_1(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    assert credential_file().exists()

    first = run_nanoctl("logout", env=url_env(server))

    assert first.exit_code == 0
    assert first.stdout_lines == [
        f"Logged out: removed the stored credential ({credential_file()})."
    ]
    assert first.stderr == ""
    assert not credential_file().exists()
    assert not key_file().exists()

    again = run_nanoctl("logout", env=url_env(server))

    assert again.exit_code == 0
    assert again.stdout_lines == [f"Not logged in: nothing stored at {credential_file()}."]
    assert again.stderr == ""
    assert server.requests == []  # logging out never asks the API

    status = run_nanoctl("status", env=url_env(server))

    assert status.exit_code == 1
    assert one_line(status) == NOT_LOGGED_IN_LINE


def test_logout_with_nanoservices_token_set_warns_that_it_still_authenticates(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("logout", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout_lines == [f"Not logged in: nothing stored at {credential_file()}."]
    assert result.stderr_lines == [
        "Warning: NANOSERVICES_TOKEN is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    ]
    assert server.requests == []


# --- 9. verbosity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env_token", "stdin", "want_source"),
    [
        pytest.param(["login", "--token", "-"], None, api.VALID, STDIN, id="login, stdin"),
        pytest.param(["status"], api.VALID, None, "NANOSERVICES_TOKEN", id="status, environment"),
    ],
)
def test_verbose_shows_the_token_source_and_the_api_url_on_stderr(
    server: ReferenceServer,
    args: list[str],
    env_token: str | None,
    stdin: str | None,
    want_source: str,
) -> None:
    result = run_nanoctl(*args, "-v", env=url_env(server, env_token), stdin=stdin)

    assert result.exit_code == 0
    assert f"nanoctl: API URL: {server.url}" in result.stderr_lines
    assert f"nanoctl: token source: {want_source}" in result.stderr_lines
    assert "nanoctl:" not in result.stdout


def test_debug_verbosity_shows_the_request_with_the_authorization_header_redacted(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("login", "-vvv", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout == ""
    lines = result.stderr_lines
    request = re.compile(rf"nanoctl: > GET {re.escape(server.url)}/login( \(attempt 1 of \d\))?")
    assert any(request.fullmatch(line) for line in lines), result.stderr
    assert "nanoctl: > Authorization: Bearer [redacted]" in lines
    answer = re.compile(r"nanoctl: < HTTP 200 in \d+ ms")
    assert any(answer.fullmatch(line) for line in lines), result.stderr
    assert all(line.startswith("nanoctl: ") for line in lines), result.stderr


@pytest.mark.parametrize(
    ("token", "want_code", "want_line"),
    [
        pytest.param(UNKNOWN, 3, INVALID_LINE, id="invalid"),
        pytest.param(
            api.SERVER_ERROR, 4, "Error: The API at {url} failed with HTTP 500.", id="500"
        ),
        pytest.param(
            api.NOT_JSON,
            4,
            "Error: Unexpected response from the API at {url}: the body is text/html, not JSON",
            id="not JSON",
        ),
    ],
)
def test_debug_verbosity_on_an_error_shows_a_traceback_but_never_the_token(
    server: ReferenceServer, token: str, want_code: int, want_line: str
) -> None:
    result = run_nanoctl("login", "-vvv", env=url_env(server, token), secrets=[token])

    assert result.exit_code == want_code
    assert "Traceback (most recent call last):" in result.stderr
    assert result.stderr_lines[-1].startswith(want_line.format(url=server.url))


# --- 10. colour ----------------------------------------------------------------------------------


def test_nothing_is_coloured_when_output_is_piped(server: ReferenceServer) -> None:
    runs = [
        run_nanoctl("login", "--token", UNKNOWN, env=url_env(server)),  # a warning, an error
        run_nanoctl("status", env=url_env(server, api.EXPIRING_SOON)),  # a warning, highlights
    ]

    assert [r.exit_code for r in runs] == [3, 0]
    for result in runs:
        assert ANSI not in result.stdout
        assert ANSI not in result.stderr


# --- 11. the executable itself -----------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completions_are_printed_for_every_shell_and_know_the_commands(shell: str) -> None:
    result = run_nanoctl("completions", shell)

    assert result.exit_code == 0
    assert result.stderr == ""
    for command in ("login", "logout", "status"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(None, id="nanoctl"),
        pytest.param([sys.executable, "-m", "nanoctl"], id="python -m nanoctl"),
    ],
)
def test_version_prints_the_name_and_version(command: list[str] | None) -> None:
    result = run_nanoctl("--version", command=command)

    assert result.exit_code == 0
    assert result.stdout_lines == ["nanoctl 0.1.0"]
    assert result.stderr == ""


def test_plain_http_to_a_non_loopback_host_is_refused_before_any_request(
    server: ReferenceServer,
) -> None:
    # Route any request that might still be made through the reference server as a
    # proxy, so that "no request anywhere" is observable.
    proxy = f"http://127.0.0.1:{server.port}"
    result = run_nanoctl(
        "login",
        "--api-url",
        "http://example.com",
        env={
            "NANOSERVICES_TOKEN": api.VALID,
            "HTTP_PROXY": proxy,
            "HTTPS_PROXY": proxy,
            "http_proxy": proxy,
            "https_proxy": proxy,
            "NO_PROXY": "",
        },
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result) == (
        "Error: Refusing to send the token over plain HTTP to http://example.com. "
        "Use an https:// API URL (plain http is allowed only for loopback addresses)."
    )
    assert server.requests == []


# --- 12. the wheel -------------------------------------------------------------------------------


def test_a_closed_stdout_pipe_is_not_reported_as_an_internal_error(
    server: ReferenceServer,
) -> None:
    """`nanoctl login --token - | head -0`: the reader is gone before nanoctl writes."""
    from tests.integration.cli_harness import NANOCTL

    read_end, write_end = os.pipe()
    os.close(read_end)  # writes now fail with EPIPE
    try:
        done = subprocess.run(
            [str(NANOCTL), "login", "--token", "-"],
            env=environment(url_env(server)),
            input=f"{api.VALID}\n".encode(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    stderr = done.stderr.decode()
    print(stderr)
    assert done.returncode == 0
    assert "internal error" not in stderr
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
