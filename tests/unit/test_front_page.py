"""The front page and the version: one page however it is asked for, and the same
bytes whether `cli.main()` answers before cleo is imported or cleo answers."""

from __future__ import annotations

import io
import re

import pytest
from cleo.io.inputs.argv_input import ArgvInput
from cleo.io.outputs.stream_output import StreamOutput

from nanoctl.adapters.terminal import token_sources
from nanoctl.entrypoints import settings
from nanoctl.entrypoints.cli.app import NanoctlApplication
from nanoctl.entrypoints.cli.front_page import front_page
from nanoctl.entrypoints.cli.main import early_answer
from nanoctl.entrypoints.cli.table import COMMANDS, GLOBAL_OPTIONS

FRONT_PAGE = """\
nanoctl 0.1.0: the command-line client of the Nanoservices platform.

Usage: nanoctl <command> [options]

Commands:
  login        Authenticate with an API token and check it against the API.
  logout       Remove the stored credential and its encryption key.
  status       Show who is authenticated, with which token, and until when.
  whoami       Alias of `status`.
  token        Print the current token for another tool: `nanoctl token | …`.
  exec         Run a command with the current token in its environment.
  api          Call the API with the current token: `nanoctl api /login`.
  help         Show a command's help page: `nanoctl help login`.
  completions  Print the completion script of bash, zsh or fish.

Global options (before or after the command):
      --profile=NAME    The profile to use (default: `default`).
  -v, --verbose         -v decisions; -vv adds HTTP; -vvv adds tracebacks.
  -q, --quiet           Print nothing but errors.
  -n, --no-interaction  Never ask a question.
      --ansi            Force colours (default: on a terminal without NO_COLOR).
      --no-ansi         Never use colours.
  -h, --help            Show this page; with a command, that command's page.
  -V, --version         Print the version.

Environment:
  NANOSERVICES_TOKEN       the token; beats the stored credential, never stored
  NANOSERVICES_TOKEN_FILE  a file holding the token; counts as the above
  NANOSERVICES_API_URL     the API base URL (--api-url beats it)
  NANOCTL_PROFILE          the profile to use (--profile beats it)
  NANOCTL_CONFIG_DIR       where the credentials live
  NANOCTL_KEYRING=0        keep the encryption key in a file, not the OS keyring
  NANOCTL_HTTP_TIMEOUT     connect/read timeout in seconds (default 10)
  NO_COLOR                 no colours

`nanoctl help <command>` (or `nanoctl <command> --help`) shows a command's
options, examples and exit codes.
"""
VERSION = "nanoctl 0.1.0\n"


def cleo_run(*args: str) -> tuple[int, str, str]:
    """The command line through the cleo application, as `main()` runs it."""
    app = NanoctlApplication()
    app.auto_exits(False)
    out, err = io.StringIO(), io.StringIO()
    code = app.run(ArgvInput(["nanoctl", *args]), StreamOutput(out), StreamOutput(err))
    return code, out.getvalue(), err.getvalue()


def test_the_front_page() -> None:
    assert front_page() == FRONT_PAGE


# Every way to ask for the front page, and the global flags that leave it as it is;
# the fast path answers the usual ones (True) and leaves the odd ones to cleo (False).
FRONT_PAGE_LINES = [
    ((), True),
    (("--help",), True),
    (("-h",), True),
    (("help",), True),
    (("list",), True),
    (("-v", "help"), True),
    (("help", "-n"), True),
    (("--verbose", "list"), True),
    (("-vv",), True),
    (("--ansi",), True),
    (("--no-ansi", "--help"), True),
    (("--ansi", "-h", "-vvv"), True),
    (("--help", "--bogus"), True),  # cleo describes `list` and ignores the rest
    (("--help=x",), True),
    (("help", "list"), False),
    (("-", "--help"), False),
    (("--", "-V"), False),  # after `--`, -V is an argument
]
QUIET_LINES = [("-q",), ("--quiet", "--help"), ("-q", "help"), ("-n", "-q"), ("-q", "-V")]
VERSION_LINES = [
    ("--version",),
    ("-V",),
    ("login", "-V"),  # cleo looks for the option before anything else
    ("status", "--offline", "--version"),
    ("--bogus", "--version"),
    ("-Vx",),
    ("--version=1",),
]
# Where cleo must answer: a command's own help page, errors, cleo's verbosity variable.
CLEO_LINES = [
    ("login", "--help"),
    ("help", "login"),
    ("whoami", "-h"),
    ("help", "--help"),
    ("--help", "--", "login"),
    ("--bogus",),
    ("logn",),
    ("list", "extra"),
    ("-qn",),
    ("--quiet=1",),
    ("-q", "--help", "--", "nothing"),
]


@pytest.mark.parametrize(
    ("args", "early"),
    FRONT_PAGE_LINES,
    ids=[" ".join(args) or "(bare)" for args, _ in FRONT_PAGE_LINES],
)
def test_every_way_of_asking_prints_the_front_page_with_or_without_cleo(
    args: tuple[str, ...], early: bool
) -> None:
    assert cleo_run(*args) == (0, FRONT_PAGE, "")
    assert early_answer(args, {}) == (FRONT_PAGE if early else None)


@pytest.mark.parametrize("args", QUIET_LINES, ids=" ".join)
def test_quiet_prints_nothing_with_or_without_cleo(args: tuple[str, ...]) -> None:
    assert early_answer(args, {}) == ""
    assert cleo_run(*args) == (0, "", "")


@pytest.mark.parametrize("args", VERSION_LINES, ids=" ".join)
def test_the_version_is_the_same_with_or_without_cleo(args: tuple[str, ...]) -> None:
    assert early_answer(args, {}) == VERSION
    assert cleo_run(*args) == (0, VERSION, "")


@pytest.mark.parametrize("args", CLEO_LINES, ids=" ".join)
def test_command_lines_only_cleo_can_answer_are_left_to_it(args: tuple[str, ...]) -> None:
    assert early_answer(args, {}) is None
    _, out, _ = cleo_run(*args)
    assert out != FRONT_PAGE  # else the fast path should have answered it


def test_shell_verbosity_is_left_to_cleo() -> None:
    """cleo's own variable sets the verbosity (and fails on a non-number)."""
    assert early_answer(("--version",), {"SHELL_VERBOSITY": "-1"}) is None
    assert early_answer((), {"SHELL_VERBOSITY": "1"}) is None


def test_every_command_says_what_the_table_says() -> None:
    app = NanoctlApplication()
    for entry in COMMANDS:
        command = app.find(entry.name)
        assert command.name == entry.name
        assert command.description == entry.description
        assert command.hidden is entry.hidden
        if not entry.hidden:
            assert f"\n  {entry.name.ljust(11)}  {entry.description}\n" in FRONT_PAGE


def test_cleo_parses_the_global_options_of_the_table() -> None:
    options = NanoctlApplication().definition.options
    assert [(o.name, o.shortcut, o.description) for o in options] == [
        (o.name, o.shortcut, o.description) for o in GLOBAL_OPTIONS
    ]


def test_the_front_page_names_every_variable_the_settings_read() -> None:
    for name in (
        settings.API_URL_ENV,
        settings.CONFIG_DIR_ENV,
        settings.TIMEOUT_ENV,
        settings.PROFILE_ENV,
    ):
        assert f"\n  {name}  " in FRONT_PAGE
    assert f"\n  {settings.KEYRING_ENV}=0  " in FRONT_PAGE
    for name in (token_sources.ENV_TOKEN, token_sources.ENV_TOKEN_FILE):
        assert f"\n  {name}  " in FRONT_PAGE


# --- every help page is aligned ----------------------------------------------------------

_ROW = re.compile(r"^ {2,4}(\S+(?: \S+)*?)( {2,})(\S.*)$")


def _misaligned(page: str) -> list[str]:
    """Within each block of two-column rows (the lines between blank lines or section
    titles), the rows whose second column starts elsewhere than the block's first."""
    problems: list[str] = []
    column: int | None = None
    for line in page.splitlines():
        match = _ROW.match(line)
        if match is None:
            column = None
            continue
        start = match.start(3)
        if column is None:
            column = start
        elif start != column:
            problems.append(line)
    return problems


@pytest.mark.parametrize("name", [entry.name for entry in COMMANDS], ids=str)
def test_every_help_page_is_aligned(name: str) -> None:
    code, page, err = cleo_run("help", name)

    assert (code, err) == (0, "")
    assert _misaligned(page) == []


def test_the_alignment_check_sees_a_misaligned_row() -> None:
    """Guards the guard: the row login's help page used to have."""
    page = "Help:\n  --token -            read\n  the prompt             hidden\n"
    assert _misaligned(page) == ["  the prompt             hidden"]
