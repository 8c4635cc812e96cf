"""Token sources and the prompt: what is read, from where, and when we refuse to ask."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

import pytest

from nanoctl.adapters.terminal.confirmation import TerminalReplaceConfirmation
from nanoctl.adapters.terminal.prompt import PromptTokenSource
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.adapters.terminal.token_sources import EnvironmentTokenSource, FlagTokenSource
from nanoctl.domain.errors import Cancelled, MalformedToken, NoTokenAvailable, TokenFromTerminal
from nanoctl.domain.model import MAX_TOKEN_INPUT
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.errors import explain
from nanoctl.entrypoints.words.questions import TOKEN_PROMPT, replace_question
from tests.fakes import FakeClock
from tests.unit.builders import credential, selection


def terminal(
    stdin: str = "", *, tty: bool = True, interactive: bool = True, ci: bool = False
) -> Terminal:
    return Terminal(
        stdin=io.StringIO(stdin),
        stderr=io.StringIO(),
        stdin_isatty=tty,
        interactive=interactive,
        ci=ci,
    )


def confirmation(term: Terminal) -> TerminalReplaceConfirmation:
    chosen = selection(credential().api_url)
    return TerminalReplaceConfirmation(
        term,
        lambda current, now: replace_question(current, now, chosen, Context.of(chosen)),
        FakeClock(),
    )


def test_environment_source_reads_nanoservices_token() -> None:
    token = EnvironmentTokenSource({"NANOSERVICES_TOKEN": " env-token "}).read()
    assert token is not None
    assert token.reveal() == "env-token"


def test_unset_environment_gives_no_token() -> None:
    assert EnvironmentTokenSource({}).read() is None


@pytest.mark.parametrize("value", ["", " ", "\n"], ids=["empty", "a space", "a newline"])
@pytest.mark.parametrize("name", ["NANOSERVICES_TOKEN", "NANOSERVICES_TOKEN_FILE"])
def test_a_set_but_empty_environment_token_counts_as_unset(name: str, value: str) -> None:
    """As gh treats an empty GH_TOKEN: the login the errors suggest must then work (#19)."""
    source = EnvironmentTokenSource({name: value})
    assert source.read() is None
    assert source.origin is TokenOrigin.ENVIRONMENT


def test_an_empty_variable_beside_the_other_is_no_conflict(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("file-token-0001\n")
    source = EnvironmentTokenSource(
        {"NANOSERVICES_TOKEN": "", "NANOSERVICES_TOKEN_FILE": str(token_file)}
    )
    assert source.origin is TokenOrigin.ENVIRONMENT_FILE
    token = source.read()
    assert token is not None
    assert token.reveal() == "file-token-0001"


def test_flag_source_uses_the_literal_value() -> None:
    source = FlagTokenSource("flag-token", terminal())
    assert source.origin is TokenOrigin.FLAG
    token = source.read()
    assert token is not None
    assert token.reveal() == "flag-token"


def test_dash_reads_one_token_from_piped_stdin() -> None:
    source = FlagTokenSource("-", terminal("piped-token\n", tty=False))
    assert source.origin is TokenOrigin.STDIN
    token = source.read()
    assert token is not None
    assert token.reveal() == "piped-token"


@pytest.mark.parametrize(
    "piped", ["", "\n", "one\ntwo\n", "x" * 5000], ids=["empty", "blank", "two", "huge"]
)
def test_bad_stdin_is_malformed(piped: str) -> None:
    with pytest.raises(MalformedToken) as caught:
        FlagTokenSource("-", terminal(piped, tty=False)).read()
    assert "standard input" in str(explain(caught.value))


@pytest.mark.parametrize(
    "piped",
    [
        "piped-token" + "\n" * 5000,
        " " * 5000 + "piped-token",
        "\n\t " * 3000 + "piped-token" + " \r\n" * 3000,
        " " * (MAX_TOKEN_INPUT - len("piped-token")) + "piped-token",
    ],
    ids=["5000 newlines after", "5000 spaces before", "both, mixed", "up to the input cap"],
)
def test_whitespace_around_a_piped_token_is_trimmed_however_long(piped: str) -> None:
    token = FlagTokenSource("-", terminal(piped, tty=False)).read()
    assert token is not None
    assert token.reveal() == "piped-token"


@pytest.mark.parametrize(
    ("piped", "reason"),
    [
        (" " * 5000 + "x" * 4097 + "\n" * 5000, "it is longer than 4096 characters"),
        ("\n" * 5000, "it is empty"),
        (" " * 5000 + "one\ntwo" + " " * 5000, "it spans several lines"),
        (" " * MAX_TOKEN_INPUT + "piped-token", "the input goes on past 1,048,576 characters"),
        ("y\n" * MAX_TOKEN_INPUT, "the input goes on past 1,048,576 characters"),
    ],
    ids=["too long", "only newlines", "two lines", "past the cap", "a runaway pipe"],
)
def test_a_padded_piped_input_is_refused_for_its_real_reason(piped: str, reason: str) -> None:
    with pytest.raises(MalformedToken) as caught:
        FlagTokenSource("-", terminal(piped, tty=False)).read()
    assert explain(caught.value).cause == (
        f"The token from standard input (--token -) is malformed: {reason}."
    )


def test_dash_with_a_terminal_on_stdin_refuses_instead_of_echoing_typed_input() -> None:
    with pytest.raises(TokenFromTerminal) as caught:
        FlagTokenSource("-", terminal(tty=True)).read()
    assert "pipe" in str(explain(caught.value))


def test_prompt_asks_with_the_documented_text_and_returns_the_typed_token() -> None:
    asked: list[str] = []

    def getpass(prompt: str, stream: TextIO) -> str:
        asked.append(prompt)
        return "typed-token"

    token = PromptTokenSource(terminal(), TOKEN_PROMPT, getpass).read()
    assert token.reveal() == "typed-token"
    assert asked == [TOKEN_PROMPT]
    assert TOKEN_PROMPT.splitlines() == [
        "Please provide the token for authentication. "
        "You can create it on https://atomic.deskree.com/auth/access/token",
        "Token (input hidden): ",  # says that what is typed is not shown, as ssh and hf do
    ]


@pytest.mark.parametrize(
    ("tty", "interactive"), [(False, True), (True, False)], ids=["no tty", "-n"]
)
def test_prompt_refuses_at_once_without_a_terminal(tty: bool, interactive: bool) -> None:
    def getpass(prompt: str, stream: TextIO) -> str:
        raise AssertionError("must not prompt")

    with pytest.raises(NoTokenAvailable) as caught:
        PromptTokenSource(terminal(tty=tty, interactive=interactive), TOKEN_PROMPT, getpass).read()
    words = str(explain(caught.value))
    assert "NANOSERVICES_TOKEN" in words
    assert "--token -" in words
    assert ("--no-interaction" in words) is (not interactive)


def test_no_terminal_hint_is_written_for_ci_when_ci_is_set() -> None:
    with pytest.raises(NoTokenAvailable) as caught:
        PromptTokenSource(terminal(tty=False, ci=True), TOKEN_PROMPT).read()
    assert "In CI" in str(explain(caught.value))


@pytest.mark.parametrize("interrupt", [EOFError, KeyboardInterrupt])
def test_eof_or_ctrl_c_at_the_prompt_cancels(interrupt: type[BaseException]) -> None:
    def getpass(prompt: str, stream: TextIO) -> str:
        raise interrupt

    with pytest.raises(Cancelled) as caught:
        PromptTokenSource(terminal(), TOKEN_PROMPT, getpass).read()
    assert str(explain(caught.value)) == "Authentication cancelled."


@pytest.mark.parametrize(
    ("answer", "want"), [("y\n", True), ("YES\n", True), ("\n", False), ("n\n", False)]
)
def test_replace_question_defaults_to_no(answer: str, want: bool) -> None:
    term = terminal(answer)
    assert confirmation(term).confirm_replace(credential()) is want
    question = term.stderr.getvalue()  # type: ignore[attr-defined]
    assert "already logged in" in question
    assert "ada" in question
    assert "[y/N]" in question


def test_replace_question_is_not_asked_with_no_interaction() -> None:
    term = terminal("y\n", interactive=False)
    assert confirmation(term).confirm_replace(credential()) is False
    assert term.stderr.getvalue() == ""  # type: ignore[attr-defined]


def test_eof_at_the_replace_question_cancels() -> None:
    with pytest.raises(Cancelled):
        confirmation(terminal("")).confirm_replace(credential())


class _InterruptedAsShown(io.StringIO):
    """A Ctrl-C that lands the moment the question reaches the terminal (in its flush)."""

    def __init__(self) -> None:
        super().__init__()
        self.interrupted = False

    def flush(self) -> None:
        if not self.interrupted:
            self.interrupted = True
            raise KeyboardInterrupt
        super().flush()


def test_ctrl_c_as_the_replace_question_appears_cancels_and_ends_its_line() -> None:
    err = _InterruptedAsShown()
    term = Terminal(
        stdin=io.StringIO("y\n"), stderr=err, stdin_isatty=True, interactive=True, ci=False
    )

    with pytest.raises(Cancelled):
        confirmation(term).confirm_replace(credential())

    assert err.interrupted
    assert err.getvalue().endswith("[y/N] \n")  # "Authentication cancelled." on a line of its own
