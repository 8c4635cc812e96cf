"""`nanoctl login` typed into a real pseudo-terminal (pexpect): the hidden prompt, what is
stored, cancelling, replacing a stored credential, and colour on a terminal.

pexpect gives the child its own pty and session, so getpass reads that terminal and
never the developer's. The transcript is everything the terminal showed; a typed token
must never be in it.
"""

from __future__ import annotations

import json
import resource
import signal
import stat
import time
from pathlib import Path

import pexpect
import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    ANSI,
    HISTORY_WARNING,
    INVALID_LINE,
    NANOCTL,
    PROMPT_LINE,
    TOKEN_INPUT,
    TYPED,
    PtySession,
    config_dir,
    expiry,
    files_under,
    invalid_line,
    login_interactively,
    store_credential,
)

UNKNOWN = "nano_unknown_typed_Hd4Ks9"


@pytest.fixture
def server(reference_server: ReferenceServer) -> ReferenceServer:
    reference_server.reset()
    return reference_server


def url_env(server: ReferenceServer, **more: str | None) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, **more}


def kept(server: ReferenceServer) -> list[str]:
    return [
        f"Already logged in as ada, expires {expiry(server.after(days=30))}. "
        "Kept the stored credential.",
        "Run `nanoctl logout` first to log in with another token.",
    ]


def welcome(server: ReferenceServer) -> list[str]:
    return [
        f"Welcome, ada! Your token expires {expiry(server.after(days=30))}.",
        "The token is stored encrypted; `nanoctl logout` removes it.",
    ]


def replace_question(server: ReferenceServer) -> str:
    return (
        f"You are already logged in to {server.url} as ada "
        f"(token expires {expiry(server.after(days=30))})."
    )


def test_login_prompts_with_the_documented_line_hides_the_token_and_stores_it_privately(
    server: ReferenceServer,
) -> None:
    session = PtySession("login", env=url_env(server), secrets=[api.VALID])
    assert session.expect_exact(TOKEN_INPUT) == PROMPT_LINE + "\n"
    session.child.sendline(api.VALID)
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines == [PROMPT_LINE, TOKEN_INPUT, *welcome(server)]
    assert api.VALID not in result.transcript
    assert len(server.requests_with(api.VALID)) == 1
    stored = files_under(config_dir())
    assert "credentials.json" in stored
    assert not any(api.VALID.encode() in data for data in stored.values())
    directory = config_dir()
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.iterdir():
        assert stat.S_IMODE(path.lstat().st_mode) == 0o600, path.name


def test_prompt_login_with_json_prints_one_object_saying_it_was_stored(
    server: ReferenceServer,
) -> None:
    session = PtySession("login", "--json", env=url_env(server), secrets=[api.VALID])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines[:2] == [PROMPT_LINE, TOKEN_INPUT]
    (line,) = result.lines[2:]
    assert ANSI not in line
    document = json.loads(line)
    assert (document["source"], document["stored"], document["username"]) == (
        "prompt",
        True,
        "ada",
    )
    assert "credentials.json" in files_under(config_dir())


def test_an_invalid_typed_token_exits_3_and_stores_nothing(server: ReferenceServer) -> None:
    session = PtySession("login", env=url_env(server), secrets=[UNKNOWN])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(UNKNOWN)
    result = session.finish()

    assert result.exit_code == 3
    assert result.lines == [PROMPT_LINE, TOKEN_INPUT, invalid_line(TYPED)]
    assert len(server.requests_with(UNKNOWN)) == 1
    assert "credentials.json" not in files_under(config_dir())


def test_an_invalid_token_typed_to_replace_a_stored_one_leaves_it_byte_identical(
    server: ReferenceServer,
) -> None:
    login_interactively(api.VALID, env=url_env(server))
    before = files_under(config_dir())
    assert "credentials.json" in before

    session = PtySession("login", env=url_env(server), secrets=[UNKNOWN])
    session.expect_exact("[y/N] ")
    session.child.sendline("y")
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(UNKNOWN)
    result = session.finish()

    assert result.exit_code == 3
    assert result.lines[-1] == invalid_line(TYPED)
    assert files_under(config_dir()) == before


@pytest.mark.parametrize(
    "key",
    [pytest.param("sendintr", id="Ctrl-C"), pytest.param("sendeof", id="Ctrl-D (EOF)")],
)
def test_cancelling_at_the_prompt_exits_130_and_writes_nothing(
    server: ReferenceServer, key: str
) -> None:
    session = PtySession("login", env=url_env(server))
    session.expect_exact(TOKEN_INPUT)
    getattr(session.child, key)()
    result = session.finish()

    assert result.exit_code == 130
    assert result.lines[-1] == "Authentication cancelled."
    assert files_under(config_dir()) == {}
    assert server.requests == []


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT], ids=lambda s: str(s.name)
)
def test_a_signal_at_the_prompt_restores_echo_and_still_ends_the_process_by_it(
    server: ReferenceServer, signum: signal.Signals
) -> None:
    # No core file from SIGQUIT, wherever core_pattern would put it.
    no_core = lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # noqa: E731
    session = PtySession("login", env=url_env(server), preexec=no_core)
    session.expect_exact(TOKEN_INPUT)
    assert session.child.getecho() is False  # the prompt hides what is typed
    session.child.kill(signum)
    session.child.expect(pexpect.EOF, timeout=20)

    # The terminal the shell gets back echoes again (the pty keeps its settings).
    assert session.child.getecho() is True
    session.child.close()
    assert (session.child.exitstatus, session.child.signalstatus) == (None, signum)
    assert files_under(config_dir()) == {}
    assert server.requests == []


def test_a_hangup_the_process_ignores_leaves_the_prompt_waiting(server: ReferenceServer) -> None:
    # As under `nohup`: an ignored SIGHUP must stay ignored, not end the login.
    session = PtySession(
        "login",
        env=url_env(server),
        secrets=[api.VALID],
        preexec=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    session.expect_exact(TOKEN_INPUT)
    session.child.kill(signal.SIGHUP)
    session.child.sendline(api.VALID)
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines[-2:] == welcome(server)


@pytest.mark.parametrize(
    "key",
    [pytest.param("sendintr", id="Ctrl-C"), pytest.param("sendeof", id="Ctrl-D (EOF)")],
)
def test_cancelling_at_the_replace_question_exits_130_and_keeps_the_credential(
    server: ReferenceServer, key: str
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    before = files_under(config_dir())

    session = PtySession("login", env=url_env(server))
    session.expect_exact("[y/N] ")
    getattr(session.child, key)()
    result = session.finish()

    assert result.exit_code == 130
    assert result.lines[-1] == "Authentication cancelled."
    assert files_under(config_dir()) == before


def test_a_second_login_asks_before_replacing_and_enter_keeps_the_credential(
    server: ReferenceServer,
) -> None:
    login_interactively(api.VALID, env=url_env(server))
    before = files_under(config_dir())
    server.reset()

    session = PtySession("login", env=url_env(server))
    asked = session.expect_exact("[y/N] ")
    session.child.sendline("")
    result = session.finish()

    assert asked.splitlines() == [  # what would go, and how to keep both (#19)
        replace_question(server),
        "To keep it, log in to another profile instead: `nanoctl login --profile NAME`.",
        "Replace the stored credential? ",
    ]
    assert result.exit_code == 0
    # #23: no "Run `nanoctl logout` first" after a no: answering yes replaces it
    assert result.lines[-1:] == [
        "Kept the stored credential: still logged in as ada, token expires "
        f"{expiry(server.after(days=30))}."
    ]
    assert TOKEN_INPUT not in result.transcript
    assert files_under(config_dir()) == before
    assert server.requests == []


def test_no_interaction_keeps_the_stored_credential_without_asking(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    before = files_under(config_dir())

    result = PtySession("login", "-n", env=url_env(server)).finish()

    assert result.exit_code == 0
    assert "[y/N]" not in result.transcript
    assert TOKEN_INPUT not in result.transcript
    assert result.lines == kept(server)
    assert files_under(config_dir()) == before


@pytest.mark.parametrize("command", ["login", "status"])
def test_ctrl_c_while_waiting_for_the_api_cancels_with_exit_130_and_a_message(
    server: ReferenceServer, command: str
) -> None:
    server.slow_seconds = 30
    session = PtySession(command, env=url_env(server, NANOSERVICES_TOKEN=api.SLOW))
    deadline = time.monotonic() + 15
    while not server.requests_with(api.SLOW) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.requests_with(api.SLOW), "nanoctl never asked the API"
    session.child.sendintr()
    result = session.finish()

    assert result.exit_code == 130
    # The terminal itself echoes the ^C; nanoctl's message follows it.
    assert result.lines[-1].removeprefix("^C") == "Authentication cancelled."
    assert files_under(config_dir()) == {}


# --- NANOSERVICES_TOKEN at a terminal ----------------------------------------------------------

ENV_NOTE = (
    "NANOSERVICES_TOKEN is valid (ada) and was used as is, not stored. To log in with the "
    "prompt and store a token, run `env -u NANOSERVICES_TOKEN nanoctl login`."
)


def test_an_environment_login_at_a_terminal_says_the_token_was_used_not_stored(
    server: ReferenceServer,
) -> None:
    result = PtySession("login", env=url_env(server, NANOSERVICES_TOKEN=api.VALID)).finish()

    assert result.exit_code == 0
    assert result.lines == [ENV_NOTE]
    assert TOKEN_INPUT not in result.transcript
    assert files_under(config_dir()) == {}


def test_the_note_goes_to_stderr_and_stdout_stays_silent(
    server: ReferenceServer, tmp_path: Path
) -> None:
    stdout = tmp_path / "stdout"
    session = PtySession(
        "login",
        env=url_env(server, NANOSERVICES_TOKEN=api.VALID),
        command=["sh", "-c", 'out=$1; shift; exec "$0" "$@" >"$out"', str(NANOCTL), str(stdout)],
    )
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines == [ENV_NOTE]
    assert stdout.read_text() == ""


@pytest.mark.parametrize("option", ["-q", "--json"])
def test_quiet_and_json_environment_logins_add_no_note(
    server: ReferenceServer, option: str
) -> None:
    result = PtySession("login", option, env=url_env(server, NANOSERVICES_TOKEN=api.VALID)).finish()

    assert result.exit_code == 0
    assert ENV_NOTE not in result.lines
    if option == "-q":
        assert result.lines == []
    else:
        assert [json.loads(line)["source"] for line in result.lines] == ["environment"]


# --- colour on a terminal ------------------------------------------------------------------


def test_no_color_keeps_the_terminal_free_of_colour_codes(server: ReferenceServer) -> None:
    result = PtySession(
        "login", "--token", UNKNOWN, env=url_env(server, NO_COLOR="1"), secrets=[UNKNOWN]
    ).finish()

    assert result.exit_code == 3
    assert ANSI not in result.transcript
    assert result.lines == [HISTORY_WARNING, INVALID_LINE]


def test_without_no_color_the_error_line_is_red_on_a_terminal(server: ReferenceServer) -> None:
    result = PtySession(
        "login", "--token", UNKNOWN, env=url_env(server, TERM="xterm"), secrets=[UNKNOWN]
    ).finish()

    assert result.exit_code == 3
    assert f"\x1b[31m{INVALID_LINE}\x1b[0m" in result.transcript.splitlines()


def test_the_warning_word_is_yellow_on_a_colour_terminal(server: ReferenceServer) -> None:
    result = PtySession(
        "login", "--token", UNKNOWN, env=url_env(server, TERM="xterm"), secrets=[UNKNOWN]
    ).finish()

    assert result.exit_code == 3
    assert "\x1b[33mWarning:\x1b[39m a token given on the command line" in result.transcript


def test_an_empty_no_color_leaves_colours_on(server: ReferenceServer) -> None:
    # no-color.org: NO_COLOR turns colours off when it is present *and not empty*.
    result = PtySession(
        "login", "--token", UNKNOWN, env=url_env(server, NO_COLOR=""), secrets=[UNKNOWN]
    ).finish()

    assert result.exit_code == 3
    assert f"\x1b[31m{INVALID_LINE}\x1b[0m" in result.transcript.splitlines()


def test_long_lines_are_wrapped_at_words_to_the_terminal_width(server: ReferenceServer) -> None:
    result = PtySession(
        "login",
        "--token",
        UNKNOWN,
        env=url_env(server, NO_COLOR="1"),
        secrets=[UNKNOWN],
        columns=60,
    ).finish()

    assert result.exit_code == 3
    assert all(len(line) <= 60 for line in result.lines), result.lines
    start = next(i for i, line in enumerate(result.lines) if line.startswith("Error:"))
    warning, error = result.lines[:start], result.lines[start:]
    # Cut at spaces only: the words put back together are the one-line messages.
    assert " ".join(warning) == HISTORY_WARNING
    assert " ".join(error) == INVALID_LINE
    assert len(error) > 1
