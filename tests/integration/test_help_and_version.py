"""The installed `nanoctl` asked for help or its version: one front page for every
entry point, a command's own page where one is named, and no error when the reader
of the page is gone."""

from __future__ import annotations

import sys

import pytest

from nanoctl.entrypoints.cli.front_page import front_page
from tests.integration.cli_harness import run_with_reader_gone
from tests.integration.in_process import run_nanoctl

BOGUS = 'Error: The option "--bogus" does not exist. Run `nanoctl --help` for usage.'


@pytest.mark.parametrize(
    ("args", "command"),
    [
        pytest.param((), None, id="nanoctl"),
        pytest.param(("--help",), None, id="nanoctl --help"),
        pytest.param(("-h",), None, id="nanoctl -h"),
        pytest.param(("help",), None, id="nanoctl help"),
        pytest.param(("list",), None, id="nanoctl list"),
        pytest.param(("--no-ansi", "-v", "--help"), None, id="nanoctl --no-ansi -v --help"),
        pytest.param(("--help", "--bogus"), None, id="nanoctl --help --bogus"),
        pytest.param(("--help",), [sys.executable, "-m", "nanoctl"], id="python -m nanoctl --help"),
    ],
)
def test_every_way_of_asking_for_help_prints_the_one_front_page(
    args: tuple[str, ...], command: list[str] | None
) -> None:
    result = run_nanoctl(*args, command=command)

    assert (result.exit_code, result.stdout, result.stderr) == (0, front_page(), "")


@pytest.mark.parametrize(
    "args", [("-q", "--help"), ("--quiet",), ("-q", "--version")], ids=" ".join
)
def test_quiet_help_and_version_print_nothing(args: tuple[str, ...]) -> None:
    result = run_nanoctl(*args)

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("name", ["login", "logout", "status", "whoami"])
def test_a_named_command_gets_its_own_help_page_both_ways(name: str) -> None:
    flag = run_nanoctl(name, "--help")
    command = run_nanoctl("help", name)

    assert flag.exit_code == command.exit_code == 0
    assert flag.stdout == command.stdout
    # how to run it, with the program's name (#23), then what it does
    assert flag.stdout_lines[:2] == [f"Usage: nanoctl {name} [options]", ""]
    assert flag.stdout_lines[2].endswith(".")


def test_an_unknown_option_without_help_is_a_usage_error() -> None:
    result = run_nanoctl("--bogus")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr_lines == [BOGUS]


@pytest.mark.parametrize("args", [("--help",), ("--version",)], ids=" ".join)
def test_a_reader_gone_before_the_front_page_is_written_is_not_an_error(
    args: tuple[str, ...],
) -> None:
    """`nanoctl --help | head -0`: the pipe is closed before nanoctl writes."""
    code, stderr = run_with_reader_gone(*args)
    assert (code, stderr) == (0, "")
