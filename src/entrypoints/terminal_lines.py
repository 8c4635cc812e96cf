"""Messages fitted to the terminal they are written to: wrapped at word boundaries to its
width, where a terminal would otherwise cut words in two. Into a pipe or a file a message
stays one line, which is what scripts and logs rely on."""

from __future__ import annotations

import os
from typing import TextIO

from cleo.io.outputs.output import Output
from cleo.io.outputs.stream_output import StreamOutput


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
