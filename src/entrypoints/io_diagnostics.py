"""-v and -vvv on cleo's io: decisions and wire detail on stderr, never on stdout; and the
warnings adapters raise, as the commands' own."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.domain.events import Event
from nanoctl.domain.model import Token
from nanoctl.entrypoints.messages import VERBOSE, WARNING, esc
from nanoctl.entrypoints.messages.context import Context
from nanoctl.entrypoints.terminal_lines import fitted, stream_of


class IoDiagnostics:
    """The adapters' Diagnostics and Warnings for a CLI run: events worded by
    messages.verbose. ``secrets`` gives the tokens the run has met: a path or a URL in an
    event never shows one (a profile named by the token is in its store's path)."""

    def __init__(self, io: IO, secrets: Callable[[], tuple[Token, ...]] = tuple) -> None:
        self._io = io
        self._secrets = secrets

    def info(self, event: Event) -> None:
        if self._io.is_verbose():
            self._io.error_output.write_line(VERBOSE.format(self._words(event)), type=Type.RAW)

    def debug(self, detail: str | Event) -> None:
        if self._io.is_debug():
            text = self._shown(detail) if isinstance(detail, str) else self._words(detail)
            self._io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)

    def warn(self, event: Event) -> None:
        # Only before `--`: what follows belongs to the program `nanoctl exec` runs.
        write_warning(
            self._io,
            self._words(event),
            as_json=self._io.input.has_parameter_option("--json", only_params=True),
        )

    def _shown(self, value: str) -> str:
        secrets = self._secrets()
        return Context(secrets=secrets).shown(value) if secrets else value

    def _words(self, event: Event) -> str:
        # Here: the words of every error and event cost ~1.5 ms that a run without -v never uses.
        from nanoctl.entrypoints.messages.verbose import note

        shown = copy.copy(event)
        for name in type(event).__slots__:
            value = getattr(event, name)
            if isinstance(value, str):
                object.__setattr__(shown, name, self._shown(value))
        return note(shown)


def write_warning(io: IO, text: str, *, as_json: bool) -> None:
    """A one-line warning on stderr ("Warning:" yellow on a colour terminal). With --json,
    stderr stays machine-readable: one ``{"warning": ...}`` object per line."""
    if as_json:
        io.error_output.write_line(json.dumps({"warning": text}), type=Type.RAW)
    else:
        write_note(io, f"{WARNING} {text}")


def write_note(io: IO, text: str) -> None:
    """``text`` (plain, no tags) on stderr: one line, wrapped to a terminal's width."""
    for index, line in enumerate(fitted(text, stream_of(io.error_output))):
        if index == 0 and line.startswith(WARNING):
            io.write_error_line(f"<fg=yellow>{WARNING}</>{esc(line[len(WARNING) :])}")
        else:
            io.write_error_line(esc(line))
