"""The commands through cleo's ApplicationTester, with the container's adapters
overridden by fakes: option parsing, rendering, exit codes and the error boundary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nanoctl.domain.errors import InvalidToken
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.words.errors import explain
from tests.unit.builders import credential
from tests.unit.cli_world import API, Cli


def test_flag_login_prints_the_result_and_warns_about_shell_history(cli: Cli) -> None:
    code, out, err = cli.run("login --token good-token-0001")
    assert code == 0
    assert out.splitlines()[0] == "Authenticated as ada — token expires 2026-12-28 (in 30 days)."
    assert "shell history" in err
    assert "--token -" in err
    assert cli.store.saves == 0
    assert "good-token-0001" not in out + err


def test_env_login_is_silent_on_stdout(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "good-token-0001"
    assert cli.run("login") == (0, "", "")


def test_prompt_login_welcomes_and_stores(cli: Cli) -> None:
    cli.container.terminal  # noqa: B018 - the prompt is faked; no terminal needed
    code, out, _ = cli.run("login")
    assert code == 0
    assert out.splitlines()[0] == "Welcome, ada! Your token expires 2026-12-28 (in 30 days)."
    assert cli.store.saves == 1


def test_rejected_token_is_one_line_with_the_next_step_and_exit_3(cli: Cli) -> None:
    code, out, err = cli.run("login -t wrong-token-0001")
    assert code == 3
    assert out == ""
    error_lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert error_lines == [f"Error: {explain(InvalidToken(origin=TokenOrigin.FLAG))}"]


def test_json_login_is_one_object_on_stdout(cli: Cli) -> None:
    code, out, _ = cli.run("login --json -t good-token-0001")
    assert code == 0
    assert json.loads(out) == {
        "authenticated": True,
        "username": "ada",
        "source": "flag",
        "api_url": API,
        "expires_at": "2026-12-28T12:00:00Z",
        "days_left": 30,
        "stored": False,
    }


def test_json_errors_go_to_stderr_with_the_exit_code(cli: Cli) -> None:
    code, out, err = cli.run("login --json -t wrong-token-0001")
    assert (code, out) == (3, "")
    warning, error_line = err.splitlines()  # stderr is JSON lines with --json
    assert "shell history" in json.loads(warning)["warning"]
    error = json.loads(error_line)["error"]
    assert error["code"] == 3
    assert error["kind"] == "invalid_token"
    assert "rejected" in error["message"]


def test_expiring_soon_warns_on_login(cli: Cli) -> None:
    code, _, err = cli.run("login -t soon-token-0001")
    assert code == 0
    assert "Warning: the token expires 2026-11-30 (in 2 days)" in err


def test_status_shows_who_source_api_masked_token_and_expiry(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    code, out, _ = cli.run("status")
    assert code == 0
    assert out.splitlines() == [
        f"✓ Logged in to {API} as ada",
        "  Token source: stored credential (/fake/credentials)",
        "  Token:        ****01",
        "  Expires:      2026-12-28 (in 30 days)",
        "  Key:          /fake/key",
        "  Profile:      default",
    ]


def test_whoami_is_status(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    assert cli.run("whoami")[1] == cli.run("status")[1]


@pytest.mark.parametrize(
    ("setup", "want_code", "want_kind", "found"),
    [
        pytest.param(lambda c: None, 1, "not_logged_in", False, id="not logged in"),
        pytest.param(
            lambda c: setattr(c.store, "credential", credential("down-token-0001")),
            4,
            "unreachable",
            True,
            id="api down",
        ),
        pytest.param(
            lambda c: setattr(c.store, "credential", credential("revoked-token-01")),
            3,
            "invalid_token",
            True,
            id="rejected",
        ),
        pytest.param(
            lambda c: setattr(c.store, "load_error", StorageError("The file is corrupted.")),
            5,
            "storage",
            False,
            id="store broken",
        ),
    ],
)
def test_status_exit_codes(
    cli: Cli, setup: Any, want_code: int, want_kind: str, found: bool
) -> None:
    """``logged_in`` means a credential was found (#19): with the API down or the token
    rejected it is, and what is stored stays in the object."""
    setup(cli)
    code, out, err = cli.run("status --json")
    assert code == want_code
    document = json.loads(out)  # stdout is always one object (#10 item 15)
    assert (document["logged_in"], document["validated"]) == (found, False)
    assert document["profile"] == "default"
    assert document["error"] == want_kind
    assert json.loads(err)["error"]["kind"] == want_kind
    if found:
        assert (document["username"], document["source"], document["location"]) == (
            "ada",
            "stored",
            "/fake/credentials",
        )
        assert document["expires_at"] == "2026-12-28T12:00:00Z"


def test_status_json_schema(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    code, out, _ = cli.run("status --json")
    assert code == 0
    assert json.loads(out) == {
        "logged_in": True,
        "profile": "default",
        "username": "ada",
        "source": "stored",
        "location": "/fake/credentials",
        "key_location": "/fake/key",
        "api_url": API,
        "token": "****01",
        "expires_at": "2026-12-28T12:00:00Z",
        "days_left": 30,
        "expired": False,
        "validated": True,
        "saved_at": "2026-11-28T12:00:00Z",
        "legacy_files": [],
        "agent": False,
    }


def test_logout_removes_and_is_idempotent(cli: Cli) -> None:
    cli.store.credential = credential()
    assert cli.run("logout") == (
        0,
        "Logged out: removed the stored credential (/fake/credentials).\n",
        "",
    )
    assert cli.run("logout") == (0, "Not logged in: nothing stored at /fake/credentials.\n", "")


def test_logout_warns_when_the_environment_token_still_authenticates(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "good-token-0001"
    code, _, err = cli.run("logout")
    assert code == 0
    assert "NANOSERVICES_TOKEN is set and still authenticates" in err


def test_verbose_names_the_source_and_api(cli: Cli) -> None:
    _, _, err = cli.run("login -v -t good-token-0001")
    assert f"nanoctl: API URL: {API}" in err
    assert "nanoctl: token source: the --token option" in err


def test_unknown_option_is_a_usage_error(cli: Cli) -> None:
    code, _, err = cli.run("login --tokn x")
    assert code == 2
    assert "--tokn" in err


def test_token_pasted_as_an_argument_is_not_echoed(cli: Cli) -> None:
    code, out, err = cli.run("login pasted-token-Zq81xw")
    assert code == 2
    assert "pasted-token-Zq81xw" not in out + err


def test_unexpected_exception_is_one_line_without_traceback(cli: Cli) -> None:
    cli.validator.seen = None  # type: ignore[assignment]  # provokes an internal bug
    code, _, err = cli.run("login -t good-token-0001")
    assert code == 1
    assert "Unexpected internal error (AttributeError)" in err
    assert "Traceback" not in err


def test_dash_vvv_adds_a_traceback_without_foreign_messages(cli: Cli) -> None:
    cli.validator.seen = None  # type: ignore[assignment]
    code, _, err = cli.run("login -vvv -t good-token-0001")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "(message withheld)" in err


def test_quiet_silences_output_but_never_the_error(cli: Cli) -> None:
    assert cli.run("login -q -t good-token-0001")[1] == ""
    code, _, err = cli.run("login -q -t wrong-token-0001")
    assert code == 3
    assert err.strip() == f"Error: {explain(InvalidToken(origin=TokenOrigin.FLAG))}"
