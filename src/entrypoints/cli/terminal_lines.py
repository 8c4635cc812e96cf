"""Messages fitted to the terminal they are written to: wrapped at word boundaries to its
width, where a terminal would otherwise cut words in two. Into a pipe or a file a message
stays one line, which is what scripts and logs rely on. And the warnings and notes on
stderr, written so."""

from __future__ import annotations

import json
import os
from typing import TextIO

from cleo.io.io import IO
from cleo.io.outputs.output import Output, Type
from cleo.io.outputs.stream_output import StreamOutput

from nanoctl.entrypoints.words import VERBOSE, WARNING, esc


def stream_of(output: Output) -> TextIO | None:
    """The stream a cleo output writes to (None for a buffer, as in tests)."""
    return output.stream if isinstance(output, StreamOutput) else None


def terminal_width(stream: TextIO | None) -> int | None:
    """The columns of the terminal ``stream`` writes to; None when it is not one."""
    try:
        if stream is None or not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):  # no fileno, closed, or no size
        return None
    return columns if columns > 0 else None


def fitted(text: str, stream: TextIO | None) -> list[str]:
    """``text`` as the lines to write to ``stream``: one, unless ``stream`` is a terminal
    narrower than it. A word longer than the width (a URL, a path) is never split."""
    width = terminal_width(stream)
    if width is None or len(text) <= width:
        return [text]
    import textwrap  # here: only a long message on a terminal needs it

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


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


def write_verbose(io: IO, text: str) -> None:
    """A -v (or -vv) line on stderr, never on stdout: ``nanoctl: text``; with --json, where
    stderr is JSON lines, a ``{"verbose": ...}`` object."""
    if wants_json(io):
        io.error_output.write_line(json.dumps({"verbose": text}), type=Type.RAW)
    else:
        io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)


def wants_json(io: IO) -> bool:
    """--json was given (before `--`: what follows belongs to the program `exec` runs)."""
    return io.input.has_parameter_option("--json", only_params=True)
