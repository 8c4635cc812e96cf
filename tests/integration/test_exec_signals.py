"""Every signal a user or a supervisor sends `nanoctl exec` (#20 item 3): HUP INT QUIT TERM
USR1 USR2 WINCH CONT TSTP ALRM PIPE reach the program once, nanoctl never dies (nor stops)
while it runs, and exits with the program's status. At a terminal, what the terminal
already delivered to the foreground group (Ctrl-Z, a resize, `fg`) is not sent again, and
Ctrl-Z stops nanoctl with its program.

The program is tests/integration/signal_recorder.py: it writes each signal it receives to a
file as it arrives, and exits with the code it is told on stdin.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import PtySession, url_env
from tests.integration.signal_recorder import NAMES as EVERY_SIGNAL
from tests.integration.test_exec_command import Running

PYTHON = sys.executable
RECORDER = str(Path(__file__).with_name("signal_recorder.py"))
SETTLE = 0.5
"""Seconds in which a second delivery, or nanoctl's death, would have happened."""


def received(record: Path) -> list[str]:
    return record.read_text().split() if record.exists() else []


def wait_for(record: Path, count: int) -> list[str]:
    """What the program recorded, once it recorded ``count`` signals (or after 15 s)."""
    deadline = time.monotonic() + 15
    while len(received(record)) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return received(record)


def state(pid: int) -> str:
    """The process state letter of ``pid`` (R, S, T for stopped, Z, ...)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0]


def wait_for_state(pid: int, wanted: str) -> str:
    deadline = time.monotonic() + 15
    while (now := state(pid)) != wanted and time.monotonic() < deadline:
        time.sleep(0.01)
    return now


@pytest.mark.parametrize("name", EVERY_SIGNAL)
def test_every_signal_reaches_the_program_once_and_nanoctl_outlives_it(
    server: ReferenceServer, tmp_path: Path, name: str
) -> None:
    record = tmp_path / "received"
    running = Running("exec", "--", PYTHON, RECORDER, str(record), env=url_env(server, api.VALID))
    assert running.line() == "ready"

    running.process.send_signal(getattr(signal, name))

    assert wait_for(record, 1) == [name]
    time.sleep(SETTLE)
    assert running.process.poll() is None, "nanoctl died while its program ran"
    assert state(running.process.pid) != "T", "nanoctl stopped while its program runs on"
    assert received(record) == [name]
    assert running.finish("exit 7\n") == 7  # the program's own status
    assert running.stderr == ""


def test_a_stop_sent_to_nanoctl_alone_and_the_continue_after_it_reach_the_program(
    server: ReferenceServer, tmp_path: Path
) -> None:
    """A supervisor pausing the job (TSTP, then CONT): both reach the program, in order."""
    record = tmp_path / "received"
    running = Running("exec", "--", PYTHON, RECORDER, str(record), env=url_env(server, api.VALID))
    assert running.line() == "ready"

    running.process.send_signal(signal.SIGTSTP)
    assert wait_for(record, 1) == ["SIGTSTP"]
    running.process.send_signal(signal.SIGCONT)

    assert wait_for(record, 2) == ["SIGTSTP", "SIGCONT"]
    assert running.finish("exit 0\n") == 0


@pytest.mark.parametrize("name", ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPIPE"])
def test_a_program_ended_by_a_passed_on_signal_gives_128_plus_n(
    server: ReferenceServer, name: str
) -> None:
    signum = getattr(signal, name)
    wait = (
        "import signal, time; signal.signal(signal.SIGPIPE, signal.SIG_DFL); "
        "print('ready', flush=True); time.sleep(30)"
    )
    running = Running("exec", "--", PYTHON, "-c", wait, env=url_env(server, api.VALID))
    assert running.line() == "ready"

    running.process.send_signal(signum)

    assert running.finish() == 128 + signum
    assert running.stderr == ""


def test_ctrl_z_at_a_terminal_stops_nanoctl_with_its_program_and_fg_continues_both(
    server: ReferenceServer, tmp_path: Path
) -> None:
    """The terminal signals its foreground group: the program gets each signal once (not
    again from nanoctl), and nanoctl stops too, so a shell sees the whole job stopped."""
    record = tmp_path / "received"
    session = PtySession(
        "exec", "--", PYTHON, RECORDER, str(record), env=url_env(server, api.VALID)
    )
    session.expect_exact("ready")
    nanoctl = session.child.pid

    session.child.sendcontrol("z")
    assert wait_for(record, 1) == ["SIGTSTP"]
    assert wait_for_state(nanoctl, "T") == "T"
    os.killpg(nanoctl, signal.SIGCONT)  # what a shell's `fg` does
    assert wait_for(record, 2) == ["SIGTSTP", "SIGCONT"]
    assert wait_for_state(nanoctl, "S") != "T"
    time.sleep(SETTLE)
    assert received(record) == ["SIGTSTP", "SIGCONT"]

    session.child.sendline("exit 5")
    assert session.finish().exit_code == 5


@pytest.mark.parametrize(("key", "name"), [("c", "SIGINT"), ("\\", "SIGQUIT")], ids=str)
def test_a_terminal_key_reaches_the_program_once(
    server: ReferenceServer, tmp_path: Path, key: str, name: str
) -> None:
    record = tmp_path / "received"
    session = PtySession(
        "exec", "--", PYTHON, RECORDER, str(record), env=url_env(server, api.VALID)
    )
    session.expect_exact("ready")

    session.child.sendcontrol(key)

    assert wait_for(record, 1) == [name]
    time.sleep(SETTLE)
    assert received(record) == [name]
    session.child.sendline("exit 3")
    assert session.finish().exit_code == 3


def test_a_terminal_resize_reaches_the_program_once(
    server: ReferenceServer, tmp_path: Path
) -> None:
    record = tmp_path / "received"
    session = PtySession(
        "exec", "--", PYTHON, RECORDER, str(record), env=url_env(server, api.VALID)
    )
    session.expect_exact("ready")

    session.child.setwinsize(30, 120)

    assert wait_for(record, 1) == ["SIGWINCH"]
    time.sleep(SETTLE)
    assert received(record) == ["SIGWINCH"]
    session.child.sendline("exit 0")
    assert session.finish().exit_code == 0
