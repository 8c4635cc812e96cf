"""Token files and pasted tokens as users really write them (#23): a `.env` line
(`NANOSERVICES_TOKEN=…`), a token in quotes, `Bearer …` are said to be exactly that, before
any request and without the value; a relative path that ends like a file name is shown; a
leading `~/` in NANOSERVICES_TOKEN_FILE is the home directory; a pipe (`<(…)`, a FIFO with
a writer) is read, bounded in size and time."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

import reference_server as api
from nanoctl.adapters.terminal import token_file as token_file_module
from nanoctl.adapters.terminal.token_file import read_token_file
from nanoctl.domain.errors import TokenFileUnusable
from nanoctl.domain.events import Silent
from nanoctl.domain.origins import TokenOrigin
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NANOCTL,
    environment,
    invalid_line,
    one_line,
    url_env,
)
from tests.integration.in_process import run_nanoctl

NOT_STORED_FILE = (
    "The token was not stored (run `nanoctl login` without --token-file to store one)."
)


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """Outside HOME: the leak sweep reads every file under HOME, and these hold tokens."""
    directory = tmp_path / "secrets"
    directory.mkdir()
    return directory


def written(directory: Path, name: str, content: str) -> Path:
    path = directory / name
    path.write_text(content)
    path.chmod(0o600)
    return path


# --- text that holds a token but is not one -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "what", "fix"),
    [
        pytest.param(
            f"NANOSERVICES_TOKEN={api.VALID}\n",
            "it reads `NANOSERVICES_TOKEN=…`, a line of a .env file, not a token alone",
            "Write only the token into the file, without the variable's name and `=`.",
            id=".env line",
        ),
        pytest.param(
            f"# nanoctl\nexport NANOSERVICES_TOKEN='{api.VALID}'\nOTHER=1\n",
            "it spans several lines",
            "Copy the whole token again; it is 1 to 4096 visible ASCII characters.",
            id="a comment first: several lines",
        ),
        pytest.param(
            f"export NANO_TOKEN={api.VALID}\nOTHER=1\n",
            "it reads `NANO_TOKEN=…`, a line of a .env file, not a token alone",
            "Write only the token into the file, without the variable's name and `=`.",
            id="export, several lines",
        ),
        pytest.param(
            f'"{api.VALID}"\n',
            "it is wrapped in quotes, which are not part of the token (a .env file read by "
            "`docker --env-file` or systemd keeps them)",
            "Remove the quotes.",
            id="quotes",
        ),
        pytest.param(
            f"Bearer {api.VALID}\n",
            "it starts with `Bearer`, the word of the Authorization header, not part of the token",
            "Give the token without `Bearer `.",
            id="Bearer",
        ),
    ],
)
def test_a_token_file_holding_more_than_the_token_says_what_it_holds(
    server: ReferenceServer, secrets: Path, content: str, what: str, fix: str
) -> None:
    """Was: sent to the API, then "rejected as invalid… create a new token"."""
    path = written(secrets, "nano.env", content)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: The token from the file {path} (given to --token-file) is malformed: {what}. {fix}"
    )
    assert server.requests == []


@pytest.mark.parametrize(
    ("value", "what", "fix"),
    [
        pytest.param(
            f'"{api.VALID}"',
            "it is wrapped in quotes, which are not part of the token (a .env file read by "
            "`docker --env-file` or systemd keeps them)",
            "Remove the quotes.",
            id="quotes (docker --env-file)",
        ),
        pytest.param(
            f"NANOSERVICES_TOKEN={api.VALID}",
            "it reads `NANOSERVICES_TOKEN=…`, a line of a .env file, not a token alone",
            "Set NANOSERVICES_TOKEN to the token alone, without `NANOSERVICES_TOKEN=`.",
            id="NAME=value",
        ),
        pytest.param(
            f"Authorization: Bearer {api.VALID}",
            "it starts with `Bearer`, the word of the Authorization header, not part of the token",
            "Give the token without `Bearer `.",
            id="the whole header",
        ),
    ],
)
def test_an_environment_token_holding_more_than_the_token_says_what_it_holds(
    server: ReferenceServer, value: str, what: str, fix: str
) -> None:
    result = run_nanoctl("status", env=url_env(server, value))

    assert result.exit_code == 2
    assert result.stderr_lines[-1] == (
        f"Error: The token from NANOSERVICES_TOKEN is malformed: {what}. {fix}"
    )
    assert server.requests == []


def test_a_pasted_bearer_header_on_standard_input_says_so(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "login", "--token", "-", env=url_env(server), stdin=f"Bearer {api.VALID}\n"
    )

    assert result.exit_code == 2
    assert one_line(result) == (
        "Error: The token from standard input (--token -) is malformed: it starts with "
        "`Bearer`, the word of the Authorization header, not part of the token. Give the "
        "token without `Bearer `."
    )


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("dGhpcyBpcyBub3QgYSB0b2tlbg==", id="base64 padding"),
        pytest.param("abc_DEF=", id="a name-like part and padding"),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo", id="JWT"
        ),
    ],
)
def test_tokens_with_equal_signs_and_dots_are_still_tokens(
    server: ReferenceServer, token: str
) -> None:
    """No false alarm: base64's `=` is at its end; these go to the API, which decides."""
    result = run_nanoctl("login", "--token", "-", env=url_env(server), stdin=token, secrets=[token])

    assert result.exit_code == 3
    assert result.stderr_lines == [invalid_line("the token from standard input (--token -)")]
    assert [r.bearer for r in server.requests] == [token]


# --- which path is shown ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tokn.txt", "nano.env", "ci.token", "api.secret", "k.key"])
def test_a_missing_relative_file_is_shown_when_it_ends_like_a_file_name(
    server: ReferenceServer, name: str
) -> None:
    """Was hidden (it did not start with / or ./), so the typo could not be seen."""
    result = run_nanoctl("login", "--token-file", name, env=url_env(server))

    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: The token file {name} (given to --token-file) does not exist. Give "
        "--token-file the path of the file that holds the token."
    )


# --- ~/ in NANOSERVICES_TOKEN_FILE -------------------------------------------------------------


def test_a_leading_tilde_in_the_variable_is_the_home_directory(
    server: ReferenceServer, isolated_home: Path
) -> None:
    """A literal `~` is what .env files and systemd units put there; was "does not exist".
    (The file is removed before the leak sweep reads HOME.)"""
    path = written(isolated_home, "tok.txt", api.VALID)
    try:
        result = run_nanoctl(
            "status", env={**url_env(server), "NANOSERVICES_TOKEN_FILE": "~/tok.txt"}
        )
        missing = run_nanoctl(
            "status", env={**url_env(server), "NANOSERVICES_TOKEN_FILE": "~/nope.txt"}
        )
    finally:
        path.unlink()

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[1] == "  Token source: the file named by NANOSERVICES_TOKEN_FILE"
    assert missing.exit_code == 2
    assert one_line(missing) == (
        f"Error: The token file {isolated_home}/nope.txt (named by NANOSERVICES_TOKEN_FILE) "
        "does not exist. Give NANOSERVICES_TOKEN_FILE the path of the file that holds the token."
    )


# --- pipes -------------------------------------------------------------------------------------


def bash_login(server: ReferenceServer, substitution: str) -> subprocess.CompletedProcess[str]:
    """`nanoctl login --token-file <(…)` as a shell runs it: the path is /dev/fd/N."""
    done = subprocess.run(
        ["bash", "-c", f'"$NANOCTL" login --token-file <({substitution})'],
        env=environment({**url_env(server), "NANOCTL": str(NANOCTL)}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    print(done.stdout, done.stderr)
    assert api.VALID not in done.stdout + done.stderr
    return done


def test_a_process_substitution_is_read(server: ReferenceServer) -> None:
    done = bash_login(server, f"printf '%s\\n' {api.VALID}")

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1] == NOT_STORED_FILE
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_a_pipe_whose_writer_takes_a_moment_is_waited_for(server: ReferenceServer) -> None:
    done = bash_login(server, f"sleep 1; printf '%s' {api.VALID}")

    assert (done.returncode, done.stderr) == (0, "")
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_a_named_pipe_with_a_writer_is_read(server: ReferenceServer, secrets: Path) -> None:
    fifo = secrets / "token.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as pipe:  # blocks until nanoctl opens it
            time.sleep(0.2)
            pipe.write(api.VALID)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(0.1)  # the writer is waiting at the open: nanoctl's open releases it

    result = run_nanoctl(
        "status", env={**url_env(server), "NANOSERVICES_TOKEN_FILE": str(fifo)}, timeout=30
    )
    writer.join(timeout=10)

    assert result.exit_code == 0, result.stderr
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_a_pipe_that_never_delivers_is_given_up_on_in_bounded_time(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer keeps the pipe open and writes nothing: nanoctl stops after PIPE_WAIT
    (20 s; 0.3 s here), with the fix."""
    monkeypatch.setattr(token_file_module, "PIPE_WAIT", 0.3)
    read_end, write_end = os.pipe()
    try:
        started = time.monotonic()
        with pytest.raises(TokenFileUnusable) as raised:
            read_token_file(f"/dev/fd/{read_end}", TokenOrigin.FILE, Silent())
        waited = time.monotonic() - started
    finally:
        os.close(read_end)
        os.close(write_end)

    assert raised.value.problem == "pipe_timeout"
    assert 0.25 < waited < 5


def test_a_pipe_that_goes_on_is_read_only_up_to_the_cap(secrets: Path) -> None:
    """`--token-file <(yes)`: at most 1 MiB is read, and it is not a token."""
    done = subprocess.run(
        ["bash", "-c", '"$NANOCTL" login --token-file <(yes)'],
        env=environment({"NANOCTL": str(NANOCTL)}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "is malformed: the file holds more than 1,048,576 bytes." in done.stderr
