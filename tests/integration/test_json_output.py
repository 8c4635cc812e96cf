"""--json, end to end: exactly one object on stdout with the documented keys and types,
and one error object on stderr whose code is the exit code.

nanoctl runs through its entry point in the test's process (in_process) against the
reference API on 127.0.0.1; no run may print a token (cli_harness).
"""

from __future__ import annotations

import json
import re

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    ANSI,
    FROM_ENV,
    NOT_LOGGED_IN_LINE,
    UNKNOWN,
    UPDATE_ENV,
    credential_file,
    days_left,
    invalid_line,
    key_file,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl

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
    "profile",
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
    "legacy_files",
    "agent",
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
    assert document["profile"] == "default"
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
    assert document["agent"] is False  # no agent's variable reaches nanoctl in the tests


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
    "invalid_token": invalid_line(FROM_ENV, UPDATE_ENV),
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
    if args[0] == "status":  # status --json always answers on stdout as well (#10 item 15)
        assert single_json_object(result.stdout)["error"] == want_kind
    else:
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
