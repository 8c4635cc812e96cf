"""What #10 made every token source say, for the sources #13 added (`--token-file`,
`NANOSERVICES_TOKEN_FILE`) and for the commands it added (`token`, `exec`), with the
installed `nanoctl`: a rejected token names the file it came from and where the new one
goes; -v names the source once, before the request, also when it fails; a silent login
from the environment's file says so at a terminal; status names a stored credential the
file shadows."""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    FROM_ENV_FILE,
    FROM_TOKEN_FILE,
    REPLACE_STORED,
    STORED_TOKEN,
    TOKEN_INPUT,
    UNKNOWN,
    UPDATE_CI_FILE_SECRET,
    UPDATE_ENV_FILE,
    WRITE_TO_FILE,
    PtySession,
    config_dir,
    credential_file,
    files_under,
    invalid_line,
    one_line,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl
from tests.integration.test_token_files import file_env, token_file

EXEC_TRUE = ["exec", "--", "true"]


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    directory = tmp_path / "secrets"
    directory.mkdir()
    return directory


# --- a rejected token names its file ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "ci", "then"),
    [
        pytest.param(["login"], None, UPDATE_ENV_FILE, id="login"),
        pytest.param(["login"], "true", UPDATE_CI_FILE_SECRET, id="login, CI=true"),
        pytest.param(["status"], None, UPDATE_ENV_FILE, id="status"),
        pytest.param(["exec", "--check", "--", "true"], None, UPDATE_ENV_FILE, id="exec --check"),
    ],
)
def test_a_rejected_token_from_the_env_file_names_the_file_and_its_fix(
    server: ReferenceServer, secrets: Path, args: list[str], ci: str | None, then: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))  # shadowed, not the fix
    path = token_file(secrets, UNKNOWN)

    result = run_nanoctl(*args, env={**file_env(server, path), "CI": ci}, secrets=[UNKNOWN])

    assert (result.exit_code, result.stdout) == (3, "")
    assert one_line(result) == invalid_line(FROM_ENV_FILE, then)
    assert one_line(result) == (
        "Error: The API rejected the token in the file named by NANOSERVICES_TOKEN_FILE as "
        "invalid. Create a new token on https://atomic.deskree.com/auth/access/token "
        f"{then}"
    )


def test_an_inactive_token_file_is_named_with_its_fix(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, api.INACTIVE)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 3
    assert one_line(result) == (
        "Error: The token in the file given to --token-file is no longer active (revoked or "
        f"expired). Create a new token on https://atomic.deskree.com/auth/access/token "
        f"{WRITE_TO_FILE}"
    )


def test_exec_check_with_a_rejected_stored_token_says_to_replace_it(
    server: ReferenceServer, tmp_path: Path
) -> None:
    store_credential(server.url, UNKNOWN, server.after(days=30))
    marker = tmp_path / "ran"

    result = run_nanoctl("exec", "--check", "--", "touch", str(marker), env=url_env(server))

    assert result.exit_code == 3
    assert one_line(result) == invalid_line(STORED_TOKEN, REPLACE_STORED)
    assert not marker.exists()


def test_a_token_file_padded_past_64_kib_is_trimmed_as_a_piped_one_is(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, "\n" * 100_000 + api.VALID + " " * 100_000)

    result = run_nanoctl("login", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 0
    assert [request.bearer for request in server.requests] == [api.VALID]


# --- -v names the source once, before the request ------------------------------------------


@pytest.mark.parametrize(
    ("args", "token", "want_code"),
    [
        pytest.param(["login"], api.VALID, 0, id="login"),
        pytest.param(["login"], UNKNOWN, 3, id="login, rejected"),
        pytest.param(["status"], UNKNOWN, 3, id="status, rejected"),
        pytest.param(["exec", "--check", "--", "true"], UNKNOWN, 3, id="exec --check, rejected"),
        pytest.param(["exec", "--", "true"], api.VALID, 0, id="exec"),
    ],
)
def test_verbose_names_the_env_file_before_the_request(
    server: ReferenceServer, secrets: Path, args: list[str], token: str, want_code: int
) -> None:
    path = token_file(secrets, token)
    command, *rest = args

    result = run_nanoctl(command, "-vvv", *rest, env=file_env(server, path), secrets=[token])

    assert result.exit_code == want_code
    lines = result.stderr_lines
    source = "nanoctl: token source: the file named by NANOSERVICES_TOKEN_FILE"
    assert lines.count(source) == 1
    requests = [i for i, line in enumerate(lines) if line.startswith("nanoctl: > GET")]
    assert all(lines.index(source) < i for i in requests)
    assert bool(requests) == (args != ["exec", "--", "true"])


def test_verbose_names_the_token_file_option_before_the_request_also_when_it_fails(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, UNKNOWN)

    result = run_nanoctl("login", "-vvv", "--token-file", str(path), env=url_env(server))

    assert result.exit_code == 3
    lines = result.stderr_lines
    source = "nanoctl: token source: the file given to --token-file"
    assert lines.count(source) == 1
    first_request = next(i for i, line in enumerate(lines) if line.startswith("nanoctl: > GET"))
    assert lines.index(source) < first_request
    assert lines[-1] == invalid_line(FROM_TOKEN_FILE, WRITE_TO_FILE)


def test_token_verbose_names_the_env_file_once(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID)

    result = run_nanoctl("token", "-v", env=file_env(server, path), reveals=api.VALID)

    assert (result.exit_code, result.stdout) == (0, f"{api.VALID}\n")
    assert result.stderr_lines == [
        f"nanoctl: API URL: {server.url} (from NANOSERVICES_API_URL)",
        "nanoctl: token source: the file named by NANOSERVICES_TOKEN_FILE",
    ]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["status"], id="status"),
        pytest.param(["token"], id="token"),
        pytest.param(EXEC_TRUE, id="exec"),
        pytest.param(["exec", "--check", "--", "true"], id="exec --check"),
    ],
)
def test_verbose_names_the_stored_credential_once_before_the_request(
    server: ReferenceServer, args: list[str]
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    command, *rest = args

    result = run_nanoctl(
        command,
        "-vvv",
        *rest,
        env=url_env(server),
        reveals=api.VALID if command == "token" else None,
    )

    assert result.exit_code == 0
    lines = result.stderr_lines
    source = "nanoctl: token source: the stored credential"
    assert lines.count(source) == 1
    requests = [i for i, line in enumerate(lines) if line.startswith("nanoctl: > GET")]
    assert all(lines.index(source) < i for i in requests)
    assert bool(requests) == (command == "status" or "--check" in rest)


# --- the terminal note, and the shadowed credential ------------------------------------------


def test_an_env_file_login_at_a_terminal_says_the_token_was_used_not_stored(
    server: ReferenceServer, secrets: Path
) -> None:
    path = token_file(secrets, api.VALID)

    result = PtySession("login", env=file_env(server, path)).finish()

    assert result.exit_code == 0
    assert result.lines == [
        "The token in the file named by NANOSERVICES_TOKEN_FILE is valid (ada) and was used "
        "as is, not stored. To log in with the prompt and store a token, run "
        "`env -u NANOSERVICES_TOKEN_FILE nanoctl login`."
    ]
    assert TOKEN_INPUT not in result.transcript
    assert files_under(config_dir()) == {}


def test_an_env_file_login_into_a_pipe_adds_no_note(server: ReferenceServer, secrets: Path) -> None:
    path = token_file(secrets, api.VALID)

    result = run_nanoctl("login", env=file_env(server, path))

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_status_with_the_env_file_names_the_stored_credential_it_shadows(
    server: ReferenceServer, secrets: Path
) -> None:
    store_credential(server.url, api.VALID_USER, server.after(days=30))
    path = token_file(secrets, api.VALID)

    result = run_nanoctl("status", env=file_env(server, path))

    assert result.exit_code == 0
    assert result.stdout_lines[1] == "  Token source: the file named by NANOSERVICES_TOKEN_FILE"
    assert result.stdout_lines[-1] == (
        f"  Stored:       {credential_file()}, not used while NANOSERVICES_TOKEN_FILE is set"
    )
