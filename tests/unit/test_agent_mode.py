"""Agent mode (#25): which environments turn it on and off, and what a run in it may not do
at a terminal: no prompt, no question, whoever sits there."""

from __future__ import annotations

import io

import pytest

from nanoctl.adapters.terminal.confirmation import TerminalReplaceConfirmation
from nanoctl.adapters.terminal.legacy_question import TerminalLegacyImportConfirmation
from nanoctl.adapters.terminal.prompt import PromptTokenSource
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import NoTokenAvailable
from nanoctl.entrypoints.agent import AGENT_ENV, AGENT_VARIABLES, AgentMode, agent_mode
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.agent import unreadable_setting, verbose_line
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import FakeClock
from tests.unit.builders import credential


def test_the_issue_s_variables_are_all_detected() -> None:
    assert set(AGENT_VARIABLES) >= {
        "AI_AGENT",
        "AGENT",
        "CLAUDECODE",
        "CURSOR_AGENT",
        "GEMINI_CLI",
        "COPILOT_CLI",
        "CODEX_SANDBOX",
    }


@pytest.mark.parametrize("variable", AGENT_VARIABLES)
@pytest.mark.parametrize("value", ["1", "true", "seatbelt", "amp", "0.9", " 1 ", "false"])
def test_each_variable_set_to_anything_but_empty_or_0_turns_it_on(
    variable: str, value: str
) -> None:
    mode = agent_mode({variable: value})
    assert (mode.on, mode.variable, mode.detected) == (True, variable, variable)


@pytest.mark.parametrize("variable", AGENT_VARIABLES)
@pytest.mark.parametrize("value", ["", "  ", "0", " 0\n"])
def test_each_variable_empty_or_0_does_not_count(variable: str, value: str) -> None:
    assert agent_mode({variable: value}) == AgentMode(None)
    assert not agent_mode({variable: value}).on


def test_no_variable_is_off() -> None:
    assert agent_mode({"PATH": "/bin", "CI": "true", "TERM": "dumb"}) == AgentMode(None)


def test_the_first_variable_of_the_list_is_named() -> None:
    both = {AGENT_VARIABLES[-1]: "1", AGENT_VARIABLES[0]: "1"}
    assert agent_mode(both).variable == AGENT_VARIABLES[0]


@pytest.mark.parametrize("value", ["1", "true", "YES", "on", " 1 "])
def test_nanoctl_agent_on_forces_it_without_any_agent(value: str) -> None:
    assert agent_mode({AGENT_ENV: value}) == AgentMode(AGENT_ENV)


@pytest.mark.parametrize("variable", AGENT_VARIABLES)
@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_nanoctl_agent_off_beats_every_detected_agent(variable: str, value: str) -> None:
    mode = agent_mode({variable: "1", AGENT_ENV: value})
    assert (mode.on, mode.variable, mode.detected) == (False, None, variable)


def test_an_empty_nanoctl_agent_leaves_it_to_detection() -> None:
    assert agent_mode({AGENT_ENV: "", "CLAUDECODE": "1"}).variable == "CLAUDECODE"
    assert not agent_mode({AGENT_ENV: " "}).on


@pytest.mark.parametrize("value", ["2", "maybe", "nano_Tk9Qx2Vb7Lm4"])
def test_an_unreadable_nanoctl_agent_is_on_the_safe_side(value: str) -> None:
    mode = agent_mode({AGENT_ENV: value, "CLAUDECODE": "0"})
    assert (mode.on, mode.variable, mode.unreadable) == (True, AGENT_ENV, value)


def test_the_warning_of_an_unreadable_value_never_repeats_what_could_be_a_token() -> None:
    assert unreadable_setting(agent_mode({AGENT_ENV: "2"})) == (
        "NANOCTL_AGENT='2' is neither 1 nor 0; agent mode is on. Set NANOCTL_AGENT=1 or "
        "NANOCTL_AGENT=0, or unset it to detect an agent by its variables."
    )
    hidden = unreadable_setting(agent_mode({AGENT_ENV: "nano_Tk9Qx2Vb7Lm4"}))
    assert "nano_Tk9Qx2Vb7Lm4" not in hidden
    assert hidden.startswith("NANOCTL_AGENT (its value is not shown: it could be a token) is ")


@pytest.mark.parametrize(
    ("environ", "want"),
    [
        ({"CLAUDECODE": "1"}, "agent mode: on (from CLAUDECODE)"),
        ({AGENT_ENV: "1", "CURSOR_AGENT": "1"}, "agent mode: on (from NANOCTL_AGENT)"),
        (
            {AGENT_ENV: "0", "GEMINI_CLI": "1"},
            "agent mode: off (NANOCTL_AGENT=0, though GEMINI_CLI is set)",
        ),
        ({AGENT_ENV: "0"}, None),
        ({}, None),
    ],
)
def test_the_verbose_line_says_who_turned_it_on_or_off(
    environ: dict[str, str], want: str | None
) -> None:
    assert verbose_line(agent_mode(environ)) == want


def test_the_settings_of_a_run_carry_its_agent_mode() -> None:
    assert Settings.from_environment({"COPILOT_CLI": "1"}).agent.variable == "COPILOT_CLI"
    assert not Settings.from_environment({}).agent.on


# --- nobody is asked anything at a terminal in agent mode ------------------------------------


def agents_terminal(agent: str | None = "CLAUDECODE") -> Terminal:
    """A terminal on stdin, with a person who would answer yes to anything."""
    return Terminal(
        stdin=io.StringIO("y\n"),
        stderr=io.StringIO(),
        stdin_isatty=True,
        interactive=True,
        ci=False,
        agent=agent,
    )


def test_an_agent_s_terminal_cannot_prompt() -> None:
    assert agents_terminal(None).can_prompt
    assert not agents_terminal().can_prompt


def test_the_prompt_refuses_before_reading_anything_and_says_why() -> None:
    asked: list[str] = []

    def getpass(prompt: str, stream: object) -> str:
        asked.append(prompt)
        return "nano_typed_Kq2xR9mZ4"

    terminal = agents_terminal()
    with pytest.raises(NoTokenAvailable) as raised:
        PromptTokenSource(terminal, "Token: ", getpass).read()

    assert asked == []
    assert terminal.stderr.getvalue() == ""  # type: ignore[attr-defined]
    assert raised.value.agent == "CLAUDECODE"
    assert str(explain(raised.value)) == (
        "No token given, and in agent mode (from CLAUDECODE) nanoctl never prompts for one. "
        "Tell the user: run `nanoctl login` in your own terminal, or set NANOSERVICES_TOKEN "
        "in the environment you start me from; never paste a token into this conversation."
    )


def test_no_question_is_asked_in_agent_mode() -> None:
    terminal = agents_terminal()
    replace = TerminalReplaceConfirmation(terminal, lambda current, now: "Replace? ", FakeClock())
    legacy = TerminalLegacyImportConfirmation(terminal, lambda path: "Import? ")

    assert (replace.can_ask, legacy.can_ask) == (False, False)
    assert replace.confirm_replace(credential()) is False
    assert legacy.confirm_import("/h/.nanoctl/token/token.enc") is False
    assert terminal.stderr.getvalue() == ""  # type: ignore[attr-defined]
    assert terminal.stdin.read() == "y\n"  # nothing was read
