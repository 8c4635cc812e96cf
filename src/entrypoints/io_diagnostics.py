"""-v and -vvv on cleo's io: decisions and wire detail on stderr, never on stdout; and the
warnings adapters raise, as the commands' own."""

from __future__ import annotations

import json

from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.adapters.diagnostics import Event
from nanoctl.entrypoints.messages import VERBOSE, WARNING, esc
from nanoctl.entrypoints.terminal_lines import fitted, stream_of


class IoDiagnostics:
    """The adapters' Diagnostics and Warnings for a CLI run: events worded by
    messages.verbose."""

    def __init__(self, io: IO) -> None:
        self._io = io

    def info(self, event: Event) -> None:
        if self._io.is_verbose():
            self._io.error_output.write_line(VERBOSE.format(_words(event)), type=Type.RAW)

    def debug(self, detail: str | Event) -> None:
        if self._io.is_debug():
            text = detail if isinstance(detail, str) else _words(detail)
            self._io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)

    def warn(self, event: Event) -> None:
        # Only before `--`: what follows belongs to the program `nanoctl exec` runs.
        write_warning(
            self._io,
            _words(event),
            as_json=self._io.input.has_parameter_option("--json", only_params=True),
        )


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


def _words(event: Event) -> str:
    # Here: the words of every error and event cost ~1.5 ms that a run without -v never uses.
    from nanoctl.entrypoints.messages.verbose import note

    return note(event)
