"""Asks before replacing a stored credential, as `gh auth login` does; default no."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.adapters.clock import SystemClock
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import Cancelled
from nanoctl.domain.model import Credential, Expiry

if TYPE_CHECKING:  # ports are only annotations here; Protocols cost import time
    from nanoctl.domain.ports import Clock


class TerminalReplaceConfirmation:
    def __init__(self, terminal: Terminal, clock: Clock | None = None) -> None:
        self._terminal = terminal
        self._clock = clock or SystemClock()

    def confirm_replace(self, current: Credential) -> bool:
        if not self._terminal.can_prompt:
            return False
        who = current.identity.username or "an unknown user"
        expiry = Expiry(current.identity.expires_at, self._clock.now()).describe()
        err = self._terminal.stderr
        err.write(
            f"You are already logged in to {current.api_url} as {who} "
            f"(token {'expires ' + expiry if current.identity.expires_at else expiry}).\n"
            "Replace the stored credential? [y/N] "
        )
        err.flush()
        try:
            answer = self._terminal.stdin.readline()
        except KeyboardInterrupt:
            err.write("\n")
            raise Cancelled() from None
        if not answer:  # EOF
            err.write("\n")
            raise Cancelled()
        return answer.strip().lower() in ("y", "yes")
