"""Agent mode (#25) at a real terminal (pexpect): some agents run commands in one, and a
person may sit there too. Nothing is asked (no prompt, no replace question, no import
offer), `exec` masks the program's output at the terminal as well, `token --reveal` is
refused, and nothing is coloured or wrapped. ``NANOCTL_AGENT=0`` gives the person it all back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from nanoctl.entrypoints.agent import AGENT_ENV
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    ANSI,
    NOT_LOGGED_IN_LINE,
    PROMPT_LINE,
    PtySession,
    config_dir,
    files_under,
    login_interactively,
    run_nanoctl,
    store_credential,
)
from tests.integration.test_agent_mode import AGENTS, OVERRIDDEN, no_prompt, refused_token
from tests.integration.test_exec_masking import PYTHON, REPORT, b64_form
from tests.legacy_files import write_legacy


def env_with(
    agent: dict[str, str], server: ReferenceServer, **more: str | None
) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, **agent, **more}


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_login_at_a_terminal_never_prompts_an_agent(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    session = PtySession("login", env=env_with(agent, server))
    result = session.finish()

    assert result.exit_code == 2
    assert result.lines == [no_prompt(variable)]
    assert PROMPT_LINE not in result.transcript
    assert files_under(config_dir()) == {}
    assert server.requests == []


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN[:3])
def test_login_at_a_terminal_prompts_the_person_who_turned_it_off(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = login_interactively(api.VALID, env=env_with(agent, server))

    assert result.lines[0] == PROMPT_LINE
    assert (config_dir() / "credentials.json").exists()


def test_login_keeps_a_credential_for_the_same_api_without_asking(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    before = files_under(config_dir())
    without_terminal = run_nanoctl("login", env={"NANOSERVICES_API_URL": server.url})

    session = PtySession("login", env=env_with({"CLAUDECODE": "1"}, server))
    result = session.finish()

    assert (result.exit_code, without_terminal.exit_code) == (0, 0)
    assert result.lines == without_terminal.stdout_lines  # "Already logged in as ada …"
    assert "[y/N]" not in result.transcript
    assert files_under(config_dir()) == before


def test_login_never_replaces_a_credential_for_another_api(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    before = files_under(config_dir())

    session = PtySession("login", env=env_with({"GEMINI_CLI": "1"}, other_host_server))
    result = session.finish()

    assert result.exit_code == 1
    assert "[y/N]" not in result.transcript
    assert len(result.lines) == 1
    assert result.lines[0].startswith("Error: Profile default holds the credential of ada for ")
    assert files_under(config_dir()) == before


def test_login_replaces_no_expired_credential_without_a_token(server: ReferenceServer) -> None:
    """An expired one may go without a question, but only for a token: there is none."""
    store_credential(server.url, api.EXPIRED, server.after(days=-2))
    before = files_under(config_dir())

    session = PtySession("login", env=env_with({"CURSOR_AGENT": "1"}, server))
    result = session.finish()

    assert (result.exit_code, result.lines) == (2, [no_prompt("CURSOR_AGENT")])
    assert files_under(config_dir()) == before


def test_login_offers_no_import_of_the_old_nanoctl_s_token(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    session = PtySession("login", env=env_with({"COPILOT_CLI": "1"}, server))
    result = session.finish()

    assert (result.exit_code, result.lines) == (2, [no_prompt("COPILOT_CLI")])
    assert "import it?" not in result.transcript
    assert path.read_bytes() == before
    assert files_under(config_dir()) == {}
    assert server.requests == []


# --- exec and token at a terminal -------------------------------------------------------------


@pytest.mark.parametrize("options", [[], ["--no-mask"]], ids=["default", "--no-mask"])
@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_exec_masks_at_a_terminal_for_an_agent(
    agent: dict[str, str], variable: str, options: list[str]
) -> None:
    env = {**agent, "NANOSERVICES_TOKEN": api.VALID, "NANOSERVICES_API_URL": "https://x.test"}
    session = PtySession("exec", *options, "--", PYTHON, "-c", REPORT, env=env)

    session.expect_exact("ready")
    session.child.sendline("go")
    result = session.finish()

    assert result.exit_code == 0
    warned = [
        f"Warning: --no-mask is ignored in agent mode (from {variable}): the token stays "
        "masked in the command's output."
    ]
    assert result.lines == [
        *(warned if options else []),
        "[True, False, False]",  # its stdout and stderr: the mask's pipes
        "form eDpu***",
        "form eDpu***",
        "ready",
        "go",
        "bye",
    ]
    assert b64_form(api.VALID) not in result.transcript


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN[:3])
def test_exec_at_a_terminal_is_the_program_s_own_when_turned_off(
    agent: dict[str, str], variable: str
) -> None:
    env = {**agent, "NANOSERVICES_TOKEN": api.VALID, "NANOSERVICES_API_URL": "https://x.test"}
    session = PtySession("exec", "--", PYTHON, "-c", REPORT, env=env)

    session.expect_exact("ready")
    session.child.sendline("go")
    result = session.finish()

    assert result.lines[:2] == ["[True, True, True]", f"form {b64_form(api.VALID)}"]


@pytest.mark.parametrize(("agent", "variable"), AGENTS[::3])
def test_token_reveal_at_a_terminal_is_refused_to_an_agent(
    agent: dict[str, str], variable: str
) -> None:
    env = {**agent, "NANOSERVICES_TOKEN": api.VALID}
    result = PtySession("token", "--reveal", env=env).finish()

    assert (result.exit_code, result.lines) == (2, [refused_token(variable)])


# --- no colour, no wrapping -------------------------------------------------------------------


def test_status_at_a_terminal_has_colours_but_not_for_an_agent(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    person = PtySession("status", env=env_with({}, server)).finish()
    agent = PtySession("status", "--ansi", env=env_with({"CLAUDECODE": "1"}, server)).finish()

    assert (person.exit_code, agent.exit_code) == (0, 0)
    assert ANSI in person.transcript
    assert ANSI not in agent.transcript
    assert agent.lines == [
        *person.lines,
        "  Agent mode:   on (from CLAUDECODE): `token` refuses, `exec` always masks, "
        "`login` never prompts",
    ]


def test_an_error_at_a_narrow_terminal_is_one_line_for_an_agent(server: ReferenceServer) -> None:
    person = PtySession("status", env=env_with({}, server), columns=40).finish()
    agent = PtySession("status", env=env_with({AGENT_ENV: "1"}, server), columns=40).finish()

    assert (person.exit_code, agent.exit_code) == (1, 1)
    assert len(person.lines) > 1  # wrapped at spaces to 40 columns, for a person
    assert " ".join(person.lines) == NOT_LOGGED_IN_LINE
    assert agent.lines == [NOT_LOGGED_IN_LINE]
