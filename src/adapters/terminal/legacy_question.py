"""Asks whether to import the old nanoctl's token before the token prompt; default yes."""

from __future__ import annotations

from collections.abc import Callable

from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import Cancelled


class TerminalLegacyImportConfirmation:
    def __init__(self, terminal: Terminal, question: Callable[[str], str]) -> None:
        self._terminal = terminal
        self._question = question

    def confirm_import(self, path: str) -> bool:
        if not self._terminal.can_prompt:  # -n or no terminal: never offered
            return False
        err = self._terminal.stderr
        err.write(self._question(path))
        err.flush()
        try:
            answer = self._terminal.stdin.readline()
        except KeyboardInterrupt:
            err.write("\n")
            raise Cancelled() from None
        if not answer:  # EOF
            err.write("\n")
            raise Cancelled()
        return answer.strip().lower() in ("", "y", "yes")
