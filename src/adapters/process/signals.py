"""While `nanoctl exec` waits for its program, every signal a user or a supervisor sends
nanoctl reaches the program, and none of them ends nanoctl.

A wrapper that dies of a signal and leaves its program running (orphaned, with the token)
or that its program never hears of breaks every supervisor: CI runners cancelling a job,
`timeout`, systemd, and the tools that pass SIGUSR1/SIGUSR2 on (sudo, docker, tini). So
HUP, INT, QUIT, TERM, USR1, USR2, ALRM, PIPE, WINCH, CONT and TSTP are caught while the
program runs and passed on to it; nanoctl then keeps waiting and exits with the program's
status.

Except what a terminal already delivered: Ctrl-C, Ctrl-\\, Ctrl-Z, a window resize and a
shell's `fg` signal the terminal's whole foreground process group, which holds the program
too (it stays in nanoctl's group, so job control works). Passing those on would deliver
them twice, and a program that takes a second Ctrl-C as "force quit" would be cut short.
As uv's `run` does, such a signal is not passed on when the program shares nanoctl's
process group and that group is the terminal's foreground. Ctrl-Z there stops nanoctl as
well (SIGSTOP), so the shell sees the job stopped; `fg` continues both.

A signal nanoctl was started ignoring (`nohup` ignores SIGHUP) stays ignored, so the
program inherits that as if it had been started directly. SIGPIPE is the exception:
Python ignores it in every process it starts, so that says nothing of nanoctl's parent.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from contextlib import suppress
from types import FrameType, TracebackType
from typing import Any

_PASSED_ON = (
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGTERM",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGPIPE",
    "SIGWINCH",
    "SIGCONT",
    "SIGTSTP",
)
FORWARDED: tuple[int, ...] = tuple(
    getattr(signal, name) for name in _PASSED_ON if hasattr(signal, name)
)  # Windows has few of them
_TERMINAL_SIGNALS = frozenset(
    getattr(signal, name)
    for name in ("SIGINT", "SIGQUIT", "SIGTSTP", "SIGWINCH", "SIGCONT")
    if hasattr(signal, name)
)
"""What a terminal (a key, a resize) or a job-control shell (`fg`) sends the whole
foreground process group."""
_STOP = getattr(signal, "SIGTSTP", None)
_IGNORED_BY_PYTHON = getattr(signal, "SIGPIPE", None)

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
"""What signal.getsignal gives back, and signal.signal takes."""


class SignalForwarding:
    """``with SignalForwarding() as forwarding: ...; forwarding.to(pid)``: from then on,
    until the block ends, the forwarded signals go to ``pid``; one that arrives before
    ``to()`` is passed on then."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._pending: list[int] = []
        self._previous: dict[int, _Handler] = {}

    def __enter__(self) -> SignalForwarding:
        for signum in FORWARDED:
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN and signum != _IGNORED_BY_PYTHON:
                continue
            self._previous[signum] = previous
            signal.signal(signum, self._handle)
        return self

    def to(self, pid: int) -> None:
        self._pid = pid
        pending, self._pending = self._pending, []
        for signum in pending:
            self._pass_on(signum, pid)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._pid = None  # the program is gone: its pid may be another process's soon
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        pid = self._pid
        if signum == _STOP:
            if pid is not None:
                self._pass_on(signum, pid)
            if _terminal_signalled(pid):
                # Ctrl-Z: the program got it from the terminal; stop with it, so the shell
                # sees the job stopped (SIGSTOP: a SIGTSTP can be discarded).
                os.kill(os.getpid(), signal.SIGSTOP)
        elif pid is None:
            self._pending.append(signum)
        else:
            self._pass_on(signum, pid)

    @staticmethod
    def _pass_on(signum: int, pid: int) -> None:
        if signum in _TERMINAL_SIGNALS and _terminal_signalled(pid):
            return
        with suppress(OSError):  # already gone, or it became another user's (sudo)
            os.kill(pid, signum)


def _terminal_signalled(pid: int | None) -> bool:
    """Whether a signal the terminal sends its foreground group reached ``pid`` (None: the
    program about to start) as well: it is in our process group, and that group is the
    foreground one of our controlling terminal."""
    try:
        group = os.getpgrp()
        if pid is not None and os.getpgid(pid) != group:
            return False
        tty = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)  # ENXIO: no controlling terminal
    except OSError:
        return False
    try:
        return os.tcgetpgrp(tty) == group
    except OSError:
        return False
    finally:
        os.close(tty)
