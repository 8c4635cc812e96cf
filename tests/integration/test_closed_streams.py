"""The installed `nanoctl` with one of its standard streams closed (`>&-`, `2>&-`,
`<&-`): the command still runs, exits with its own code and shows no traceback."""

from __future__ import annotations

import pytest

from reference_server import VALID, ReferenceServer
from tests.integration.cli_harness import NANOCTL, run_nanoctl, url_env

# `exec` the executable with one of its standard streams closed.
CLOSED_STDOUT = ["sh", "-c", 'exec "$0" "$@" >&-', str(NANOCTL)]
CLOSED_STDERR = ["sh", "-c", 'exec "$0" "$@" 2>&-', str(NANOCTL)]
CLOSED_STDIN = ["sh", "-c", 'exec "$0" "$@" <&-', str(NANOCTL)]
BOGUS = 'Error: The option "--bogus" does not exist. Run `nanoctl --help` for usage.'


@pytest.mark.parametrize(
    ("args", "want_exit", "want_stderr"),
    [
        pytest.param(("--version",), 0, "", id="--version"),
        pytest.param(("--help",), 0, "", id="--help"),
        pytest.param(("help", "login"), 0, "", id="help login"),
        pytest.param(("logout",), 0, "", id="logout"),
        pytest.param(("--bogus",), 2, f"{BOGUS}\n", id="--bogus"),
    ],
)
def test_a_closed_stdout_keeps_the_exit_code_and_shows_no_traceback(
    args: tuple[str, ...], want_exit: int, want_stderr: str
) -> None:
    result = run_nanoctl(*args, command=CLOSED_STDOUT)

    assert (result.exit_code, result.stderr) == (want_exit, want_stderr)


@pytest.mark.parametrize(
    ("args", "want_exit", "want_stdout"),
    [
        pytest.param(("--version",), 0, "nanoctl 0.1.0\n", id="--version"),
        pytest.param(("logout",), 0, None, id="logout"),
        pytest.param(("--bogus",), 2, "", id="--bogus"),
    ],
)
def test_a_closed_stderr_keeps_the_exit_code(
    args: tuple[str, ...], want_exit: int, want_stdout: str | None
) -> None:
    result = run_nanoctl(*args, command=CLOSED_STDERR)

    assert result.exit_code == want_exit
    if want_stdout is not None:
        assert result.stdout == want_stdout
    else:
        assert result.stdout.startswith("Not logged in: nothing stored at ")


@pytest.mark.parametrize(
    ("args", "want_stderr"),
    [
        pytest.param(
            ("login", "--token", "-"),
            "Error: The token from standard input (--token -) is malformed: it is empty. "
            "Copy the whole token again; it is 1 to 4096 visible ASCII characters.\n",
            id="login --token -",
        ),
        pytest.param(
            ("login",),
            "Error: No token given and no terminal to prompt for one. Set NANOSERVICES_TOKEN, "
            "pipe it to `nanoctl login --token -`, or run `nanoctl login` in a terminal.\n",
            id="login",
        ),
    ],
)
def test_a_closed_stdin_reads_as_empty(args: tuple[str, ...], want_stderr: str) -> None:
    result = run_nanoctl(*args, command=CLOSED_STDIN)

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", want_stderr)


# --- against the API: the exit code of the answer, whichever stream is closed ----------------

UNKNOWN = "nano_unknown_closed_Pz4Wq7"


@pytest.mark.parametrize(
    "command",
    [pytest.param(CLOSED_STDOUT, id=">&-"), pytest.param(CLOSED_STDERR, id="2>&-")],
)
@pytest.mark.parametrize(
    ("args", "env_token", "want_exit"),
    [
        pytest.param(("login",), VALID, 0, id="env token, valid"),
        pytest.param(("login", "--json"), VALID, 0, id="env token, valid, --json"),
        pytest.param(("login",), UNKNOWN, 3, id="env token, invalid"),
        pytest.param(("login", "--token", UNKNOWN), None, 3, id="--token, invalid"),
        pytest.param(("login", "--token", VALID), None, 0, id="--token, valid"),
        pytest.param(("status",), VALID, 0, id="status"),
        pytest.param(("status", "--json"), UNKNOWN, 3, id="status --json, invalid"),
    ],
)
def test_a_closed_stream_keeps_the_exit_code_of_the_answer(
    server: ReferenceServer,
    command: list[str],
    args: tuple[str, ...],
    env_token: str | None,
    want_exit: int,
) -> None:
    result = run_nanoctl(*args, command=command, env=url_env(server, env_token), secrets=[UNKNOWN])

    assert result.exit_code == want_exit
    assert "Traceback" not in result.stdout + result.stderr
    if command is CLOSED_STDERR:
        assert result.stderr == ""
    else:  # the one error line (text or JSON) still reaches stderr, and only on a failure
        assert result.stdout == ""
        errors = [line for line in result.stderr_lines if line.startswith(("Error:", '{"error"'))]
        assert len(errors) == (0 if want_exit == 0 else 1), result.stderr


def test_a_closed_stdin_with_a_token_wanted_from_it_is_a_usage_error(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("login", "-t", "-", command=CLOSED_STDIN, env=url_env(server))

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr_lines == [
        "Error: The token from standard input (--token -) is malformed: it is empty. "
        "Copy the whole token again; it is 1 to 4096 visible ASCII characters."
    ]
    assert server.requests == []


NOT_LOGGED_IN = "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN.\n"


@pytest.mark.parametrize(
    ("closed", "args", "want"),
    [
        pytest.param(CLOSED_STDOUT, ("token",), (1, "", NOT_LOGGED_IN), id="token >&-"),
        pytest.param(CLOSED_STDERR, ("token",), (1, "", ""), id="token 2>&-"),
        pytest.param(CLOSED_STDIN, ("token",), (1, "", NOT_LOGGED_IN), id="token <&-"),
        pytest.param(CLOSED_STDOUT, ("exec", "--", "true"), (1, "", NOT_LOGGED_IN), id="exec >&-"),
    ],
)
def test_token_and_exec_keep_their_exit_code_with_a_stream_closed(
    closed: list[str], args: tuple[str, ...], want: tuple[int, str, str]
) -> None:
    result = run_nanoctl(*args, command=closed)

    assert (result.exit_code, result.stdout, result.stderr) == want


@pytest.mark.parametrize(
    "closed", [CLOSED_STDOUT, CLOSED_STDERR, CLOSED_STDIN], ids=[">&-", "2>&-", "<&-"]
)
def test_exec_gives_the_programs_own_status_whichever_stream_is_closed(closed: list[str]) -> None:
    env = {"NANOSERVICES_TOKEN": "nano_closed_streams_Tq4Wz8"}

    result = run_nanoctl(
        "exec", "--", "sh", "-c", "exit 5", env=env, command=closed, secrets=env.values()
    )

    assert (result.exit_code, result.stdout, result.stderr) == (5, "", "")


@pytest.mark.parametrize(
    ("closed", "args", "want_exit", "want_stdout"),
    [
        pytest.param(
            CLOSED_STDERR,
            ("api", "/deploy-status/x"),
            1,
            '{"error": "no deployment named x"}',
            id="api 404 2>&-",
        ),
        pytest.param(CLOSED_STDERR, ("api", "/deploy-status/web"), 0, None, id="api 2>&-"),
        pytest.param(
            CLOSED_STDIN, ("api", "--input", "-", "/echo"), 0, None, id="api --input - <&-"
        ),
        pytest.param(
            CLOSED_STDIN,
            ("api", "/deploy-status/x"),
            1,
            '{"error": "no deployment named x"}',
            id="api 404 <&-",
        ),
    ],
)
def test_api_keeps_its_exit_code_with_a_stream_closed(
    server: ReferenceServer,
    closed: list[str],
    args: tuple[str, ...],
    want_exit: int,
    want_stdout: str | None,
) -> None:
    result = run_nanoctl(*args, command=closed, env=url_env(server, VALID))

    assert result.exit_code == want_exit
    assert "Traceback" not in result.stdout + result.stderr
    if want_stdout is not None:
        assert result.stdout == want_stdout
    if closed is CLOSED_STDIN and "--input" in args:  # a closed stdin is an empty body
        assert '"body_size": 0' in result.stdout
