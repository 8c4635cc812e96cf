"""Words where a user puts them (#23): a command's option before the command is read as
meant, or named as another command's; `exec` without `--` says where `--` goes; `gh auth`
habits and capitals get the command meant. No value typed with an option is ever
repeated: it could be a token."""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    HISTORY_WARNING,
    authenticated_lines,
    invalid_line,
    one_line,
    url_env,
)
from tests.integration.in_process import run_nanoctl

PASTED = "nano_pasted_Kp4Wz8Qm2"


# --- a command's option before the command: accepted -----------------------------------------


def test_an_api_url_and_a_profile_before_login_are_read_as_meant(server: ReferenceServer) -> None:
    """Was: "The command (value not shown) does not exist" (cleo took the URL for the
    command)."""
    result = run_nanoctl(
        "--profile", "dev", "--api-url", server.url, "login", "--token", "-", stdin=api.VALID
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines == [
        authenticated_lines(server)[0],
        "The token was not stored (run `nanoctl login --profile dev` without --token to store "
        "one).",
    ]
    assert [r.bearer for r in server.requests] == [api.VALID]


def test_a_token_option_before_login_is_read_as_meant(server: ReferenceServer) -> None:
    result = run_nanoctl("-t", "-", "login", env=url_env(server), stdin=api.VALID)

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines == authenticated_lines(server)


def test_a_token_value_before_login_is_never_repeated(server: ReferenceServer) -> None:
    """Was: "The command "x" does not exist. Did you mean `exec`?": the token was read as
    a command's name, and shown when it looked like one."""
    result = run_nanoctl("-t", PASTED, "login", env=url_env(server), secrets=[PASTED])

    assert result.exit_code == 3
    assert result.stderr_lines == [HISTORY_WARNING, invalid_line()]
    assert [r.bearer for r in server.requests] == [PASTED]


def test_a_flag_of_the_command_before_it_still_works(server: ReferenceServer) -> None:
    result = run_nanoctl("--offline", "-v", "--api-url", server.url, "status")

    assert result.exit_code == 1
    assert f"nanoctl: API URL: {server.url} (from --api-url)" in result.stderr_lines
    assert server.requests == []


# --- an option of another command, or of none ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "want"),
    [
        pytest.param(
            ["--token=" + PASTED, "logout"],
            "`--token` is an option of `login`, not of `logout`. "
            "Run `nanoctl logout --help` for its options.",
            id="--token=VALUE logout",
        ),
        pytest.param(
            ["--offline", "login"],
            "`--offline` is an option of `status` and `whoami`, not of `login`. "
            "Run `nanoctl login --help` for its options.",
            id="--offline login",
        ),
        pytest.param(
            ["--api-url", "https://api.example.com", "logout"],
            "`--api-url` is an option of `login`, `status`, `whoami`, `token`, `exec` and "
            "`api`, not of `logout`. Run `nanoctl logout --help` for its options.",
            id="--api-url URL logout",
        ),
        pytest.param(
            ["--token"],
            "`--token` is an option of `login`: put it after the command. "
            "For example: `nanoctl login --token …`.",
            id="--token and no command",
        ),
        pytest.param(
            ["-T", PASTED, "login"],
            'The option "-T" does not exist. Did you mean `-t`? '
            "Run `nanoctl login --help` for usage.",
            id="-T VALUE login",
        ),
        pytest.param(
            ["--tokn", PASTED, "login"],
            'The option "--tokn" does not exist. Did you mean `--token`? '
            "Run `nanoctl login --help` for usage.",
            id="--tokn VALUE login",
        ),
    ],
)
def test_an_option_of_another_command_is_named_as_such(args: list[str], want: str) -> None:
    result = run_nanoctl(*args, secrets=[PASTED])

    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == f"Error: {want}"


# --- exec without `--` --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "want"),
    [
        pytest.param(
            ["sh", "-c", "touch ran"],
            "`-c` after the program would be read as an option of `nanoctl exec`; nothing was "
            "run. Put `--` before the program, and everything after it is the program's: "
            "`nanoctl exec -- sh …`.",
            id="sh -c",
        ),
        pytest.param(
            ["--check", "./deploy.sh", "--mask"],
            "`--mask` after the program would be read as an option of `nanoctl exec`; nothing "
            "was run. Put `--` before the program, and everything after it is the program's: "
            "`nanoctl exec -- PROGRAM …`.",
            id="./deploy.sh --mask",
        ),
        pytest.param(
            [PASTED, f"--{PASTED}"],
            "An option after the program would be read as an option of `nanoctl exec`; nothing "
            "was run. Put `--` before the program, and everything after it is the program's: "
            "`nanoctl exec -- PROGRAM …`.",
            id="nothing shown that could be a token",
        ),
    ],
)
def test_exec_without_the_separator_says_to_put_it_before_the_program(
    args: list[str], want: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: "The option "-c" does not exist. Did you mean `--check`?"."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run_nanoctl("exec", *args, env={"NANOSERVICES_TOKEN": api.VALID}, secrets=[PASTED])

    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == f"Error: {want}"
    assert list(work.iterdir()) == []


def test_exec_with_the_separator_runs_the_program_with_its_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_nanoctl(
        "exec", "--", "sh", "-c", "touch ran", env={"NANOSERVICES_TOKEN": api.VALID}
    )

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "ran").is_file()


# --- habits of other tools, and capitals -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "want"),
    [
        pytest.param(
            ["auth", "login"],
            'The command "auth" does not exist; nanoctl\'s commands are not grouped under it. '
            "Did you mean `login`? Run `nanoctl login --help` for usage.",
            id="auth login",
        ),
        pytest.param(
            ["auth", "whoami", "--json"],
            'The command "auth" does not exist; nanoctl\'s commands are not grouped under it. '
            "Did you mean `whoami`? Run `nanoctl whoami --help` for usage.",
            id="auth whoami",
        ),
        pytest.param(
            ["auth"],
            'The command "auth" does not exist; nanoctl\'s commands are not grouped under it. '
            "Did you mean `login`, `logout` or `status`? Run `nanoctl --help` to see the "
            "commands.",
            id="auth",
        ),
        pytest.param(
            ["LOGIN"],
            'The command "LOGIN" does not exist. Did you mean `login`? '
            "Run `nanoctl login --help` for usage.",
            id="LOGIN",
        ),
        pytest.param(
            ["WhoAmI"],
            'The command "WhoAmI" does not exist. Did you mean `whoami`? '
            "Run `nanoctl whoami --help` for usage.",
            id="WhoAmI",
        ),
        pytest.param(
            ["status", "--JSON"],
            'The option "--JSON" does not exist. Did you mean `--json`? '
            "Run `nanoctl status --help` for usage.",
            id="status --JSON",
        ),
    ],
)
def test_a_habit_or_a_capital_gets_the_command_meant(args: list[str], want: str) -> None:
    result = run_nanoctl(*args)

    assert (result.exit_code, result.stdout) == (2, "")
    if "--json" in args:
        assert one_line(result).startswith('{"error": {"code": 2, "kind": "usage"')
    else:
        assert one_line(result) == f"Error: {want}"
