"""`nanoctl exec`'s program name in what nanoctl prints (#20): an empty name is "not found"
as in a shell, a directory on PATH is not a program, and a name that is (or holds) the
current token is never shown, in an error or on a -v line.

Every run goes through the harness, which also fails on any known token in the output; the
assertions below say what is shown instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import one_line, run_nanoctl, store_credential, url_env

FIND_PROGRAM = "Check its name and PATH, or give its path (`nanoctl exec -- ./script …`)."
RUN_IT_RIGHT = (
    "Check that it is an executable file (`chmod +x` a script of yours), or run it through "
    "its interpreter (`nanoctl exec -- sh script`)."
)


def test_an_empty_program_name_is_127_not_found_as_in_a_shell(server: ReferenceServer) -> None:
    """`nanoctl exec -- "$CMD"` with CMD unset: bash and env say 127, "not found"."""
    result = run_nanoctl("exec", "--", "", "arg", env=url_env(server, api.VALID))

    assert result.exit_code == 127
    assert one_line(result) == (
        "Error: Command not found: the program name after `--` is empty. "
        "Check the command line: an unset or empty variable gives an empty name."
    )


def test_a_directory_on_path_is_not_a_program_127_as_in_a_shell(
    server: ReferenceServer, tmp_path: Path
) -> None:
    """bash skips a directory named like the program in a PATH entry: not found, 127."""
    (tmp_path / "bin" / "deploy").mkdir(parents=True)
    env = {**url_env(server, api.VALID), "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"}

    result = run_nanoctl("exec", "--", "deploy", env=env)

    assert result.exit_code == 127
    assert one_line(result) == f"Error: Command not found: deploy. {FIND_PROGRAM}"


@pytest.mark.parametrize(
    "program",
    [
        pytest.param(api.VALID, id="the token"),
        pytest.param(f"./{api.VALID}", id="a path ending in it"),
        pytest.param(f"/nonexistent/{api.VALID}/deploy", id="a path holding it"),
    ],
)
@pytest.mark.parametrize("stored", [False, True], ids=["environment token", "stored token"])
def test_a_program_name_holding_the_current_token_is_not_shown(
    server: ReferenceServer, program: str, stored: bool
) -> None:
    if stored:
        store_credential(server.url, api.VALID, server.after(days=30))
    env = url_env(server, None if stored else api.VALID)
    shown = program.replace(api.VALID, "[redacted]")

    result = run_nanoctl("exec", "--", program, env=env)

    assert result.exit_code == 127
    assert one_line(result) == f"Error: Command not found: {shown}. {FIND_PROGRAM}"


def test_the_verbose_running_line_does_not_show_the_token_as_the_program(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("exec", "-v", "--", api.VALID, env=url_env(server, api.VALID))

    assert result.exit_code == 127
    assert "nanoctl: running [redacted] with the token in NANOSERVICES_TOKEN" in (
        result.stderr_lines
    )
    assert result.stderr_lines[-1] == f"Error: Command not found: [redacted]. {FIND_PROGRAM}"


def test_a_program_that_cannot_run_is_named_without_the_token(
    server: ReferenceServer, tmp_path: Path
) -> None:
    script = tmp_path / f"{api.VALID}.sh"
    script.write_text("echo hi\n")
    script.chmod(0o644)

    result = run_nanoctl("exec", "--", str(script), env=url_env(server, api.VALID))

    assert result.exit_code == 126
    assert one_line(result) == (
        f"Error: Cannot run {tmp_path}/[redacted].sh: permission denied (not an executable "
        f"file). {RUN_IT_RIGHT}"
    )


def test_a_token_put_in_the_timeout_variable_is_not_shown(server: ReferenceServer) -> None:
    """NANOCTL_HTTP_TIMEOUT="$TOKEN" (the wrong variable): the value is not repeated."""
    env = {**url_env(server, api.VALID), "NANOCTL_HTTP_TIMEOUT": api.VALID}

    result = run_nanoctl("status", env=env)

    assert result.exit_code == 2
    assert one_line(result) == (
        "Error: NANOCTL_HTTP_TIMEOUT is not a number of seconds (its value is not shown: it "
        "could be a token). Set NANOCTL_HTTP_TIMEOUT to a value between 0 and 600 (default 10)."
    )


@pytest.mark.parametrize("value", ["10s", "-5", "soon", "1e9"])
def test_a_timeout_that_cannot_be_a_token_is_still_shown(
    server: ReferenceServer, value: str
) -> None:
    env = {**url_env(server, api.VALID), "NANOCTL_HTTP_TIMEOUT": value}

    result = run_nanoctl("status", env=env)

    assert result.exit_code == 2
    assert one_line(result).startswith(f"Error: NANOCTL_HTTP_TIMEOUT={value!r} is not a number")
