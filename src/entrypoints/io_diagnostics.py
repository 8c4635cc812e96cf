"""-v and -vvv on cleo's io: decisions and wire detail on stderr, never on stdout."""

from __future__ import annotations

from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.adapters.diagnostics import Event
from nanoctl.entrypoints.messages import VERBOSE


class IoDiagnostics:
    """The adapters' Diagnostics for a CLI run: events worded by messages.verbose."""

    def __init__(self, io: IO) -> None:
        self._io = io

    def info(self, event: Event) -> None:
        if self._io.is_verbose():
            self._io.error_output.write_line(VERBOSE.format(_words(event)), type=Type.RAW)

    def debug(self, detail: str | Event) -> None:
        if self._io.is_debug():
            text = detail if isinstance(detail, str) else _words(detail)
            self._io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)


def _words(event: Event) -> str:
    # Here: the words of every error and event cost ~1.5 ms that a run without -v never uses.
    from nanoctl.entrypoints.messages.verbose import note

    return note(event)
