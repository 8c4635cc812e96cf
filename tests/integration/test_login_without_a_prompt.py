"""`nanoctl login` without a prompt, end to end: NANOSERVICES_TOKEN, --token VALUE and
--token -, malformed tokens, usage errors, no terminal, a plain-http API.

Each test runs nanoctl's entry point in the test's process (stdin a file or /dev/null,
so never a terminal) against the reference API on 127.0.0.1 and checks the exit code, the
whole lines a user sees, and that no token is printed (tests/integration/cli_harness.py
asserts the last one on every run). The prompt login is in test_prompt_pty.py.
"""

from __future__ import annotations

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    ENV,
    FLAG,
    FORBIDDEN_ENV_LINE,
    FROM_ENV,
    HISTORY_WARNING,
    INACTIVE_ENV_LINE,
    MALFORMED_HINT,
    STDIN,
    TOKEN_PAGE,
    UNKNOWN,
    UPDATE_ENV,
    authenticated_lines,
    config_dir,
    files_under,
    invalid_line,
    one_line,
    server_failed,
    unreachable,
    url_env,
)
from tests.integration.in_process import run_nanoctl

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
        pytest.param(UNKNOWN, invalid_line(FROM_ENV, UPDATE_ENV), id="invalid"),
        pytest.param(api.INACTIVE, INACTIVE_ENV_LINE, id="inactive"),
        pytest.param(api.FORBIDDEN, FORBIDDEN_ENV_LINE, id="forbidden"),
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
            f"Error: The token in NANOSERVICES_TOKEN for ada expired on {date}. "
            f"Create a new token on {TOKEN_PAGE} {UPDATE_ENV}"
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

EMPTY = "it is empty"
TOO_LONG = "it is longer than 4096 characters"
LINES = "it spans several lines"
CHARS = "it contains spaces, control or non-ASCII characters"


@pytest.mark.parametrize(
    ("args", "env_token", "stdin", "origin", "reason", "secrets"),
    [
        pytest.param(["--token", ""], None, None, FLAG, EMPTY, [], id="empty flag"),
        pytest.param(["--token", "-"], None, "", STDIN, EMPTY, [], id="empty stdin"),
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


@pytest.mark.parametrize(
    "padded",
    [api.VALID + "\n" * 5000, " " * 5000 + api.VALID, "\r\n" * 3000 + api.VALID + "\t" * 3000],
    ids=["5000 newlines after", "5000 spaces before", "both"],
)
def test_a_piped_token_is_trimmed_of_any_amount_of_whitespace(
    server: ReferenceServer, padded: str
) -> None:
    result = run_nanoctl("login", "--token", "-", env=url_env(server), stdin=padded)

    assert result.exit_code == 0
    assert result.stdout_lines == authenticated_lines(server)
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_a_piped_input_past_the_cap_is_refused_for_that_reason(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "login", "--token", "-", env=url_env(server), stdin=" " * (2 * 1024 * 1024) + api.VALID
    )

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr_lines == [
        "Error: The token from standard input (--token -) is malformed: the input goes on past "
        f"1,048,576 characters. {MALFORMED_HINT}"
    ]
    assert server.requests == []


POSITIONAL = "nano_positional_Qw8Er5Ty"
USAGE_HINT = "Run `nanoctl login --help` for usage."


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
