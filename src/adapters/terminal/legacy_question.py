"""Asks whether to import the old nanoctl's token before the token prompt; default yes."""

from __future__ import annotations

from collections.abc import Callable

from nanoctl.adapters.terminal.confirmation import answer_to
from nanoctl.adapters.terminal.terminal import Terminal


class TerminalLegacyImportConfirmation:
    def __init__(self, terminal: Terminal, question: Callable[[str], str]) -> None:
        self._terminal = terminal
        self._question = question

    @property
    def can_ask(self) -> bool:
        return self._terminal.can_prompt

    def confirm_import(self, path: str) -> bool:
        if not self.can_ask:  # -n or no terminal: never offered
            return False
        return answer_to(self._terminal, self._question(path)) in ("", "y", "yes")
