"""The one error boundary: every failure becomes one line on stderr and an exit code.

Only our own words are rendered (nanoctl.entrypoints.messages). A foreign exception's
text (requests, cryptography, pydantic, cleo's "got <argument>") can carry the token, so
it is never printed, not even in the -vvv traceback.
"""

from __future__ import annotations

import json
import re
import traceback

from cleo.exceptions import CleoError
from cleo.io.io import IO
from cleo.io.outputs.output import Type, Verbosity

from nanoctl.domain.errors import (
    ApiUnavailable,
    Cancelled,
    CommandLineError,
    CommandNotExecutable,
    CommandNotFound,
    InternalError,
    NanoctlError,
    NotLoggedIn,
    TokenRejected,
    UsageError,
)
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.messages.errors import explain

EXIT_OK = 0
EXIT_CODES: tuple[tuple[type[NanoctlError], int], ...] = (
    (UsageError, 2),
    (NotLoggedIn, 1),
    (TokenRejected, 3),
    (ApiUnavailable, 4),
    (StorageError, 5),
    (Cancelled, 130),
    (InternalError, 1),
    # exec's program did not start: a shell's codes, so scripts read them alike
    (CommandNotFound, 127),
    (CommandNotExecutable, 126),
)


def exit_code_of(error: NanoctlError) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return 1


def as_domain_error(error: BaseException) -> NanoctlError:
    """Our own error for anything raised: cleo usage errors keep a sanitized message."""
    if isinstance(error, NanoctlError):
        return error
    if isinstance(error, KeyboardInterrupt):
        return Cancelled()
    if isinstance(error, CleoError):
        return CommandLineError(_sanitized_usage(str(error)))
    return InternalError(type(error).__name__)


def report(error: BaseException, io: IO) -> int:
    """Render ``error`` on stderr (JSON with --json) and return its exit code."""
    domain_error = as_domain_error(error)
    code = exit_code_of(domain_error)
    message = str(explain(domain_error))
    # Only before `--`: what follows belongs to the program `nanoctl exec` runs.
    if io.input.has_parameter_option("--json", only_params=True):
        payload = {"error": {"code": code, "kind": domain_error.kind, "message": message}}
        io.error_output.write_line(json.dumps(payload), type=Type.RAW, verbosity=Verbosity.QUIET)
        return code
    if io.is_debug():
        io.error_output.write(safe_traceback(error), type=Type.RAW, verbosity=Verbosity.QUIET)
    line = message if isinstance(domain_error, Cancelled) else f"Error: {message}"
    if io.error_output.is_decorated():
        io.error_output.write_line(
            f"\x1b[31m{line}\x1b[0m", type=Type.RAW, verbosity=Verbosity.QUIET
        )
    else:
        io.error_output.write_line(line, type=Type.RAW, verbosity=Verbosity.QUIET)
    return code


def safe_traceback(error: BaseException) -> str:
    """Frames (code locations, never values) of the exception chain, with messages
    only for our own errors."""
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
        text = str(explain(exc)) if isinstance(exc, NanoctlError) else "(message withheld)"
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__}: {text}\n\n")
    return "".join(parts)


_SAFE_WORD = re.compile(r"^-{0,2}[a-z][a-z-]{0,15}$")
_QUOTED = re.compile(r'"([^"]*)"')


def _sanitized_usage(message: str) -> str:
    """cleo quotes what the user typed; show it only when it looks like a command or
    option name, never something that could be a pasted token."""
    first_line = message.strip().splitlines()[0] if message.strip() else "Invalid usage."

    def keep_or_hide(match: re.Match[str]) -> str:
        word = match.group(1)
        return f'"{word}"' if _SAFE_WORD.match(word) else "(value not shown)"

    line = _QUOTED.sub(keep_or_hide, first_line)
    return line if line.endswith((".", "!", "?")) else f"{line}."
