"""-v, -vvv and colour, end to end: decisions and the redacted HTTP exchange on stderr
only, a traceback without the token, and never a colour code in a pipe.

nanoctl runs through its entry point in the test's process (in_process; a locale, as a
process) against the reference API on 127.0.0.1; no run may print a token (cli_harness).
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
    STDIN,
    UNKNOWN,
    UPDATE_ENV,
    invalid_line,
    url_env,
)
from tests.integration.in_process import run_nanoctl

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
    assert f"nanoctl: API URL: {server.url} (from NANOSERVICES_API_URL)" in result.stderr_lines
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
        pytest.param(UNKNOWN, 3, invalid_line(FROM_ENV, UPDATE_ENV), id="invalid"),
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


@pytest.mark.parametrize(
    ("verbosity", "decisions", "exchanges", "traceback"),
    [
        pytest.param(None, False, False, False, id="none"),
        pytest.param("-v", True, False, False, id="-v"),
        pytest.param("-vv", True, True, False, id="-vv"),
        pytest.param("-vvv", True, True, True, id="-vvv"),
    ],
)
def test_each_verbosity_level_adds_something(
    server: ReferenceServer,
    verbosity: str | None,
    decisions: bool,
    exchanges: bool,
    traceback: bool,
) -> None:
    """#23: -vv printed what -v does; now -v says what was chosen, -vv adds each HTTP
    exchange, -vvv adds the traceback of an error."""
    args = ["status", *([verbosity] if verbosity else [])]
    result = run_nanoctl(*args, env=url_env(server, UNKNOWN), secrets=[UNKNOWN])

    assert result.exit_code == 3
    lines = result.stderr_lines
    assert ("nanoctl: token source: NANOSERVICES_TOKEN" in lines) is decisions
    assert any(line.startswith("nanoctl: > GET ") for line in lines) is exchanges
    assert any(line.startswith("nanoctl: < HTTP 401 in ") for line in lines) is exchanges
    assert ("Traceback (most recent call last):" in result.stderr) is traceback
    assert lines[-1] == invalid_line(FROM_ENV, UPDATE_ENV)


@pytest.mark.parametrize("verbosity", ["-v", "-vv"])
def test_with_json_every_line_of_stderr_is_a_json_object(
    server: ReferenceServer, verbosity: str
) -> None:
    """As the README says of --json: the -v lines too (#23), beside warnings and the error."""
    result = run_nanoctl(
        "status", "--json", verbosity, env=url_env(server, UNKNOWN), secrets=[UNKNOWN]
    )

    assert result.exit_code == 3
    objects = [json.loads(line) for line in result.stderr_lines]
    assert {"verbose": f"API URL: {server.url} (from NANOSERVICES_API_URL)"} in objects
    assert {"verbose": "token source: NANOSERVICES_TOKEN"} in objects
    assert objects[-1]["error"]["kind"] == "invalid_token"
    assert any(o.get("verbose", "").startswith("> GET ") for o in objects) is (verbosity == "-vv")
    assert json.loads(result.stdout)["error"] == "invalid_token"


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


@pytest.mark.parametrize(
    ("args", "env_token", "stdin", "want_source", "want_code"),
    [
        pytest.param(["login"], UNKNOWN, None, "NANOSERVICES_TOKEN", 3, id="login, env"),
        pytest.param(["login", "--token", "-"], None, UNKNOWN, STDIN, 3, id="login, stdin"),
        pytest.param(["status"], UNKNOWN, None, "NANOSERVICES_TOKEN", 3, id="status, env"),
        pytest.param(["status"], api.SERVER_ERROR, None, "NANOSERVICES_TOKEN", 4, id="500"),
    ],
)
@pytest.mark.parametrize("verbosity", ["-v", "-vvv"])
def test_verbose_names_the_token_source_before_the_request_also_when_it_fails(
    server: ReferenceServer,
    args: list[str],
    env_token: str | None,
    stdin: str | None,
    want_source: str,
    want_code: int,
    verbosity: str,
) -> None:
    result = run_nanoctl(*args, verbosity, env=url_env(server, env_token), stdin=stdin)

    assert result.exit_code == want_code
    lines = result.stderr_lines
    source = f"nanoctl: token source: {want_source}"
    assert lines.count(source) == 1
    if verbosity == "-vvv":
        first_request = next(i for i, line in enumerate(lines) if line.startswith("nanoctl: > GET"))
        assert lines.index(source) < first_request
    assert lines[-1].startswith("Error: ")


# --- what a terminal can show ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "want_mark", "want_mask", "want_dash"),
    [
        pytest.param({"LANG": "C"}, "OK", "nano...9mZ4", "-", id="LANG=C"),
        pytest.param({"LANG": "POSIX"}, "OK", "nano...9mZ4", "-", id="LANG=POSIX"),
        pytest.param({"LC_ALL": "C", "LANG": "C.UTF-8"}, "OK", "nano...9mZ4", "-", id="LC_ALL=C"),
        pytest.param({"LANG": "C.UTF-8"}, "✓", "nano…9mZ4", "—", id="LANG=C.UTF-8"),
        pytest.param({"LANG": "C", "PYTHONUTF8": "1"}, "✓", "nano…9mZ4", "—", id="PYTHONUTF8=1"),
    ],
)
def test_a_locale_that_cannot_show_unicode_gets_ascii(
    server: ReferenceServer,
    locale: dict[str, str],
    want_mark: str,
    want_mask: str,
    want_dash: str,
) -> None:
    env = {"LC_ALL": None, "LC_CTYPE": None, "LANG": None, **locale}
    status = run_nanoctl("status", env={**url_env(server, api.VALID), **env})
    login = run_nanoctl("login", "-t", "-", env={**url_env(server), **env}, stdin=api.VALID)

    assert (status.exit_code, login.exit_code) == (0, 0)
    assert status.stdout_lines[0] == f"{want_mark} Logged in to {server.url} as ada"
    assert status.stdout_lines[2] == f"  Token:        {want_mask}"
    assert login.stdout_lines[0].startswith(f"Authenticated as ada {want_dash} token expires ")
    assert status.stdout.isascii() is (want_mark == "OK")
