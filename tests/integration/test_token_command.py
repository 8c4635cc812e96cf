"""`nanoctl token`, end to end: the current credential's token and nothing else on stdout,
offline; a terminal refused unless --reveal (a real pty); --json refused; the curl pipe of
the README against the reference API.

The token is printed by design here, so these runs use the harness's one opt-in
(``reveals=``): only a `token` run's stdout may carry that token, the echo into pytest's
capture masks it, and stderr and every other token stay under the full check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_LOGGED_IN_LINE,
    REPLACE_STORED,
    TOKEN_PAGE,
    PtySession,
    allow_reveal,
    environment,
    one_line,
    store_credential,
    url_env,
    without_reveal,
)
from tests.integration.in_process import run_nanoctl

TERMINAL_REFUSED = (
    "Error: Refusing to print the token on a terminal: it would stay in the scrollback and "
    "show in screen shares. Pipe or redirect it (`nanoctl token --header | curl -H @- …`), "
    "or pass --reveal to show it anyway."
)


def test_token_prints_the_stored_token_and_a_newline_without_asking_the_api(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()

    result = run_nanoctl("token", env=url_env(server), reveals=api.VALID)

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{api.VALID}\n", "")
    assert server.requests == []


def test_header_prints_an_authorization_header_line(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("token", "--header", env=url_env(server), reveals=api.VALID)

    assert result.exit_code == 0
    assert result.stdout == f"Authorization: Bearer {api.VALID}\n"
    assert result.stderr == ""


def test_the_environment_token_beats_the_stored_one(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("token", env=url_env(server, api.VALID_EMAIL), reveals=api.VALID_EMAIL)

    assert (result.exit_code, result.stdout) == (0, f"{api.VALID_EMAIL}\n")
    assert server.requests == []


def test_quiet_still_prints_the_token_it_was_asked_for(server: ReferenceServer) -> None:
    result = run_nanoctl("token", "-q", env=url_env(server, api.VALID), reveals=api.VALID)

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{api.VALID}\n", "")


def test_not_logged_in_is_exit_1_with_the_usual_line(server: ReferenceServer) -> None:
    result = run_nanoctl("token", env=url_env(server))

    assert (result.exit_code, result.stdout) == (1, "")
    assert one_line(result) == NOT_LOGGED_IN_LINE


def test_an_expired_stored_credential_is_exit_3_offline(server: ReferenceServer) -> None:
    expired = datetime.now(UTC) - timedelta(days=2)
    store_credential(server.url, api.VALID, expired)
    server.reset()

    result = run_nanoctl("token", env=url_env(server))

    assert (result.exit_code, result.stdout) == (3, "")
    assert one_line(result) == (
        f"Error: The stored token for ada expired on {expired:%Y-%m-%d}. "
        f"Create a new token on {TOKEN_PAGE} {REPLACE_STORED}"
    )
    assert server.requests == []


def test_a_token_expiring_soon_is_printed_with_a_warning_on_stderr(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=3))

    result = run_nanoctl("token", env=url_env(server), reveals=api.VALID)

    assert (result.exit_code, result.stdout) == (0, f"{api.VALID}\n")
    assert one_line(result).startswith("Warning: the token expires ")


@pytest.mark.parametrize("args", [("--json",), ("--json", "--header")], ids=" ".join)
def test_json_is_refused_with_a_json_error_and_nothing_on_stdout(
    server: ReferenceServer, args: tuple[str, ...]
) -> None:
    result = run_nanoctl("token", *args, env=url_env(server, api.VALID))

    assert (result.exit_code, result.stdout) == (2, "")
    assert json.loads(result.stderr) == {
        "error": {
            "code": 2,
            "kind": "usage",
            "message": "`nanoctl token` has no JSON output: a token must not end up inside a "
            "logged JSON document. Run it without --json; its standard output is the token "
            "and a newline.",
        }
    }


def test_a_credential_for_another_api_is_not_printed(server: ReferenceServer) -> None:
    store_credential("https://api.example.test/base", api.VALID, server.after(days=30))

    result = run_nanoctl("token", env=url_env(server))

    assert (result.exit_code, result.stdout) == (1, "")
    assert "it was not sent" in one_line(result)


def test_api_url_option_selects_the_credential_for_that_api(server: ReferenceServer) -> None:
    store_credential("https://api.example.test/base", api.VALID, server.after(days=30))

    result = run_nanoctl(
        "token",
        "--api-url",
        "https://api.example.test/base",
        env=url_env(server),
        reveals=api.VALID,
    )

    assert (result.exit_code, result.stdout) == (0, f"{api.VALID}\n")


# --- a terminal ---------------------------------------------------------------------------


def test_a_terminal_on_stdout_is_refused_with_exit_2(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    # Wide enough for the one line: on a narrower terminal it is wrapped at spaces (#10).
    session = PtySession("token", env=url_env(server), columns=400)

    result = session.finish()

    assert result.exit_code == 2
    assert result.lines == [TERMINAL_REFUSED]


def test_reveal_shows_it_on_a_terminal(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    session = PtySession("token", "--reveal", env=url_env(server), reveals=api.VALID)

    result = session.finish()

    assert result.exit_code == 0
    assert result.lines == [api.VALID]


# --- for other tools -------------------------------------------------------------------------


def test_the_readme_curl_pipe_authenticates_against_the_api(server: ReferenceServer) -> None:
    """`nanoctl token --header | curl -H @- …`: the header line is what curl expects."""
    curl = shutil.which("curl")
    assert curl, "curl is needed for this test: install it (scripts/system-deps.sh)"
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()
    nanoctl = run_nanoctl("token", "--header", env=url_env(server), reveals=api.VALID)

    done = subprocess.run(
        [curl, "-sS", "--noproxy", "*", "-H", "@-", f"{server.url}/login"],
        input=nanoctl.stdout,
        capture_output=True,
        text=True,
        env=environment(),
        timeout=30,
        check=False,
    )

    print(f"$ curl … (exit {done.returncode})\n{without_reveal(done.stdout, api.VALID)}")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["username"] == "ada"
    assert [request.bearer for request in server.requests] == [api.VALID]


# --- the harness's opt-in is narrow ---------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("status",), ("login", "--token", "-"), ("-v", "exec", "--", "token")], ids=str
)
def test_only_a_token_run_may_reveal_a_token(args: tuple[str, ...]) -> None:
    with pytest.raises(AssertionError, match="only `nanoctl token` may reveal"):
        allow_reveal(args, api.VALID)


def test_the_revealed_token_is_masked_and_no_other_token_is() -> None:
    text = f"{api.VALID}\n{api.EXPIRED}\n"
    assert without_reveal(text, api.VALID) == f"<revealed token>\n{api.EXPIRED}\n"
