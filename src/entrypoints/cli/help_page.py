"""A command's help page (`nanoctl login --help`, `nanoctl help login`), laid out for the
width it is read at.

The page is written from what the command declares in its module: its usage, the
paragraphs that explain it (``about``), its options, its examples, and the errors it can
meet, whose exit codes come from the one table (``exit_codes``) and whose meanings from
``words.exit_codes``; the global options are listed once, in a short block (the front
page describes them). Plain text, no colours: the same bytes in a terminal and a pipe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from nanoctl.domain.errors import Cancelled, CommandLineError, InternalError, NanoctlError
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from nanoctl.entrypoints.cli.layout import INDENT, columns, packed, wrap
from nanoctl.entrypoints.cli.table import GLOBAL_OPTIONS, GlobalOption
from nanoctl.entrypoints.words.exit_codes import joined, meaning

if TYPE_CHECKING:
    from cleo.io.inputs.argument import Argument
    from cleo.io.inputs.option import Option

    from nanoctl.entrypoints.cli.command import Loaded

Paragraph = str | tuple[tuple[str, str], ...]
"""Prose, or a table of two columns (a term and what it means)."""
Example = tuple[str, str]
"""What an example does, and its command line."""

EVERY_COMMAND: tuple[type[NanoctlError], ...] = (CommandLineError, InternalError, Cancelled)
"""What any command line can meet: a bad option, a bug, a Ctrl-C."""
VALUE_NAMES = {"token-file": "PATH", "api-url": "URL", "input": "PATH"}
"""How an option's value is named on a page, where its own name in capitals would not say
what it is (``--token-file=TOKEN-FILE``)."""
_GLOBAL_NAMES = frozenset(option.name for option in GLOBAL_OPTIONS)


def help_page(command: Loaded, width: int) -> str:
    """The help page of ``command`` for ``width`` columns."""
    sections: list[list[str]] = [
        wrap(f"nanoctl {command.name} {command.usage}", width, "Usage: "),
        wrap(command.description, width),
        *(_paragraph(part, width) for part in command.about),
    ]
    arguments = [_argument_row(a) for a in command.definition.arguments if a.name != "command"]
    if arguments:
        sections.append(["Arguments:", *columns(arguments, width)])
    own = [o for o in command.definition.options if o.name not in _GLOBAL_NAMES]
    if own:
        sections.append(["Options:", *columns((_option_row(o) for o in own), width)])
    sections.append(global_options(width))
    if command.examples:
        sections.append(["Examples:", *examples(command.examples, width)])
    rows = exit_codes(command.success, command.errors())
    sections.append(["Exit codes:", *columns(rows, width)])
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def exit_codes(
    success: tuple[str, str], errors: Iterable[type[NanoctlError]]
) -> list[tuple[str, str]]:
    """The rows of the Exit codes section: ``success`` first, then each code the errors
    (and those of every command) lead to, with what it means."""
    by_code: dict[int, list[str]] = {}
    first, *last = EVERY_COMMAND
    for cls in (first, *errors, *last):
        by_code.setdefault(exit_code_of(cls), []).append(meaning(cls))
    return [success, *((str(code), joined(by_code[code])) for code in sorted(by_code))]


def declared_exit_codes(command: Loaded | type[Loaded]) -> frozenset[int] | None:
    """Every exit code the help page of ``command`` (or of its class) lists; None when it
    may be any (the program `exec` runs decides)."""
    codes = [row[0] for row in exit_codes(command.success, command.errors())]
    if not all(code.isdigit() for code in codes):
        return None
    return frozenset(int(code) for code in codes)


def global_options(width: int) -> list[str]:
    """The short block of the global options: each one's spelling and two or three words."""
    entries = [f"{_spelled(option)} ({option.label})" for option in GLOBAL_OPTIONS]
    return ["Global options (`nanoctl --help` describes them):", *packed(entries, width)]


def examples(given: Sequence[Example], width: int) -> list[str]:
    """Each example as a comment that says what it does, then its command line."""
    lines: list[str] = []
    for what, command_line in given:
        lines += wrap(what, width, f"{INDENT}# ", f"{INDENT}# ")
        lines.append(f"{INDENT}{command_line}")
    return lines


def _paragraph(part: Paragraph, width: int) -> list[str]:
    if isinstance(part, str):
        return wrap(part, width)
    return columns(part, width)


def _spelled(option: GlobalOption) -> str:
    shorts = option.short_spellings
    if shorts:
        return ", ".join(shorts)
    return f"--{option.name}={option.value}" if option.value else f"--{option.name}"


def _option_row(option: Option) -> tuple[str, str]:
    value = f"={VALUE_NAMES.get(option.name, option.name.upper())}"
    name = f"--{option.name}{value if option.accepts_value() else ''}"
    shorts = [f"-{short}" for short in (option.shortcut or "").split("|") if short]
    return (f"{', '.join(shorts)}, {name}" if shorts else f"    {name}"), option.description


def _argument_row(argument: Argument) -> tuple[str, str]:
    return argument.name.removesuffix("_name").upper(), argument.description
