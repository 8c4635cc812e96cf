"""Asks before replacing a stored credential, as `gh auth login` does; default no."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import Cancelled
from nanoctl.domain.model import Credential
from nanoctl.domain.ports import Clock

Question = Callable[[Credential, datetime], str]
"""The words of the question about ``current`` at ``now``, ending where the answer goes."""


class TerminalReplaceConfirmation:
    def __init__(self, terminal: Terminal, question: Question, clock: Clock) -> None:
        self._terminal = terminal
        self._question = question
        self._clock = clock

    @property
    def can_ask(self) -> bool:
        return self._terminal.can_prompt

    def confirm_replace(self, current: Credential) -> bool:
        if not self._terminal.can_prompt:
            return False
        return answer_to(self._terminal, self._question(current, self._clock.now())) in ("y", "yes")


def answer_to(terminal: Terminal, question: str) -> str:
    """The user's answer to ``question`` (asked on stderr), trimmed and in lower case.

    Raises Cancelled on Ctrl-C or end of input, after ending the question's line.
    """
    err = terminal.stderr
    try:
        # Inside: a Ctrl-C typed as soon as the question shows can land before readline.
        err.write(question)
        err.flush()
        answer = terminal.stdin.readline()
    except KeyboardInterrupt:
        err.write("\n")
        raise Cancelled() from None
    if not answer:  # EOF
        err.write("\n")
        raise Cancelled()
    return answer.strip().lower()
