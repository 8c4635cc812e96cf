"""The terminal nanoctl talks to, as a value: streams plus what they are connected to.

Injected rather than read from ``sys`` so tests can flip "is this a TTY?" without
patching, and so "no TTY, no token" is decided in one place.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Terminal:
    stdin: TextIO
    stderr: TextIO
    stdin_isatty: bool
    interactive: bool
    """False with -n/--no-interaction: never ask anything."""
    ci: bool
    """Running in CI (the CI variable is set): hints are written for pipelines."""
    stdout_isatty: bool = False
    """Standard output is a terminal: what is printed there stays in its scrollback."""
    agent: str | None = None
    """The variable that says a coding agent runs nanoctl (agent mode), None when none
    does: whoever sits at this terminal, nothing is asked (no prompt, no question), and no
    line meant only for a person watching (a progress line) is drawn."""

    @property
    def can_prompt(self) -> bool:
        """A person may be asked: a terminal, not -n, not an agent (whose transcript would
        get the answer: a token typed there is a token disclosed)."""
        return self.interactive and self.stdin_isatty and self.agent is None

    @classmethod
    def from_process(
        cls,
        interactive: bool = True,
        environ: Mapping[str, str] = os.environ,
        agent: str | None = None,
    ) -> Terminal:
        return cls(
            stdin=sys.stdin,
            stderr=sys.stderr,
            stdin_isatty=_isatty(sys.stdin),
            interactive=interactive,
            ci=environ.get("CI", "").lower() not in ("", "0", "false", "no"),
            stdout_isatty=_isatty(sys.stdout),
            agent=agent,
        )


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False
