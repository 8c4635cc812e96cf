"""The interactive prompt: hidden input through ``getpass``, injected for tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import Cancelled, NoTokenAvailable
from nanoctl.domain.model import Token, TokenOrigin

GetPass = Callable[[str, TextIO], str]


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
        if not self._terminal.can_prompt:
            raise NoTokenAvailable(
                ci=self._terminal.ci,
                no_interaction=self._terminal.stdin_isatty and not self._terminal.interactive,
            )
        try:
            value = self._getpass(self._prompt, self._terminal.stderr)
        except (EOFError, KeyboardInterrupt):
            self._terminal.stderr.write("\n")
            raise Cancelled() from None
        return Token.parse(value, self.origin)
