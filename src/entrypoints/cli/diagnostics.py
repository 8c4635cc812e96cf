"""The Diagnostics of a command line run: -v and -vv on cleo's io (decisions, then wire
detail, on stderr, never on stdout; JSON lines with --json), and the warnings adapters
give, as the commands' own."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from cleo.io.io import IO

from nanoctl.domain.events import Event
from nanoctl.domain.model import Token
from nanoctl.entrypoints.cli.terminal_lines import wants_json, write_verbose, write_warning
from nanoctl.entrypoints.words.context import Context


class IoDiagnostics:
    """The adapters' Diagnostics and Warnings for a CLI run: events worded by
    ``words.events``. ``secrets`` are the tokens the run has met (its RunTokens, which
    learn more as the run goes): a path or a URL in an event never shows one (a profile
    named by the token is in its store's path)."""

    def __init__(self, io: IO, secrets: Iterable[Token] = ()) -> None:
        self._io = io
        self._secrets = secrets

    def info(self, event: Event) -> None:
        """-v: what was decided, and why."""
        if self._io.is_verbose():
            write_verbose(self._io, self._words(event))

    def debug(self, detail: str | Event) -> None:
        """-vv: each HTTP exchange, as `curl -v` shows it (-vvv adds tracebacks on errors)."""
        if self._io.is_very_verbose():
            text = self._shown(detail) if isinstance(detail, str) else self._words(detail)
            write_verbose(self._io, text)

    def warn(self, event: Event) -> None:
        write_warning(self._io, self._words(event), as_json=wants_json(self._io))

    def _shown(self, value: str) -> str:
        secrets = tuple(self._secrets)
        return Context(secrets=secrets).shown(value) if secrets else value

    def _words(self, event: Event) -> str:
        # Here: the words of every error and event cost ~1.5 ms that a run without -v never uses.
        from nanoctl.entrypoints.words.events import note

        shown = copy.copy(event)
        for name in type(event).__slots__:
            value = getattr(event, name)
            if isinstance(value, str):
                object.__setattr__(shown, name, self._shown(value))
        return self._shown(note(shown))  # and in what the line derives from them
