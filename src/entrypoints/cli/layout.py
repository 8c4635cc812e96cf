"""Text laid out for the width it is read at: the front page and every help page.

Lines are wrapped at spaces, never inside a word, with a hanging indent; a word longer
than the line (a URL) stands on a line of its own rather than being cut. The width is
the terminal's, ``COLUMNS`` when set (as argparse, click and `ls` read it), else 80:
a page piped into `less` or a file reads as it would in a usual terminal.

This module imports only ``os``: the front page is answered before cleo is imported,
at the cost of Python's own start.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs ~5 ms on the fast path of --help
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import TextIO

DEFAULT_WIDTH = 80
MIN_WIDTH = 40
"""Narrower than this, a page is laid out for 40 columns and the terminal wraps it."""
INDENT = "  "
GAP = "  "
MAX_TERM = 24
"""A left column wider than this puts its text on the next line, under the others'."""


def page_width(environ: Mapping[str, str], stream: TextIO | None) -> int:
    """The columns a page is laid out for: ``COLUMNS``, else the terminal ``stream`` writes
    to, else 80."""
    given = environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return max(MIN_WIDTH, int(given))
    try:
        if stream is not None and stream.isatty():
            columns = os.get_terminal_size(stream.fileno()).columns
            if columns > 0:
                return max(MIN_WIDTH, columns)
    except (AttributeError, ValueError, OSError):  # no fileno, closed, or no size
        pass
    return DEFAULT_WIDTH


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` columns, split at spaces: the first line
    starts with ``first``, the others with ``rest`` (default: as many spaces)."""
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    line = first
    empty = True
    for word in text.split():
        if not empty and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, empty = rest, True
        line = f"{line}{word}" if empty else f"{line} {word}"
        empty = False
    lines.append(line)
    return [line.rstrip() for line in lines]


def packed(entries: Iterable[str], width: int, separator: str = ", ") -> list[str]:
    """``entries`` in as few indented lines as fit ``width``, each entry whole on one line
    (an entry wider than a line gets a line of its own)."""
    lines: list[str] = []
    line = ""
    for entry in entries:
        if line and len(INDENT) + len(line) + len(separator) + len(entry) > width:
            lines.append(f"{INDENT}{line}{separator.rstrip()}")
            line = ""
        line = f"{line}{separator}{entry}" if line else entry
    return [*lines, f"{INDENT}{line}"] if line else lines


def columns(rows: Iterable[tuple[str, str]], width: int) -> list[str]:
    """Two columns, as help pages lay out options: each term, then its text wrapped under
    itself. A term wider than MAX_TERM (or than a third of the width) has its text on the
    next line, indented like the others'."""
    rows = list(rows)
    limit = min(MAX_TERM, max(8, width // 3))
    fitting = [len(term) for term, _ in rows if len(term) <= limit]
    term_width = max(fitting, default=limit)
    hanging = " " * (len(INDENT) + term_width + len(GAP))
    lines: list[str] = []
    for term, text in rows:
        if len(term) > term_width:
            lines.append(f"{INDENT}{term}")
            lines += wrap(text, width, hanging) if text else []
        else:
            lines += wrap(text, width, f"{INDENT}{term.ljust(term_width)}{GAP}", hanging)
    return lines


def paragraph(text: str, width: int) -> list[str]:
    """A paragraph of prose, indented as the sections of a page are."""
    return wrap(text, width, INDENT)
