"""Token files, end to end: `login --token-file PATH` and NANOSERVICES_TOKEN_FILE (as Docker
and Kubernetes mount secrets), for login, status, token, exec and logout.

Regular files and pipes (a pipe nothing writes into is refused at once, never waited on:
tests/integration/test_token_file_shapes.py reads pipes; a directory is refused),
surrounding whitespace trimmed, the usual token rules; a file others can read gets a
warning, not a refusal; --token/--token-file and the two variables are each one rank of
the precedence, two of one rank a usage error; never stored. The files live outside the
test's HOME (the leak sweep reads every file under HOME and would find the token).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

import reference_server as api
from nanoctl.adapters.terminal.token_sources import EnvironmentTokenSource
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    FROM_TOKEN_FILE,
    MALFORMED_HINT,
    UNKNOWN,
    WRITE_TO_FILE,
    PtySession,
    config_dir,
    expiry,
    files_under,
    invalid_line,
    one_line,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl
from tests.store_helpers import as_nobody

NOT_STORED_FILE = (
    "The token was not stored (run `nanoctl login` without --token-file to store one)."
)
ENV_FILE = "NANOSERVICES_TOKEN_FILE"


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    directory = tmp_path / "secrets"
    directory.mkdir()
    return directory


def token_file(directory: Path, content: str, mode: int = 0o600, name: str = "token") -> Path:
    path = directory / name
    path.write_text(content)
    path.chmod(mode)
    return path


def file_env(server: ReferenceServer, path: Path | str) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, ENV_FILE: str(path)}


def exposed(path: Path, mode: int, named_by: str) -> str:
    return (
        f"Warning: the token file {path} ({named_by}) can be read by other users "
        f"(mode {mode:04o}); `chmod 600` it if you can."
    )


# --- login --token-file --------------------------------------------------------------------


def test_login_with_a_token_file_validates_shows_the_result_and_stores_nothing(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, f"\n  {api.VALID}  \n\n")

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines == [
        f"Authenticated as ada — token expires {expiry(server.after(days=30))}.",
        NOT_STORED_FILE,
    ]
    assert result.stderr == ""  # no shell-history warning: the token is not in argv
    assert len(server.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == {}


def test_login_json_names_the_file_as_the_source(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID)

    result = run_nanoctl("login", "--json", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"] == "file"


def test_a_symlinked_token_file_is_followed_as_kubernetes_mounts_them(
    server: ReferenceServer, secrets: Path
) -> None:
    data = secrets / "..2026_12_02"
    data.mkdir()
    token_file(data, api.VALID)
    (secrets / "..data").symlink_to(data.name)
    (secrets / "token").symlink_to("..data/token")

    result = run_nanoctl("login", "--token-file", str(secrets / "token"), env=url_env(server))

    assert result.exit_code == 0
    assert result.stdout_lines[1] == NOT_STORED_FILE


def test_an_invalid_token_in_a_file_is_rejected_by_the_api_exit_3(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, UNKNOWN)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 3
    assert one_line(result) == invalid_line(FROM_TOKEN_FILE, WRITE_TO_FILE)


# --- NANOSERVICES_TOKEN_FILE counts as NANOSERVICES_TOKEN -----------------------------------


def test_env_file_login_is_silent_and_stores_nothing(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, f"{api.VALID}\n")

    result = run_nanoctl("login", env=file_env(server, path))

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(server.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == {}


def test_env_file_beats_the_prompt_at_a_terminal(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID)
    session = PtySession("login", env=file_env(server, path))

    result = session.finish()

    assert result.exit_code == 0
    assert "Please provide the token" not in result.transcript
    assert files_under(config_dir()) == {}


def test_status_uses_the_env_file_over_the_stored_credential(
    server: ReferenceServer, secrets: Path
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    path = token_file(secrets, api.VALID_EMAIL)
    server.reset()

    result = run_nanoctl("status", env=file_env(server, path))
    as_json = run_nanoctl("status", "--json", env=file_env(server, path))

    assert result.exit_code == 0
    assert result.stdout_lines[:2] == [
        f"✓ Logged in to {server.url} as grace@example.com",
        "  Token source: the file named by NANOSERVICES_TOKEN_FILE",
    ]
    assert json.loads(as_json.stdout)["source"] == "environment_file"
    assert [request.bearer for request in server.requests] == [api.VALID_EMAIL] * 2


def test_token_prints_the_env_files_token(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, f"  {api.VALID}\n")

    result = run_nanoctl("token", env=file_env(server, path), reveals=api.VALID)

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{api.VALID}\n", "")


def test_logout_says_the_env_file_still_authenticates(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, api.VALID)

    result = run_nanoctl("logout", env=file_env(server, path))

    assert result.exit_code == 0
    assert result.stderr_lines == [
        "Warning: NANOSERVICES_TOKEN_FILE is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    ]


# --- precedence ------------------------------------------------------------------------------


def test_token_file_option_beats_the_environment(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID)
    env = {**url_env(server, "not a token at all"), ENV_FILE: None}

    result = run_nanoctl("login", "--token-file", str(path), env=env)

    assert result.exit_code == 0
    assert [request.bearer for request in server.requests] == [api.VALID]


def test_token_and_token_file_together_are_a_usage_error(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, api.VALID)

    piped = run_nanoctl(
        "login", "--token", "-", "--token-file", str(path), env=url_env(server), stdin=api.VALID
    )
    literal = run_nanoctl("login", "-t", api.VALID, "--token-file", str(path), env=url_env(server))

    assert piped.exit_code == 2
    assert one_line(piped) == (
        "Error: Both --token - and --token-file are given; nanoctl will not guess which token "
        "to use. Pass only one of them."
    )
    assert literal.exit_code == 2
    assert literal.stderr_lines[-1] == (
        "Error: Both --token and --token-file are given; nanoctl will not guess which token "
        "to use. Pass only one of them."
    )
    assert server.requests == []


@pytest.mark.parametrize(
    "args",
    [("login",), ("status",), ("status", "--offline"), ("token",), ("exec", "--", "true")],
    ids=" ".join,
)
def test_both_variables_set_is_a_usage_error_for_every_command(
    server: ReferenceServer, secrets: Path, args: tuple[str, ...]
) -> None:
    path = token_file(secrets, api.VALID)
    env = {**file_env(server, path), "NANOSERVICES_TOKEN": api.VALID}

    result = run_nanoctl(*args, env=env)

    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == (
        "Error: Both NANOSERVICES_TOKEN and NANOSERVICES_TOKEN_FILE are set; nanoctl will not "
        "guess which token to use. Unset one of them."
    )
    assert server.requests == []


# --- what is not a token file ----------------------------------------------------------------


def test_a_fifo_nothing_writes_into_is_refused_at_once_never_waited_on(
    server: ReferenceServer, secrets: Path
) -> None:
    fifo = secrets / "token.fifo"
    os.mkfifo(fifo)

    flag = run_nanoctl("login", "--token-file", str(fifo), env=url_env(server), timeout=10)
    env = run_nanoctl("status", env=file_env(server, fifo), timeout=10)

    assert flag.exit_code == 2
    assert one_line(flag) == (  # #23: says why, now that a pipe with a writer is read
        f"Error: The token file {fifo} (given to --token-file) is a pipe with nothing written "
        "into it (nanoctl does not wait for a writer). Write the token into it first, or pipe "
        "the token to `nanoctl login --token -` instead."
    )
    assert env.exit_code == 2
    assert one_line(env) == (
        f"Error: The token file {fifo} (named by NANOSERVICES_TOKEN_FILE) is a pipe with "
        "nothing written into it (nanoctl does not wait for a writer). Write the token to a "
        "regular file, or pass it in NANOSERVICES_TOKEN."
    )
    assert server.requests == []


def test_a_directory_is_refused(server: ReferenceServer, secrets: Path) -> None:
    result = run_nanoctl("login", "--token-file", str(secrets), env=url_env(server))

    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: The token file {secrets} (given to --token-file) is a directory. "
        "Name the file in it that holds the token."
    )


def test_a_missing_file_is_named_when_it_is_a_path(server: ReferenceServer, secrets: Path) -> None:
    missing = secrets / "nope"

    result = run_nanoctl("token", env=file_env(server, missing))

    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: The token file {missing} (named by NANOSERVICES_TOKEN_FILE) does not exist. "
        "Give NANOSERVICES_TOKEN_FILE the path of the file that holds the token."
    )


def test_a_token_given_where_the_path_belongs_is_never_echoed(server: ReferenceServer) -> None:
    """`--token-file "$TOKEN"`: the harness fails the run if the value shows up anywhere."""
    result = run_nanoctl("login", "--token-file", api.VALID, env=url_env(server))

    assert result.exit_code == 2
    assert one_line(result) == (
        "Error: The token file named by --token-file (not shown: it does not look like a path, "
        "so it could be a token) does not exist. Give --token-file the path of the file that "
        "holds the token."
    )


def test_set_but_empty_env_file_is_reported_as_such(server: ReferenceServer) -> None:
    """#19: set but empty counts as unset, said once (it was a usage error, a dead end)."""
    result = run_nanoctl("status", env=file_env(server, ""))

    assert result.exit_code == 1
    assert result.stderr_lines == [
        "Warning: NANOSERVICES_TOKEN_FILE is set but empty; it counts as unset.",
        "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN.",
    ]


@pytest.mark.parametrize(
    ("content", "what"),
    [
        pytest.param("", "it is empty", id="empty"),
        pytest.param(" \n\t\n", "it is empty", id="blank"),
        pytest.param(f"{api.VALID}\n{api.VALID}\n", "it spans several lines", id="two lines"),
        pytest.param(
            f"{api.VALID} extra", "it contains spaces, control or non-ASCII characters", id="space"
        ),
        pytest.param("x" * 5000, "it is longer than 4096 characters", id="5000 chars"),
        pytest.param("x" * 100_000, "it is longer than 4096 characters", id="100 KB"),
        pytest.param(
            " " * (1024 * 1024) + "x",
            "the file holds more than 1,048,576 bytes",
            id="over 1 MiB: the real reason, not the token's length",
        ),
    ],
)
def test_a_malformed_token_file_names_the_file_and_sends_nothing(
    server: ReferenceServer, secrets: Path, content: str, what: str
) -> None:
    path = token_file(secrets, content)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: The token from the file {path} (given to --token-file) is malformed: {what}. "
        f"{MALFORMED_HINT}"
    )
    assert server.requests == []


def test_undecodable_bytes_are_malformed(server: ReferenceServer, secrets: Path) -> None:
    path = secrets / "token"
    path.write_bytes(b"nano_\xff\xfe_token")
    path.chmod(0o600)

    result = run_nanoctl("token", env=file_env(server, path))

    assert result.exit_code == 2
    assert "is malformed: it contains spaces, control or non-ASCII characters" in one_line(result)


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o444], ids=oct)
def test_a_file_others_can_read_gets_a_warning_not_a_refusal(
    server: ReferenceServer, secrets: Path, mode: int
) -> None:
    path = token_file(secrets, api.VALID, mode=mode)

    flag = run_nanoctl("login", "--token-file", str(path), env=url_env(server))
    env = run_nanoctl("login", env=file_env(server, path))

    assert flag.exit_code == 0
    assert flag.stderr_lines == [exposed(path, mode, "given to --token-file")]
    assert env.exit_code == 0
    assert env.stderr_lines == [exposed(path, mode, "named by NANOSERVICES_TOKEN_FILE")]


def test_the_warning_is_a_json_line_with_json(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID, mode=0o644)

    result = run_nanoctl("login", "--json", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stderr_lines] == [
        {"warning": exposed(path, 0o644, "given to --token-file").removeprefix("Warning: ")}
    ]


@pytest.mark.parametrize("mode", [0o600, 0o400], ids=oct)
def test_a_private_file_gets_no_warning(server: ReferenceServer, secrets: Path, mode: int) -> None:
    path = token_file(secrets, api.VALID, mode=mode)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert (result.exit_code, result.stderr) == (0, "")


def test_a_file_the_user_cannot_read_is_a_usage_error_as_nobody(tmp_path: Path) -> None:
    """As root every file is readable: the fault is real only for an unprivileged user."""
    base = Path(tempfile.mkdtemp(prefix="nanoctl-token-file-"))
    try:
        base.chmod(0o755)
        path = token_file(base, api.VALID, mode=0o600)  # root's own: nobody cannot read it
        shared = token_file(base, api.VALID, mode=0o644, name="shared")

        def reads(file: Path) -> Callable[[], bool]:
            def read() -> bool:
                token = EnvironmentTokenSource({ENV_FILE: str(file)}).read()
                return token is not None and token.reveal() == api.VALID

            return read

        readable = as_nobody(reads(shared))
        outcome = as_nobody(reads(path))

        assert readable.value is True  # nobody reads what it may: the refusal below is real
        assert (outcome.error, outcome.kind) == ("TokenFileUnusable", "token_file")
        assert outcome.message == (
            f"The token file {path} (named by NANOSERVICES_TOKEN_FILE) cannot be read: "
            "permission denied. Make the file readable by your user, or name another one."
        )
    finally:
        shutil.rmtree(base)
