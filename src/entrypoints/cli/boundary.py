"""The one error boundary: every failure becomes one line on stderr and an exit code.

Only our own words are rendered (nanoctl.entrypoints.words). A foreign exception's
text (requests, cryptography, pydantic, cleo's "got <argument>") can carry the token, so
it is never printed, not even in the -vvv traceback.
"""

from __future__ import annotations

import json
import re
import traceback

from cleo.commands.command import Command
from cleo.exceptions import CleoCommandNotFoundError, CleoError, CleoNoSuchOptionError
from cleo.io.io import IO
from cleo.io.outputs.output import Type, Verbosity

from nanoctl.domain.errors import (
    Cancelled,
    CommandLineError,
    InternalError,
    NanoctlError,
    UnknownCommand,
)
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from nanoctl.entrypoints.cli.table import COMMANDS, GLOBAL_OPTIONS
from nanoctl.entrypoints.cli.terminal_lines import fitted, line_width
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.errors import explain
from nanoctl.entrypoints.words.shown import shown


def as_domain_error(error: BaseException, command: Command | None = None) -> NanoctlError:
    """Our own error for anything raised: cleo usage errors keep a sanitized message, with
    the names the user may have meant; ``command`` is the command the line was for."""
    if isinstance(error, NanoctlError):
        return error
    if isinstance(error, KeyboardInterrupt):
        return Cancelled()
    if isinstance(error, CleoCommandNotFoundError):
        return _unknown_command(str(error))
    if isinstance(error, CleoError):
        problem = _sanitized_usage(str(error))
        suggestions: tuple[str, ...] = ()
        if isinstance(error, CleoNoSuchOptionError):
            suggestions = _similar_options(str(error), command)
        name = command.name if command is not None else None
        return CommandLineError(problem, command=name, suggestions=suggestions)
    return InternalError(type(error).__name__)


def report(
    error: BaseException, io: IO, command: Command | None = None, context: Context | None = None
) -> int:
    """Render ``error`` on stderr (JSON with --json) and return its exit code; ``command``
    is the command that ran (its name goes into a usage error's hint), ``context`` what
    the sentence may say of the run (its selection: the profile its next steps name)."""
    domain_error = as_domain_error(error, command)
    code = exit_code_of(domain_error)
    message = str(explain(domain_error, context))
    # Only before `--`: what follows belongs to the program `nanoctl exec` runs.
    if io.input.has_parameter_option("--json", only_params=True):
        payload = {"error": {"code": code, "kind": domain_error.kind, "message": message}}
        io.error_output.write_line(json.dumps(payload), type=Type.RAW, verbosity=Verbosity.QUIET)
        return code
    if io.is_debug():
        trace = safe_traceback(error, context)
        io.error_output.write(trace, type=Type.RAW, verbosity=Verbosity.QUIET)
    line = message if isinstance(domain_error, Cancelled) else f"Error: {message}"
    red = io.error_output.is_decorated()
    for part in fitted(line, line_width(io, io.error_output)):
        written = f"\x1b[31m{part}\x1b[0m" if red else part
        io.error_output.write_line(written, type=Type.RAW, verbosity=Verbosity.QUIET)
    return code


def safe_traceback(error: BaseException, context: Context | None = None) -> str:
    """Frames (code locations, never values) of the exception chain, with messages
    only for our own errors (worded for ``context``: never a token of the run)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    parts: list[str] = []
    for exc in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
        text = str(explain(exc, context)) if isinstance(exc, NanoctlError) else "(message withheld)"
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__}: {text}\n\n")
    return "".join(parts)


_QUOTED = re.compile(r'"([^"]*)"')
_SUGGESTED = re.compile(r"^ {4}(\S+)$")


def _sanitized_usage(message: str) -> str:
    """cleo quotes what the user typed; show it only when it looks like a command or
    option name, never something that could be a pasted token (``words.shown``)."""
    first_line = message.strip().splitlines()[0] if message.strip() else "Invalid usage."

    def keep_or_hide(match: re.Match[str]) -> str:
        word = match.group(1)
        return f'"{word}"' if shown(word) else "(value not shown)"

    line = _QUOTED.sub(keep_or_hide, first_line)
    return line if line.endswith((".", "!", "?")) else f"{line}."


def _unknown_command(message: str) -> UnknownCommand:
    """cleo's 'The command "logn" does not exist.', then its suggestions, one per indented
    line after "Did you mean ...?" (they are names of our commands: safe to show); a name
    typed in the wrong case (`LOGIN`) suggests the command it is."""
    lines = message.splitlines()
    suggestions = tuple(m.group(1) for line in lines[1:] if (m := _SUGGESTED.match(line)))
    typed = _QUOTED.search(message)
    if typed is not None:
        visible = [row.name for row in COMMANDS if not row.hidden]
        suggestions = _same_but_case(typed.group(1), visible) or suggestions
    return UnknownCommand(_sanitized_usage(message), suggestions=suggestions)


def _same_but_case(typed: str, names: list[str]) -> tuple[str, ...]:
    """The name ``typed`` is in another case, if there is one."""
    return tuple(name for name in names if name != typed and name.lower() == typed.lower())


def _similar_options(message: str, command: Command | None) -> tuple[str, ...]:
    """The options of ``command`` (the global ones without a command) close to the one
    cleo's message quotes."""
    typed = _QUOTED.search(message)
    if typed is None:
        return ()
    if command is not None:
        names = [(o.name, o.shortcut) for o in command.definition.options]
    else:
        names = [(o.name, o.shortcut) for o in GLOBAL_OPTIONS]
    spellings = [f"--{name}" for name, _ in names]
    spellings += [f"-{s}" for _, shortcut in names for s in (shortcut or "").split("|") if s]
    # Here: rapidfuzz (which cleo loads anyway) only for a mistyped option.
    from cleo._utils import find_similar_names

    word = typed.group(1)
    same = _same_but_case(word, spellings)
    return same or tuple(s for s in find_similar_names(word, spellings) if s != word)
