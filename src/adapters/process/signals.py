"""While `nanoctl exec` waits for its program, the signals meant to stop the program reach it.

A wrapper that dies on SIGTERM and leaves its program running (or that its program never
hears of) breaks every supervisor: CI runners cancelling a job, `timeout`, systemd. So
SIGINT, SIGTERM, SIGHUP and SIGQUIT are caught and passed on while the program runs.

Except one case: Ctrl-C and Ctrl-\\ at a terminal signal its whole foreground process
group, which holds the program too (it stays in nanoctl's group, so job control works).
Passing those on would deliver them twice, and a program that takes a second Ctrl-C as
"force quit" would be cut short. As uv's `run` does, such a signal is not passed on when
the program shares nanoctl's process group and that group is the terminal's foreground.

A signal nanoctl was started ignoring (`nohup` ignores SIGHUP) stays ignored, so the
program inherits that as if it had been started directly.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from contextlib import suppress
from types import FrameType, TracebackType
from typing import Any

FORWARDED: tuple[int, ...] = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)  # Windows has neither SIGHUP nor SIGQUIT
)
_TERMINAL_KEYS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGQUIT") if hasattr(signal, name)
)

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
            if previous is signal.SIG_IGN:
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
        if self._pid is None:
            self._pending.append(signum)
        else:
            self._pass_on(signum, self._pid)

    @staticmethod
    def _pass_on(signum: int, pid: int) -> None:
        if signum in _TERMINAL_KEYS and _terminal_signalled(pid):
            return
        with suppress(OSError):  # already gone, or it became another user's (sudo)
            os.kill(pid, signum)


def _terminal_signalled(pid: int) -> bool:
    """Whether a terminal key that signalled us signalled ``pid`` as well: it is in our
    process group, and that group is the foreground one of our controlling terminal."""
    try:
        group = os.getpgrp()
        if os.getpgid(pid) != group:
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
