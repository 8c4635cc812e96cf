"""The interactive prompt: hidden input through ``getpass``, injected for tests."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TextIO

from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import Cancelled, NoTokenAvailable
from nanoctl.domain.model import Token
from nanoctl.domain.origins import TokenOrigin

GetPass = Callable[[str, TextIO], str]

# Their default action ends the process at once, running no `finally`: getpass's restoring
# of the terminal's settings would be skipped and the shell left with echo off.
_ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def _getpass(prompt: str, stream: TextIO) -> str:
    import getpass  # here: only the prompt needs it (test_import_cost keeps it out)

    return getpass.getpass(prompt, stream)


class PromptTokenSource:
    """Asks for the token with echo off. Refuses at once when there is no terminal:
    a CI job must fail with a clear message, never hang waiting for input."""

    origin = TokenOrigin.PROMPT

    def __init__(self, terminal: Terminal, prompt: str, getpass: GetPass = _getpass) -> None:
        self._terminal = terminal
        self._prompt = prompt
        self._getpass = getpass

    def read(self) -> Token:
        terminal = self._terminal
        if not terminal.can_prompt:
            raise NoTokenAvailable(
                ci=terminal.ci,
                no_interaction=terminal.stdin_isatty and not terminal.interactive,
                agent=terminal.agent,
            )
        try:
            with ending_signals_restore_the_terminal(self._terminal.stderr):
                value = self._getpass(self._prompt, self._terminal.stderr)
        except (EOFError, KeyboardInterrupt):
            self._terminal.stderr.write("\n")
            raise Cancelled() from None
        return Token.parse(value, self.origin)


class _EndingSignal(BaseException):
    """Raised by the handler of an ending signal, to unwind through getpass's `finally`."""


@contextlib.contextmanager
def ending_signals_restore_the_terminal(stream: TextIO) -> Iterator[None]:
    """While the prompt waits, SIGTERM, SIGHUP and SIGQUIT unwind it instead of killing
    the process where it stands, so getpass puts the terminal's settings back (echo on);
    then the process ends by that very signal, as it would have (OpenSSH's passphrase
    prompt does the same). A signal the process ignores (``nohup``) stays ignored."""
    received: list[int] = []

    def unwind(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        raise _EndingSignal()

    previous: dict[int, Callable[[int, FrameType | None], Any] | int] = {}
    for signum in _ENDING_SIGNALS:
        current = signal.getsignal(signum)
        if current is None or current == signal.SIG_IGN:  # None: not set from Python
            continue
        with contextlib.suppress(ValueError):  # not the main thread: leave them be
            signal.signal(signum, unwind)
            previous[signum] = current
    try:
        yield
    except BaseException:
        # After a hangup, restoring the terminal may itself fail (EIO): the signal wins.
        if not received:
            raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        with contextlib.suppress(OSError, ValueError):
            stream.write("\n")
            stream.flush()
        signal.signal(received[0], signal.SIG_DFL)
        signal.raise_signal(received[0])
        raise Cancelled()  # only if the signal is blocked: no token was read either way
