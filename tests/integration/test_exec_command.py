"""`nanoctl exec`, end to end: a real child process gets the credential in its environment
(never in any argv), our streams (a pty stays a pty), its arguments verbatim; its exit
status, 128+N after a signal, 126/127 when it cannot start; SIGINT, SIGTERM and SIGHUP
passed on while it runs, and Ctrl-C at a terminal delivered once, not twice.

The child is tests/integration/exec_program.py: it reports the token as a SHA-256 only,
so every output stays under the harness's full leak check.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests import leaks
from tests.integration.cli_harness import (
    FROM_ENV,
    NANOCTL,
    NOT_LOGGED_IN_LINE,
    REPLACE_STORED,
    TOKEN_PAGE,
    UNKNOWN,
    UPDATE_ENV,
    Env,
    PtySession,
    assert_no_secret,
    environment,
    invalid_line,
    one_line,
    run_nanoctl,
    store_credential,
    unreachable,
    url_env,
)

PROGRAM = str(Path(__file__).with_name("exec_program.py"))
PYTHON = sys.executable
FIND_PROGRAM = "Check its name and PATH, or give its path (`nanoctl exec -- ./script …`)."
RUN_IT_RIGHT = (
    "Check that it is an executable file (`chmod +x` a script of yours), or run it through "
    "its interpreter (`nanoctl exec -- sh script`)."
)


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reported(stdout: str) -> dict[str, Any]:
    """The one JSON line exec_program.py's `report` printed."""
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout
    value: dict[str, Any] = json.loads(lines[0])
    return value


# --- what the program is handed -------------------------------------------------------------


def test_the_program_gets_the_stored_token_and_api_url_its_arguments_and_stdin(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()
    args = ["--help", "-v", "--token", "-", "--json", "-q", "--", "--version", "-V", "login"]

    result = run_nanoctl(
        "exec", "--", PYTHON, PROGRAM, "report", *args, env=url_env(server), stdin="piped\n"
    )

    assert (result.exit_code, result.stderr) == (0, "")
    assert reported(result.stdout) == {
        "token_sha256": sha256(api.VALID),
        "api_url": server.url,
        "token_file": None,
        "argv": args,
        "ttys": [False, False, False],
        "stdin": "piped\n",
    }
    assert server.requests == []  # offline without --check


def test_the_environment_token_beats_the_stored_one_and_api_url_sets_the_url(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    other = "https://api.example.test/base"

    result = run_nanoctl(
        "exec",
        "--api-url",
        other,
        "--",
        PYTHON,
        PROGRAM,
        "report",
        env=url_env(server, api.VALID_EMAIL),
    )

    assert result.exit_code == 0
    got = reported(result.stdout)
    assert (got["token_sha256"], got["api_url"]) == (sha256(api.VALID_EMAIL), other)


def test_a_token_file_is_handed_over_as_the_token_itself(
    server: ReferenceServer, tmp_path: Path
) -> None:
    """NANOSERVICES_TOKEN_FILE is not passed on: a nanoctl the program runs would see
    both variables set, a usage error; it gets NANOSERVICES_TOKEN instead."""
    path = tmp_path / "token"
    path.write_text(f"{api.VALID}\n")
    path.chmod(0o600)
    env = {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN_FILE": str(path)}

    report = run_nanoctl("exec", "--", PYTHON, PROGRAM, "report", env=env)
    nested = run_nanoctl("exec", "--", str(NANOCTL), "status", "--offline", env=env)

    assert report.exit_code == 0
    got = reported(report.stdout)
    assert (got["token_sha256"], got["token_file"]) == (sha256(api.VALID), None)
    assert nested.exit_code == 0, nested.stderr
    assert nested.stdout_lines[1] == "  Token source: NANOSERVICES_TOKEN environment variable"


def test_the_token_is_in_no_command_line_only_in_the_programs_environment(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    running = Running("exec", "--", PYTHON, PROGRAM, "hold", env=url_env(server))
    ids = json.loads(running.line())

    child_argv = Path(f"/proc/{ids['pid']}/cmdline").read_bytes()
    nanoctl_argv = Path(f"/proc/{ids['ppid']}/cmdline").read_bytes()
    child_environ = Path(f"/proc/{ids['pid']}/environ").read_bytes()
    in_environ = f"NANOSERVICES_TOKEN={api.VALID}".encode() in child_environ.split(b"\0")
    code = running.finish(stdin="done\n")

    assert code == 0
    assert ids["ppid"] == running.process.pid
    words = [PYTHON, PROGRAM, "hold"]
    assert nanoctl_argv.split(b"\0")[-6:-1] == [b"exec", b"--", *(w.encode() for w in words)]
    assert child_argv.split(b"\0")[-3:-1] == [PROGRAM.encode(), b"hold"]
    assert_no_secret(child_argv.decode(), [api.VALID], "the program's command line")
    assert_no_secret(nanoctl_argv.decode(), [api.VALID], "nanoctl's command line")
    assert in_environ, "the program's environment does not hold NANOSERVICES_TOKEN"


def test_verbose_lines_go_to_stderr_before_the_program_runs(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "exec", "-v", "--", PYTHON, PROGRAM, "report", env=url_env(server, api.VALID)
    )

    assert result.exit_code == 0
    assert result.stderr_lines == [
        f"nanoctl: API URL: {server.url} (from NANOSERVICES_API_URL)",
        "nanoctl: token source: NANOSERVICES_TOKEN",
        f"nanoctl: running {PYTHON} with the token in NANOSERVICES_TOKEN",
    ]
    assert reported(result.stdout)["token_sha256"] == sha256(api.VALID)


# --- before anything runs ------------------------------------------------------------------


def test_not_logged_in_is_exit_1_and_nothing_runs(server: ReferenceServer, tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    result = run_nanoctl("exec", "--", "touch", str(marker), env=url_env(server))

    assert (result.exit_code, result.stdout) == (1, "")
    assert one_line(result) == NOT_LOGGED_IN_LINE
    assert not marker.exists()


def test_an_expired_stored_credential_is_exit_3_and_nothing_runs(
    server: ReferenceServer, tmp_path: Path
) -> None:
    expired = datetime.now(UTC) - timedelta(days=1)
    store_credential(server.url, api.VALID, expired)
    marker = tmp_path / "ran"

    result = run_nanoctl("exec", "--", "touch", str(marker), env=url_env(server))

    assert result.exit_code == 3
    assert one_line(result) == (
        f"Error: The stored token for ada expired on {expired:%Y-%m-%d}. "
        f"Create a new token on {TOKEN_PAGE} {REPLACE_STORED}"
    )
    assert not marker.exists()


def test_check_asks_the_api_first_and_then_runs(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()

    result = run_nanoctl("exec", "--check", "--", PYTHON, PROGRAM, "report", env=url_env(server))

    assert (result.exit_code, result.stderr) == (0, "")
    assert reported(result.stdout)["token_sha256"] == sha256(api.VALID)
    assert len(server.requests_with(api.VALID)) == 1


@pytest.mark.parametrize(
    ("token", "want_code", "want_line"),
    [
        pytest.param(UNKNOWN, 3, invalid_line(FROM_ENV, UPDATE_ENV), id="invalid"),
        pytest.param(api.EXPIRED, 3, None, id="expired"),
        pytest.param(api.SERVER_ERROR, 4, None, id="server error"),
    ],
)
def test_check_stops_a_rejected_or_unusable_token_before_running(
    server: ReferenceServer, tmp_path: Path, token: str, want_code: int, want_line: str | None
) -> None:
    marker = tmp_path / "ran"

    result = run_nanoctl("exec", "--check", "--", "touch", str(marker), env=url_env(server, token))

    assert (result.exit_code, result.stdout) == (want_code, "")
    if want_line is not None:
        assert one_line(result) == want_line
    assert not marker.exists()


def test_check_with_the_api_down_is_exit_4(down_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    env = {"NANOSERVICES_API_URL": down_url, "NANOSERVICES_TOKEN": api.VALID}

    result = run_nanoctl("exec", "--check", "--", "touch", str(marker), env=env)

    assert result.exit_code == 4
    assert one_line(result) == unreachable(down_url)
    assert not marker.exists()


def test_no_command_is_a_usage_error(server: ReferenceServer) -> None:
    result = run_nanoctl("exec", env=url_env(server, api.VALID))

    assert result.exit_code == 2
    assert one_line(result).startswith('Error: Not enough arguments (missing: "program").')


# --- the program's exit status ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "want"),
    [
        pytest.param("raise SystemExit(0)", 0, id="0"),
        pytest.param("raise SystemExit(7)", 7, id="7"),
        pytest.param("raise SystemExit(255)", 255, id="255"),
        pytest.param("import os, signal; os.kill(os.getpid(), signal.SIGTERM)", 143, id="SIGTERM"),
        pytest.param("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", 137, id="SIGKILL"),
    ],
)
def test_the_exit_status_is_the_programs_own_or_128_plus_its_signal(
    server: ReferenceServer, code: str, want: int
) -> None:
    result = run_nanoctl("exec", "--", PYTHON, "-c", code, env=url_env(server, api.VALID))

    assert (result.exit_code, result.stdout, result.stderr) == (want, "", "")


def test_a_program_not_found_is_127_with_one_line(server: ReferenceServer) -> None:
    result = run_nanoctl("exec", "--", "nanoctl-no-such-program", env=url_env(server, api.VALID))

    assert result.exit_code == 127
    assert one_line(result) == f"Error: Command not found: nanoctl-no-such-program. {FIND_PROGRAM}"


def test_a_missing_path_is_127(server: ReferenceServer, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-script"

    result = run_nanoctl("exec", "--", str(missing), env=url_env(server, api.VALID))

    assert result.exit_code == 127
    assert one_line(result) == f"Error: Command not found: {missing}. {FIND_PROGRAM}"


@pytest.mark.parametrize(
    ("content", "mode", "reason"),
    [
        pytest.param("echo hi\n", 0o644, "permission denied (not an executable file)", id="no x"),
        pytest.param(
            "#!/nonexistent/interpreter\necho hi\n",
            0o755,
            "its interpreter (the #! line) was not found",
            id="bad interpreter",
        ),
        pytest.param(None, 0o755, "permission denied (not an executable file)", id="directory"),
    ],
)
def test_a_program_that_cannot_be_executed_is_126_with_one_line(
    server: ReferenceServer, tmp_path: Path, content: str | None, mode: int, reason: str
) -> None:
    path = tmp_path / "script"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    path.chmod(mode)

    result = run_nanoctl("exec", "--", str(path), env=url_env(server, api.VALID))

    assert result.exit_code == 126
    assert one_line(result) == f"Error: Cannot run {path}: {reason}. {RUN_IT_RIGHT}"


def test_a_failure_is_text_even_when_the_programs_arguments_hold_json(
    server: ReferenceServer,
) -> None:
    """`--json` after `--` belongs to the program, not to nanoctl's error output."""
    result = run_nanoctl(
        "exec", "--", "nanoctl-no-such-program", "--json", env=url_env(server, api.VALID)
    )

    assert result.exit_code == 127
    assert one_line(result).startswith("Error: Command not found: nanoctl-no-such-program.")


# --- signals --------------------------------------------------------------------------------


class Running:
    """`nanoctl ARGS` in the background, without a terminal (its own session), with pipes."""

    def __init__(self, *args: str, env: Env) -> None:
        self.process = subprocess.Popen(
            [str(NANOCTL), *args],
            env=environment(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._args = args
        self._lines: list[str] = []
        self._watchdog = threading.Timer(60, self.process.kill)
        self._watchdog.start()

    def line(self) -> str:
        """The next line the program printed (the watchdog ends a silent one)."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self._lines.append(line)
        return line.rstrip("\n")

    def finish(self, stdin: str = "") -> int:
        out, err = self.process.communicate(stdin, timeout=60)
        self._watchdog.cancel()
        out = "".join(self._lines) + out
        print(f"$ nanoctl {' '.join(self._args)}  (exit {self.process.returncode})")
        print(f"[stdout]\n{out}[stderr]\n{err}[end]")
        assert_no_secret(out + err, leaks.known_tokens(), "the output")
        self.stdout, self.stderr = out, err
        return self.process.returncode


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_signal_to_nanoctl_reaches_the_program_once(
    server: ReferenceServer, signum: signal.Signals
) -> None:
    running = Running("exec", "--", PYTHON, PROGRAM, "signals", env=url_env(server, api.VALID))
    assert running.line() == "ready"

    running.process.send_signal(signum)
    code = running.finish()

    assert json.loads(running.stdout.splitlines()[-1]) == [signum]
    assert code == 11  # the program's own status: it survived, having got one signal
    assert running.stderr == ""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_program_ended_by_a_passed_on_signal_gives_128_plus_n(
    server: ReferenceServer, signum: signal.Signals
) -> None:
    wait = "import time; print('ready', flush=True); time.sleep(30)"
    running = Running("exec", "--", PYTHON, "-c", wait, env=url_env(server, api.VALID))
    assert running.line() == "ready"

    running.process.send_signal(signum)
    code = running.finish()

    # Python's own SIGINT handler ends the program with KeyboardInterrupt, then by SIGINT.
    assert code == 128 + signum
    assert "KeyboardInterrupt" in running.stderr or running.stderr == ""


def test_ctrl_c_at_a_terminal_reaches_the_program_once_not_twice(
    server: ReferenceServer,
) -> None:
    """The terminal signals its foreground group, the program included: nanoctl must not
    pass the same SIGINT on a second time."""
    session = PtySession("exec", "--", PYTHON, PROGRAM, "signals", env=url_env(server, api.VALID))
    # The whole line: the terminal writes "ready" and its "\r\n" as two pieces, and a
    # Ctrl-C between them is echoed between them ("ready^C") and drops what is unread.
    session.expect_exact("ready\r\n")

    session.child.sendintr()
    result = session.finish()

    assert result.exit_code == 11
    assert result.lines == ["ready", f"^C{json.dumps([signal.SIGINT])}"]  # ^C: the echo


def test_a_terminal_stays_a_terminal_for_the_program(server: ReferenceServer) -> None:
    session = PtySession("exec", "--", PYTHON, PROGRAM, "report", env=url_env(server, api.VALID))

    result = session.finish()

    assert result.exit_code == 0
    assert json.loads(result.lines[-1])["ttys"] == [True, True, True]


def test_a_signal_nanoctl_was_started_ignoring_stays_ignored_for_the_program(
    server: ReferenceServer,
) -> None:
    """`nohup nanoctl exec -- job`: the job must survive a hangup as `nohup job` would."""
    check = "import signal; print(signal.getsignal(signal.SIGHUP) is signal.SIG_IGN)"

    result = run_nanoctl(
        "exec",
        "--",
        PYTHON,
        "-c",
        check,
        env=url_env(server, api.VALID),
        command=["nohup", str(NANOCTL)],
    )

    assert (result.exit_code, result.stdout) == (0, "True\n")
