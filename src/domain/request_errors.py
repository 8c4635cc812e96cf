"""What can go wrong with a request made for the user (`nanoctl api`, ``api.session()``), as
facts. Part of the one hierarchy of ``nanoctl.domain.errors``; the words are in
``nanoctl.entrypoints.words.api_requests``.

No fact is a value the user typed that could be the token (a header's value, a field's
value, a line without its ``:``): only names that passed their rule, and URLs masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from nanoctl.domain.errors import ForbiddenToken, NanoctlError, UsageError

if TYPE_CHECKING:
    from nanoctl.domain.origins import TokenOrigin
    from nanoctl.domain.url_scope import UrlDifference

HeaderProblem = Literal["no_colon", "bad_name", "line_break"]
FieldProblem = Literal["no_equals", "empty_key", "repeated_key"]
InputProblem = Literal["missing", "directory", "unreadable"]


# --- exit 2: nothing was sent ------------------------------------------------------------


class UrlOutsideApi(UsageError):
    """``url`` (masked: its userinfo, query and fragment) is not under ``api_url``, the
    selected API, so the token may not go there: ``difference`` says how it lies outside."""

    kind = "url_outside_api"

    def __init__(self, url: str, api_url: str, difference: UrlDifference) -> None:
        super().__init__(url, api_url, difference)
        self.url = url
        self.api_url = api_url
        self.difference: UrlDifference = difference


class ForbiddenHeader(UsageError):
    """A header nanoctl sets itself (``name``: ``Authorization`` or ``Host``)."""

    kind = "forbidden_header"

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class MalformedHeader(UsageError):
    """A ``-H`` that is not ``Name: value``; the value is never kept."""

    kind = "malformed_header"

    def __init__(self, problem: HeaderProblem) -> None:
        super().__init__(problem)
        self.problem: HeaderProblem = problem


class MalformedField(UsageError):
    """A ``-f`` that is not ``key=value``; ``key`` only when it is a key that passed
    (given twice)."""

    kind = "malformed_field"

    def __init__(self, problem: FieldProblem, key: str | None = None) -> None:
        super().__init__(problem)
        self.problem: FieldProblem = problem
        self.key = key


class FieldsWithInput(UsageError):
    """``-f`` and ``--input`` both give the body: which one is meant is not ours to guess."""

    kind = "fields_with_input"


class InvalidMethod(UsageError):
    """``-X`` was given something that is not an HTTP method (its value is not kept)."""

    kind = "invalid_method"


class InputUnusable(UsageError):
    """The file ``--input`` names cannot be read as the body; ``errno`` for ``unreadable``."""

    kind = "input_file"

    def __init__(self, path: str, problem: InputProblem, errno: int | None = None) -> None:
        super().__init__(path, problem, errno)
        self.path = path
        self.problem: InputProblem = problem
        self.errno = errno


# --- exit 3: the API refused the token for this request -----------------------------------


class ForbiddenRequest(ForbiddenToken):
    """403 to ``method`` ``path`` (as typed, masked): the token lacks a permission."""

    def __init__(self, method: str, path: str, *, origin: TokenOrigin | None = None) -> None:
        super().__init__(method, path, origin=origin)
        self.method = method
        self.path = path


# --- exit 1 -------------------------------------------------------------------------------


class UnsuccessfulStatus(NanoctlError):
    """The API answered ``method`` ``path`` (as typed, masked) with ``status``, neither a
    success nor a rejection of the token nor its own failure (a 404, a 409, a 422...); the
    body, which says why, was written. ``api_url``: the API the path is relative to."""

    kind = "http_status"

    def __init__(self, status: int, method: str, path: str, api_url: str) -> None:
        super().__init__(status, method, path, api_url)
        self.status = status
        self.method = method
        self.path = path
        self.api_url = api_url


class AnswerNotWritten(NanoctlError):
    """The answer could not be written: standard output is closed (``errno`` None), or
    writing failed with ``errno`` (a reader gone, a full disk), maybe part-way."""

    kind = "answer_not_written"

    def __init__(self, errno: int | None) -> None:
        super().__init__(errno)
        self.errno = errno
