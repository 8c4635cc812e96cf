"""The in-process runner (tests/integration/in_process.py) against the real process.

A sample of command lines (every command, every exit code but 130, which needs a terminal,
stdin, token files, -v, --json, typos, help pages, a damaged store, profiles) runs both as
the installed `nanoctl` in a child and through main() in this process, from the same
state: the exit code, stdout and stderr must be the same bytes, the files left under the
config dir the same names and modes, and the requests the server saw the same. These are
also the real processes that every command and exit code keeps.

Then what the runner owes the test process: the collector, signal handlers, environment,
argv and standard streams as they were; its output under the same leak check as a
process's; a run that overruns fails instead of hanging; what only a process can show runs
in one.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import signal
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration import cli_harness, in_process
from tests.integration.cli_harness import (
    Env,
    Result,
    config_dir,
    store_credential,
    url_env,
)

Setup = Callable[[ReferenceServer, Path], None]


def stored(server: ReferenceServer, tmp_path: Path) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))


def two_profiles(server: ReferenceServer, tmp_path: Path) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    store_credential(server.url, api.VALID_EMAIL, server.after(days=90), "grace", profile="dev")


def corrupted(server: ReferenceServer, tmp_path: Path) -> None:
    stored(server, tmp_path)
    (config_dir() / "credentials.json").write_text('{"format": 1, "ciphertext": "AAAA"}')


def token_file(server: ReferenceServer, tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(f"\n  {api.VALID}  \n\n")
    path.chmod(0o644)  # others can read it: a warning


def nothing(server: ReferenceServer, tmp_path: Path) -> None:
    pass


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    exit_code: int
    token: str | None = None
    env: dict[str, str | None] = field(default_factory=dict)
    stdin: str | bytes | None = None
    setup: Setup = nothing
    reveals: str | None = None


UNKNOWN = cli_harness.UNKNOWN
CASES = {
    "--version": Case(("--version",), 0),
    "front page": Case((), 0),
    "help login": Case(("help", "login"), 0),
    "status --help": Case(("status", "--help"), 0),
    "env login, silent": Case(("login",), 0, token=api.VALID),
    "--token VALUE, the history warning": Case(("login", "--token", api.VALID), 0),
    "--token - from stdin": Case(("login", "--token", "-"), 0, stdin=f"{api.VALID}\n"),
    "--token - with bytes that are not UTF-8": Case(("login", "-t", "-"), 2, stdin=b"\xff\xfe\n"),
    "--token - with a non-ASCII token": Case(("login", "-t", "-"), 2, stdin="nano_ünï_tok\n"),
    "no token, no terminal": Case(("login",), 2),
    "a rejected token": Case(("login", "-t", UNKNOWN), 3),
    "expiring soon: a warning": Case(("login",), 0, token=api.EXPIRING_SOON),
    "--json, inactive": Case(("login", "--json"), 3, token=api.INACTIVE),
    "server error": Case(("login",), 4, token=api.SERVER_ERROR),
    "a reflected token is redacted": Case(("login", "-t", "-"), 0, stdin=api.REFLECT),
    "--token-file, readable by others": Case(
        ("login", "--token-file", "TOKEN_FILE"), 0, setup=token_file
    ),
    "status, not logged in": Case(("status",), 1),
    "status, stored": Case(("status",), 0, setup=stored),
    "status --json": Case(("status", "--json"), 0, setup=stored),
    "status -v": Case(("-v", "status"), 0, setup=stored),
    "status --offline": Case(("status", "--offline"), 0, setup=stored),
    "status, a damaged store": Case(("status",), 5, setup=corrupted),
    "status --all": Case(
        ("status", "--all"), 0, env={"NANOSERVICES_API_URL": None}, setup=two_profiles
    ),
    "whoami, env token, stored one shadowed": Case(("whoami",), 0, token=api.VALID, setup=stored),
    "--profile dev status": Case(("--profile", "dev", "status"), 0, setup=two_profiles),
    "NANOCTL_PROFILE, a bad name": Case(("status",), 2, env={"NANOCTL_PROFILE": "Bad Name"}),
    "token": Case(("token",), 0, setup=stored, reveals=api.VALID),
    "token --header": Case(("token", "--header"), 0, setup=stored, reveals=api.VALID),
    "token, not logged in": Case(("token",), 1),
    "logout": Case(("logout",), 0, setup=stored),
    "logout, nothing stored, env token set": Case(("logout",), 0, token=api.VALID),
    "logout --all": Case(("logout", "--all"), 0, setup=two_profiles),
    "completions bash": Case(("completions", "bash"), 0),
    "completions fish": Case(("completions", "fish"), 0),
    "completions tcsh": Case(("completions", "tcsh"), 2),
    "a typo": Case(("logn",), 2),
    "an option typo": Case(("status", "--json2"), 2),
    "a bad NANOCTL_HTTP_TIMEOUT": Case(("status",), 2, env={"NANOCTL_HTTP_TIMEOUT": "soon"}),
    "NO_COLOR empty": Case(("status",), 0, env={"NO_COLOR": ""}, setup=stored),
    "-q": Case(("-q", "login", "-t", UNKNOWN), 3),
    "-vvv, a rejected token": Case(("-vvv", "login", "-t", UNKNOWN), 3),
    "api, stored": Case(("api", "/deploy-status/web"), 0, setup=stored),
    "api -v, a POST of fields echoed": Case(
        ("api", "-v", "-X", "POST", "/echo", "-f", "a=b"), 0, token=api.VALID
    ),
    "api, a 404": Case(("api", "/deploy-status/x"), 1, token=api.VALID),
    "api, elsewhere": Case(("api", "http://127.0.0.2:9/x"), 2, token=api.VALID),
    "api, a rejected token": Case(("api", "/login"), 3, token=UNKNOWN),
    "api, rate limited for an hour": Case(("api", "/login"), 4, token=api.RATE_LIMITED_LONG),
}


@dataclass(frozen=True)
class Outcome:
    result: Result
    files: dict[str, str]
    requests: list[tuple[str, str, dict[str, str]]]


def run_case(
    runner: Callable[..., Result], case: Case, server: ReferenceServer, tmp_path: Path
) -> Outcome:
    """``case`` run by ``runner`` from the config dir as ``arrange`` left it, the server's
    state (its recorded requests, the flaky token's first failure) fresh."""
    shutil.rmtree(config_dir(), ignore_errors=True)
    if (tmp_path / "arranged").exists():
        shutil.copytree(tmp_path / "arranged", config_dir(), symlinks=True)
    server.reset()
    args = [str(tmp_path / "token") if arg == "TOKEN_FILE" else arg for arg in case.args]
    env: Env = {**url_env(server, case.token), **case.env}
    result = runner(*args, env=env, stdin=case.stdin, reveals=case.reveals)
    files = {
        str(path.relative_to(config_dir())): stat.filemode(path.lstat().st_mode)
        for path in sorted(config_dir().rglob("*"))
    }
    # In the order of their contents: `status --all` asks every profile's API at once (#19).
    requests = sorted(
        ((r.method, r.path, r.headers) for r in server.requests),
        key=lambda request: (request[0], request[1], sorted(request[2].items())),
    )
    return Outcome(result, files, requests)


def arrange(case: Case, server: ReferenceServer, tmp_path: Path) -> None:
    """The case's files, kept aside so that both runs start from the same bytes."""
    case.setup(server, tmp_path)
    if config_dir().exists():
        shutil.copytree(config_dir(), tmp_path / "arranged", symlinks=True)


def shown(result: Result) -> tuple[int, str, str]:
    """Exit code, stdout and stderr; only the time a -v line gives the API's answer (`HTTP
    401 in 3 ms`, `HTTP 200 OK in 3 ms`) varies from one run to the next."""
    took = re.compile(r"(HTTP \d+(?: [^\n]*)? in) \d+ ms$", re.MULTILINE)
    return result.exit_code, result.stdout, took.sub(r"\1 N ms", result.stderr)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_command_line_gives_the_same_bytes_in_process_as_in_a_process(
    case: Case, server: ReferenceServer, tmp_path: Path
) -> None:
    arrange(case, server, tmp_path)
    process = run_case(cli_harness.run_nanoctl, case, server, tmp_path)
    inside = run_case(in_process.run_nanoctl, case, server, tmp_path)

    assert process.result.exit_code == case.exit_code
    assert shown(inside.result) == shown(process.result)
    assert inside.files == process.files
    assert inside.requests == process.requests


def test_the_sample_has_every_command_and_every_exit_code_a_pipe_can_give() -> None:
    """130 (cancelled) needs a terminal: tests/integration/test_prompt_pty.py has it; `exec`
    runs only as a process (tests/integration/test_exec_command.py)."""
    commands = {next((a for a in c.args if not a.startswith("-")), "") for c in CASES.values()}
    assert {
        "login",
        "logout",
        "status",
        "whoami",
        "token",
        "completions",
        "help",
        "api",
    } <= commands
    assert {case.exit_code for case in CASES.values()} == {0, 1, 2, 3, 4, 5}


# --- what the runner owes the test process ------------------------------------------------------


def process_state() -> dict[str, object]:
    return {
        "collecting": gc.isenabled(),
        "frozen": gc.get_freeze_count(),
        "handlers": {s: signal.getsignal(s) for s in signal.valid_signals() if s != signal.SIGKILL},
        "environ": dict(os.environ),
        "argv": list(sys.argv),
        "streams": [sys.stdin, sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__],
        "cwd": os.getcwd(),
    }


def test_a_run_leaves_the_test_process_as_it_found_it(server: ReferenceServer) -> None:
    before = process_state()

    result = in_process.run_nanoctl("login", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert process_state() == before


def test_what_main_does_to_its_process_is_undone() -> None:
    """main() disables the collector; commands install signal handlers."""
    before = process_state()

    with in_process.restored_process_state():
        gc.disable()
        signal.signal(signal.SIGTERM, lambda signum, frame: None)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    assert process_state() == before


def test_the_output_is_under_the_leak_check_of_a_process(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))

    with pytest.raises(AssertionError, match="appeared in stdout"):
        in_process.run_nanoctl("token")  # prints the token, and was not allowed to
    assert api.VALID in capsys.readouterr().out  # (taken out of the capture the sweep reads)

    result = in_process.run_nanoctl("token", reveals=api.VALID)
    echoed = capsys.readouterr().out
    assert result.stdout == f"{api.VALID}\n"
    assert "$ nanoctl token  (exit 0, " in echoed  # in pytest's capture: the sweep reads it
    assert "in-process)\n[stdout]\n<revealed token>\n[stderr]\n[end]" in echoed
    assert api.VALID not in echoed


def test_a_run_that_overruns_its_timeout_fails_and_leaves_the_process_as_it_was(
    server: ReferenceServer,
) -> None:
    server.slow_seconds = 30
    before = process_state()

    with pytest.raises(pytest.fail.Exception, match=r"in-process for more than 0\.5 s"):
        in_process.run_nanoctl("login", env=url_env(server, api.SLOW), timeout=0.5)

    assert process_state() == before


@pytest.mark.parametrize(
    ("args", "env", "command", "reason"),
    [
        (("exec", "--", "true"), {}, None, "exec runs a program on the process's own"),
        (("--profile", "dev", "exec", "--", "true"), {}, None, "exec runs a program"),
        (("status",), {"LANG": "C"}, None, "LANG is set for it"),
        (("status",), {"LC_ALL": "C"}, None, "LC_ALL is set for it"),
        (("status",), {"PYTHONUTF8": "1"}, None, "PYTHONUTF8 is set for it"),
        (("status",), {"NANOCTL_KEYRING": None}, None, "NANOCTL_KEYRING is set for it"),
        (("status",), {}, [sys.executable, "-m", "nanoctl"], "another executable"),
    ],
)
def test_what_only_a_process_can_show_runs_in_one(
    args: tuple[str, ...], env: Env, command: list[str] | None, reason: str
) -> None:
    assert (in_process.process_reason(args, env, command) or "").startswith(reason)


def test_a_process_only_run_is_a_process_and_says_so(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    result = in_process.run_nanoctl("status", env={**url_env(server), "LC_ALL": "C"})

    assert result.exit_code == 1
    assert result.stderr_lines[-1].startswith("Error: You are not logged in.")
    echoed = capsys.readouterr().out
    assert echoed.startswith("(as a process: LC_ALL is set for it)\n$ nanoctl status  (exit 1,")
    assert "in-process" not in echoed


def test_nothing_runs_in_process_for_an_ordinary_command_line() -> None:
    assert in_process.process_reason(["status", "--json"], {"NO_COLOR": "1"}, None) is None
    assert in_process.process_reason(["login", "--", "exec"], {}, None) is None
