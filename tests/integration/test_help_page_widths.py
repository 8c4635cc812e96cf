"""Every help page and the front page, laid out for the width they are read at (#23): at
60, 80 and 120 columns no line is wider than the terminal and no word is cut in two (the
words, read in order, are those of the page laid out on one very wide line); the width is
the terminal's, else COLUMNS, else 80."""

from __future__ import annotations

import pytest

from nanoctl.entrypoints.cli.table import COMMANDS
from tests.documented_exits import documented
from tests.integration.cli_harness import PtySession
from tests.integration.in_process import run_nanoctl

WIDTHS = (60, 80, 120)
PAGES = [
    ("--help",),
    ("help",),
    *(("help", row.name) for row in COMMANDS if not row.hidden),
    *((row.name, "--help") for row in COMMANDS if not row.hidden),
]


def page(args: tuple[str, ...], columns: int | None) -> str:
    env = {"COLUMNS": None if columns is None else str(columns)}
    result = run_nanoctl(*args, env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width]


def words(text: str) -> list[str]:
    """The words of a page in order; the `#` that starts each line of an example's comment
    is layout, not a word."""
    return [word for word in text.split() if word != "#"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", PAGES, ids=" ".join)
def test_no_line_is_wider_than_the_terminal_and_no_word_is_cut(
    args: tuple[str, ...], width: int
) -> None:
    laid_out = page(args, width)
    on_one_line = page(args, 10_000)

    assert too_wide(laid_out, width) == []
    assert words(laid_out) == words(on_one_line)  # the same words, none cut in two
    if width < 120:
        assert laid_out != on_one_line  # guards the guard: this page was wrapped


def test_a_page_in_a_pipe_is_laid_out_for_80_columns() -> None:
    assert page(("help", "login"), None) == page(("help", "login"), 80)
    assert page(("--help",), None) == page(("--help",), 80)


@pytest.mark.parametrize("args", [("login", "--help"), ("--help",)], ids=" ".join)
def test_a_terminal_of_60_columns_gets_its_width(args: tuple[str, ...]) -> None:
    """The width of a real terminal, without COLUMNS (the fast path of the front page and
    cleo's help pages alike)."""
    session = PtySession(*args, env={"COLUMNS": None}, columns=60)
    result = session.finish()

    assert result.exit_code == 0
    assert too_wide(result.transcript, 60) == []
    assert words(result.transcript) == words(page(args, 10_000))


def test_a_help_page_says_how_to_run_the_command_and_lists_the_global_options_once() -> None:
    text = page(("login", "--help"), 80)
    lines = text.splitlines()

    assert lines[0] == "Usage: nanoctl login [options]"
    assert text.count("--no-interaction") == 0  # the long form is on the front page only
    assert text.count("-n (never ask)") == 1
    assert [line for line in lines if line.endswith(":") and not line.startswith(" ")][-3:] == [
        "Global options (`nanoctl --help` describes them):",
        "Examples:",
        "Exit codes:",
    ]


def exit_code_rows(text: str) -> list[str]:
    section = text.split("\nExit codes:\n", 1)[1]
    return [line.split()[0] for line in section.splitlines() if line[:3].strip()]


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("login", ["0", "1", "2", "3", "4", "5", "130"]),
        ("logout", ["0", "1", "2", "5", "130"]),
        ("status", ["0", "1", "2", "3", "4", "5", "130"]),
        ("token", ["0", "1", "2", "3", "5", "130"]),
        ("exec", ["any", "1", "2", "3", "4", "5", "126", "127", "130"]),
        ("api", ["0", "1", "2", "3", "4", "5", "130"]),
        ("completions", ["0", "1", "2", "5", "130"]),
        ("help", ["0", "1", "2", "130"]),
    ],
)
def test_every_page_lists_every_exit_code_of_its_command(name: str, want: list[str]) -> None:
    """Derived from the errors each command declares and the boundary's one table; every
    run of the suite checks its exit code is listed (tests/documented_exits.py)."""
    assert exit_code_rows(page(("help", name), 80)) == want


def test_an_exit_code_no_page_lists_fails_the_run_that_returned_it() -> None:
    """Guards the guard of every harness run."""
    assert documented(["--profile", "dev", "logout"], 3) == (
        "`nanoctl logout` exited 3, which its help page does not list ([0, 1, 2, 5, 130]): "
        "declare the error in the command's `errors`"
    )
    assert documented(["logout"], 5) is None
    assert documented(["exec", "--", "false"], 1) is None  # the program's own
    assert documented(["-t", "x", "login"], 9) is None  # no command named first: no claim
