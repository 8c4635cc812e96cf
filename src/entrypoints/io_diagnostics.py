"""-v and -vvv on cleo's io: decisions and wire detail on stderr, never on stdout."""

from __future__ import annotations

from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.adapters.diagnostics import Event
from nanoctl.entrypoints.messages import VERBOSE
from nanoctl.entrypoints.messages.verbose import note


class IoDiagnostics:
    """The adapters' Diagnostics for a CLI run: events worded by messages.verbose."""

    def __init__(self, io: IO) -> None:
        self._io = io

    def info(self, event: Event) -> None:
        if self._io.is_verbose():
            self._io.error_output.write_line(VERBOSE.format(note(event)), type=Type.RAW)

    def debug(self, detail: str | Event) -> None:
        if self._io.is_debug():
            text = detail if isinstance(detail, str) else note(detail)
            self._io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)
