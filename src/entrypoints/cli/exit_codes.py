"""The exit code of every failure: one table, read by the error boundary (the code a run
exits with), the help pages (the codes each command can return) and docs/errors.md.

It imports only the domain's errors, so a help page lists a command's exit codes without
loading the words of every error.
"""

from __future__ import annotations

from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.errors import (
    Cancelled,
    InternalError,
    NanoctlError,
    NotLoggedIn,
    TokenRejected,
    UsageError,
)
from nanoctl.domain.handover_errors import CommandNotExecutable, CommandNotFound, TokenNotWritten
from nanoctl.domain.legacy.errors import LegacyFileBehindLink, LegacyTokenUnreadable
from nanoctl.domain.request_errors import AnswerNotWritten, UnsuccessfulStatus
from nanoctl.domain.store_errors import StorageError

EXIT_OK = 0
EXIT_CODES: tuple[tuple[type[NanoctlError], int], ...] = (
    (UsageError, 2),
    # the old nanoctl's file holds no usable token: a local credential file that cannot be read
    (LegacyTokenUnreadable, 5),
    (LegacyFileBehindLink, 5),  # not destroyed through a link, as no credential file is
    (NotLoggedIn, 1),
    (TokenRejected, 3),
    (ApiUnavailable, 4),
    (StorageError, 5),
    (Cancelled, 130),
    (InternalError, 1),
    (TokenNotWritten, 1),  # as `cat` and `echo` fail on a closed or full standard output
    (AnswerNotWritten, 1),  # `nanoctl api`, alike
    (UnsuccessfulStatus, 1),  # `nanoctl api`: the API answered, not with 2xx (as `curl -f`)
    # exec's program did not start: a shell's codes, so scripts read them alike
    (CommandNotFound, 127),
    (CommandNotExecutable, 126),
)


def exit_code_of(error: NanoctlError | type[NanoctlError]) -> int:
    """The exit code of ``error`` (an error, or its class)."""
    cls = error if isinstance(error, type) else type(error)
    for family, code in EXIT_CODES:
        if issubclass(cls, family):
            return code
    return 1


_WORST_FIRST = (3, 4, 5, 1)
"""Of several failures (`status --all`), the exit code that wins: a rejected or expired
token first, then an API that could not be used, then a damaged store."""


def exit_code_of_all(errors: list[NanoctlError]) -> int:
    """The exit code of a run that met ``errors`` (0: none)."""
    codes = {exit_code_of(error) for error in errors}
    for code in _WORST_FIRST:
        if code in codes:
            return code
    return max(codes, default=EXIT_OK)
