"""Messages fitted to the terminal they are written to: wrapped at word boundaries to its
width, where a terminal would otherwise cut words in two. Into a pipe or a file a message
stays one line, which is what scripts and logs rely on, and so it does for a coding agent
(agent mode), which reads whole lines even where it runs nanoctl in a terminal. And the
warnings and notes on stderr, written so."""

from __future__ import annotations

import json
import os
from typing import TextIO

from cleo.io.inputs.input import Input
from cleo.io.io import IO
from cleo.io.outputs.output import Output, Type
from cleo.io.outputs.stream_output import StreamOutput

from nanoctl.entrypoints.agent import OFF, AgentMode
from nanoctl.entrypoints.words import VERBOSE, WARNING, esc


class RunIO(IO):
    """cleo's io of one run of the command line, with the run's agent mode: in agent mode
    nothing is coloured and no line is wrapped."""

    def __init__(self, input: Input, output: Output, error_output: Output, agent: AgentMode):
        super().__init__(input, output, error_output)
        self.agent = agent


def agent_of(io: IO) -> AgentMode:
    """The agent mode of the run ``io`` belongs to (an io cleo made itself: off)."""
    return io.agent if isinstance(io, RunIO) else OFF


def line_width(io: IO, output: Output) -> int | None:
    """The width of the terminal ``output`` (of ``io``) writes to, which a message there
    is wrapped to; None for a pipe or a file, and in agent mode."""
    return None if agent_of(io).on else terminal_width(stream_of(output))


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


def fitted(text: str, width: int | None) -> list[str]:
    """``text`` as the lines to write where lines are ``width`` wide (None: a pipe, a file,
    an agent): one, unless it is longer. A word longer than the width (a URL, a path) is
    never split."""
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
    for index, line in enumerate(fitted(text, line_width(io, io.error_output))):
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
