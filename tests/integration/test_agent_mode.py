"""Agent mode (#25) for every command, with each variable that turns it on and with the
override that turns it off, through nanoctl's entry point in the test's process (`exec`
as a process, which the in-process runner does by itself): `token` refuses, `login` never
prompts, `exec` always masks, `status` says so, and every command's -v names who turned it
on. Terminals are in test_agent_mode_pty.py.

No run may print a token (cli_harness), and no plain form of it either (``no_form_of``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reference_server as api
from nanoctl.domain.masking import token_forms
from nanoctl.entrypoints.agent import AGENT_ENV, AGENT_VARIABLES
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_LOGGED_IN_LINE,
    Result,
    config_dir,
    files_under,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl

VALUES = {"CODEX_SANDBOX": "seatbelt", "AGENT": "amp", "AI_AGENT": "claude-code"}
"""What some agents set (the others set 1)."""
AGENTS = [
    *(pytest.param({name: VALUES.get(name, "1")}, name, id=name) for name in AGENT_VARIABLES),
    pytest.param({AGENT_ENV: "1"}, AGENT_ENV, id=f"{AGENT_ENV}=1"),
]
"""Each way agent mode is turned on, and the variable -v and the errors name."""
OVERRIDDEN = [
    pytest.param({name: VALUES.get(name, "1"), AGENT_ENV: "0"}, name, id=f"{name}, {AGENT_ENV}=0")
    for name in AGENT_VARIABLES
]
"""Each agent's variable with the one override a person sets: agent mode off."""


def refused_token(variable: str) -> str:
    return (
        "Error: Refusing to print the token: nanoctl runs in agent mode "
        f"(from {variable}), and a token an agent reads stays in its transcript; --reveal "
        "does not change that. Use the token without seeing it: `nanoctl exec -- ./script …` "
        "runs a program with it in NANOSERVICES_TOKEN, its output masked; `nanoctl api /PATH` "
        "sends a request to the API with it."
    )


def no_prompt(variable: str, login: str = "`nanoctl login`") -> str:
    return (
        f"Error: No token given, and in agent mode (from {variable}) nanoctl never prompts "
        f"for one. Tell the user: run {login} in your own terminal, or set NANOSERVICES_TOKEN "
        "in the environment you start me from; never paste a token into this conversation."
    )


def agent_line(variable: str) -> str:
    return f"nanoctl: agent mode: on (from {variable})"


def no_form_of(token: str, result: Result) -> None:
    """Not the token, nor its base64, URL-encoded or JSON-escaped forms, anywhere."""
    for form in token_forms(token):
        assert form not in result.stdout + result.stderr, f"a form of the token ({len(form)})"


def env_with(
    agent: dict[str, str], server: ReferenceServer, token: str | None = None
) -> dict[str, str | None]:
    return {**url_env(server, token), **agent}


# --- token: refused, whatever its options, wherever the token is -----------------------------


@pytest.mark.parametrize(
    "options", [[], ["--reveal"], ["--header", "--reveal"], ["-q"]], ids=" ".join
)
@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_token_is_refused_to_an_agent(
    server: ReferenceServer, agent: dict[str, str], variable: str, options: list[str]
) -> None:
    result = run_nanoctl("token", *options, env=env_with(agent, server, api.VALID))

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr_lines == [refused_token(variable)]
    no_form_of(api.VALID, result)


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_token_is_refused_before_any_credential_is_read(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    """Not logged in, or a stored credential: the refusal, exit 2, whatever is there."""
    nothing = run_nanoctl("token", env=env_with(agent, server))
    store_credential(server.url, api.VALID, server.after(days=30))
    stored = run_nanoctl("token", "--json", env=env_with(agent, server))

    assert (nothing.exit_code, nothing.stderr_lines) == (2, [refused_token(variable)])
    assert (stored.exit_code, stored.stdout) == (2, "")
    error = json.loads(stored.stderr)["error"]
    assert (error["code"], error["kind"]) == (2, "token_to_agent")
    assert f"Error: {error['message']}" == refused_token(variable)
    assert server.requests == []


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN)
def test_nanoctl_agent_0_gives_the_token_back_to_the_person(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = run_nanoctl("token", env=env_with(agent, server, api.VALID), reveals=api.VALID)

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{api.VALID}\n", "")


def test_an_unreadable_nanoctl_agent_warns_once_and_refuses(server: ReferenceServer) -> None:
    result = run_nanoctl("token", env=env_with({AGENT_ENV: "maybe"}, server, api.VALID))

    assert result.exit_code == 2
    assert result.stderr_lines == [
        "Warning: NANOCTL_AGENT='maybe' is neither 1 nor 0; agent mode is on. Set "
        "NANOCTL_AGENT=1 or NANOCTL_AGENT=0, or unset it to detect an agent by its variables.",
        refused_token(AGENT_ENV),
    ]


# --- login: never a prompt, a token given works as usual --------------------------------------


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_login_without_a_token_tells_the_agent_what_the_user_should_do(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = run_nanoctl("login", env=env_with(agent, server))
    profile = run_nanoctl("login", "--profile", "dev", env=env_with(agent, server))

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr_lines == [no_prompt(variable)]
    assert profile.stderr_lines == [no_prompt(variable, "`nanoctl login --profile dev`")]
    assert files_under(config_dir()) == {}
    assert server.requests == []


@pytest.mark.parametrize(
    ("how", "stdin"),
    [(["--token", "-"], api.VALID), (["--token-file"], None), ([], None)],
    ids=["stdin", "token file", "environment"],
)
@pytest.mark.parametrize(("agent", "variable"), AGENTS[:3] + AGENTS[-1:])
def test_login_with_a_token_works_as_usual_in_agent_mode(
    server: ReferenceServer,
    agent: dict[str, str],
    variable: str,
    how: list[str],
    stdin: str | None,
    tmp_path: Path,
) -> None:
    env = env_with(agent, server, None if how else api.VALID)
    if how == ["--token-file"]:
        (tmp_path / "token").write_text(api.VALID, encoding="utf-8")
        how = ["--token-file", str(tmp_path / "token")]
    plain = run_nanoctl("login", *how, env={**env, **dict.fromkeys(agent)}, stdin=stdin)

    result = run_nanoctl("login", *how, env=env, stdin=stdin)

    assert (result.exit_code, plain.exit_code) == (0, 0)
    assert (result.stdout, result.stderr) == (plain.stdout, plain.stderr)
    assert files_under(config_dir()) == {}


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN)
def test_login_overridden_is_the_login_without_a_terminal(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = run_nanoctl("login", env=env_with(agent, server))

    assert result.exit_code == 2
    assert result.stderr_lines == [
        "Error: No token given and no terminal to prompt for one. Set NANOSERVICES_TOKEN, "
        "pipe it to `nanoctl login --token -`, or run `nanoctl login` in a terminal."
    ]


# --- status: says so, in text and JSON ----------------------------------------------------------


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_status_says_agent_mode_is_on(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    plain = run_nanoctl("status", env=url_env(server))

    result = run_nanoctl("status", env=env_with(agent, server))
    as_json = run_nanoctl("status", "--json", env=env_with(agent, server))

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_lines == [
        *plain.stdout_lines,
        f"  Agent mode:   on (from {variable}): `token` refuses, `exec` always masks, "
        "`login` never prompts",
    ]
    document = json.loads(as_json.stdout)
    assert document["agent"] is True
    assert {k: v for k, v in document.items() if k != "agent"} == {
        k: v
        for k, v in json.loads(run_nanoctl("status", "--json", env=url_env(server)).stdout).items()
        if k != "agent"
    }


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN)
def test_status_overridden_says_nothing_of_it(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    result = run_nanoctl("status", env=env_with(agent, server))
    as_json = run_nanoctl("status", "--json", env=env_with(agent, server))

    assert result.stdout == run_nanoctl("status", env=url_env(server)).stdout
    assert "Agent mode" not in result.stdout
    assert json.loads(as_json.stdout)["agent"] is False


@pytest.mark.parametrize(("agent", "variable"), AGENTS[2:3] + OVERRIDDEN[2:3])
def test_status_json_of_a_failure_and_of_every_profile_say_it_once(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    on = AGENT_ENV not in agent or agent[AGENT_ENV] != "0"
    failed = run_nanoctl("status", "--json", env=env_with(agent, server))
    store_credential(server.url, api.VALID, server.after(days=30), profile="dev")
    every = run_nanoctl("status", "--all", "--json", env={**agent, "NANOSERVICES_API_URL": None})
    text = run_nanoctl("status", "--all", env={**agent, "NANOSERVICES_API_URL": None})

    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["agent"] is on
    document = json.loads(every.stdout)
    assert (every.exit_code, list(document), document["agent"]) == (0, ["profiles", "agent"], on)
    assert [sorted(p) for p in document["profiles"]] == [
        sorted(p) for p in json.loads(run_nanoctl("status", "--all", "--json").stdout)["profiles"]
    ]
    assert "agent" not in document["profiles"][0]
    agent_lines = [line for line in text.stdout_lines if "Agent mode" in line]
    assert agent_lines == (
        [
            f"Agent mode:   on (from {variable}): `token` refuses, `exec` always masks, "
            "`login` never prompts"
        ]
        if on
        else []
    )
    if on:
        assert text.stdout_lines[-2:-1] == [""]  # after the profiles' blocks


# --- -v for every command; the rest as usual ---------------------------------------------------

EVERY_COMMAND = [
    pytest.param(["login"], 2, id="login"),
    pytest.param(["logout"], 0, id="logout"),
    pytest.param(["status"], 1, id="status"),
    pytest.param(["token"], 2, id="token"),
    pytest.param(["exec", "--", "true"], 1, id="exec"),
    pytest.param(["api", "/login"], 1, id="api"),
]


@pytest.mark.parametrize(("args", "code"), EVERY_COMMAND)
@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_verbose_names_who_turned_agent_mode_on_first(
    server: ReferenceServer, agent: dict[str, str], variable: str, args: list[str], code: int
) -> None:
    result = run_nanoctl(args[0], "-v", *args[1:], env=env_with(agent, server))

    assert result.exit_code == code
    assert result.stderr_lines[0] == agent_line(variable)
    assert result.stderr_lines.count(agent_line(variable)) == 1
    assert agent_line(variable) not in result.stdout


OUTSIDE_AGENT_MODE = [
    pytest.param(["login"], 2, id="login"),
    pytest.param(["logout"], 0, id="logout"),
    pytest.param(["status"], 1, id="status"),
    pytest.param(["token"], 1, id="token"),  # not logged in: no refusal
    pytest.param(["exec", "--", "true"], 1, id="exec"),
    pytest.param(["api", "/login"], 1, id="api"),
]


@pytest.mark.parametrize(("args", "code"), OUTSIDE_AGENT_MODE)
@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN)
def test_verbose_says_when_nanoctl_agent_0_turned_it_off(
    server: ReferenceServer, agent: dict[str, str], variable: str, args: list[str], code: int
) -> None:
    result = run_nanoctl(args[0], "-v", *args[1:], env=env_with(agent, server))

    assert result.exit_code == code
    assert result.stderr_lines[0] == (
        f"nanoctl: agent mode: off (NANOCTL_AGENT=0, though {variable} is set)"
    )


@pytest.mark.parametrize(("args", "code"), OUTSIDE_AGENT_MODE)
def test_without_an_agent_verbose_says_nothing_of_agent_mode(
    server: ReferenceServer, args: list[str], code: int
) -> None:
    result = run_nanoctl(args[0], "-v", *args[1:], env=url_env(server))

    assert result.exit_code == code
    assert "agent mode" not in result.stderr


@pytest.mark.parametrize(("agent", "variable"), AGENTS + OVERRIDDEN)
def test_logout_and_completions_work_as_usual(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    script = run_nanoctl("completions", "bash", env=env_with(agent, server))
    profiles = run_nanoctl("completions", "--profiles", env=env_with(agent, server))
    logout = run_nanoctl("logout", env=env_with(agent, server))

    assert (script.exit_code, script.stdout) == (0, run_nanoctl("completions", "bash").stdout)
    assert (profiles.exit_code, profiles.stdout) == (0, "default\n")
    assert (logout.exit_code, logout.stderr) == (0, "")
    assert logout.stdout.startswith("Logged out: removed the stored credential")
    assert files_under(config_dir()) == {".credentials.lock": b""}


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_errors_stay_one_line_with_the_next_command_and_no_colour_even_with_ansi(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = run_nanoctl("status", "--ansi", env=env_with(agent, server))
    expired = run_nanoctl("status", "--ansi", env=env_with(agent, server, api.EXPIRED))

    assert (result.exit_code, result.stderr_lines) == (1, [NOT_LOGGED_IN_LINE])
    assert expired.exit_code == 3
    assert len(expired.stderr_lines) == 1
    assert expired.stderr.startswith("Error: ") and "\x1b[" not in expired.stderr


# --- exec: always masked; --no-mask and NANOCTL_MASK=0 ignored, once said -----------------------

PRINTS_TOKEN_AS_BASE64 = ["sh", "-c", 'printf %s "$NANOSERVICES_TOKEN" | base64 -w0; echo']
"""The token's base64 on stdout: `***` when masked, the base64 text when not (never the
token itself, which the harness would take for a leak)."""


def base64_of(token: str) -> str:
    import base64

    return base64.b64encode(token.encode()).decode()


BASE64_PADDING = base64_of(api.VALID)[len(api.VALID) * 4 // 3 :]
"""What stays of the token's base64 when masked: its last characters, which mix the token's
last bits with padding (``A==``), and so are no part of it."""


@pytest.mark.parametrize(
    ("options", "mask_env", "ignored"),
    [
        ([], None, None),
        (["--no-mask"], None, "--no-mask"),
        ([], "0", "NANOCTL_MASK=0"),
        ([], "off", "NANOCTL_MASK=off"),
        (["--mask"], "0", None),
    ],
    ids=["default", "--no-mask", "NANOCTL_MASK=0", "NANOCTL_MASK=off", "--mask"],
)
@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_exec_always_masks_for_an_agent(
    server: ReferenceServer,
    agent: dict[str, str],
    variable: str,
    options: list[str],
    mask_env: str | None,
    ignored: str | None,
) -> None:
    env = {**env_with(agent, server, api.VALID), "NANOCTL_MASK": mask_env}

    result = run_nanoctl("exec", *options, "--", *PRINTS_TOKEN_AS_BASE64, env=env)

    assert (result.exit_code, result.stdout) == (0, f"***{BASE64_PADDING}\n")
    if ignored is None:
        assert result.stderr == ""
    else:
        assert result.stderr_lines == [
            f"Warning: {ignored} is ignored in agent mode (from {variable}): the token stays "
            "masked in the command's output."
        ]


@pytest.mark.parametrize(("agent", "variable"), OVERRIDDEN)
def test_exec_overridden_honours_no_mask(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    env = env_with(agent, server, api.VALID)

    result = run_nanoctl("exec", "--no-mask", "--", *PRINTS_TOKEN_AS_BASE64, env=env)

    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"{base64_of(api.VALID)}\n",
        "",
    )


def test_exec_with_conflicting_options_is_still_a_usage_error(server: ReferenceServer) -> None:
    env = env_with({"CLAUDECODE": "1"}, server, api.VALID)

    result = run_nanoctl("exec", "--mask", "--no-mask", "--", "true", env=env)

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Both --mask and --no-mask are given")


# --- api: its answer masked as always, its -v lines after agent mode's ---------------------------


@pytest.mark.parametrize(("agent", "variable"), AGENTS)
def test_api_masks_an_echoed_token_for_an_agent(
    server: ReferenceServer, agent: dict[str, str], variable: str
) -> None:
    result = run_nanoctl("api", "-v", "-i", "/echo", env=env_with(agent, server, api.VALID))

    assert result.exit_code == 0
    head, body = result.stdout.split("\n\n", 1)
    assert json.loads(body)["headers"]["Authorization"] == "Bearer ***"
    assert head.startswith("HTTP/1.")
    assert result.stderr_lines[0] == agent_line(variable)
    assert f"nanoctl: GET {server.url}/echo" in result.stderr_lines[1:]
    no_form_of(api.VALID, result)
