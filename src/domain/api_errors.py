"""What can go wrong asking the API (exit 4), as facts: which URL, what failed on the wire or
in its answer. Part of the one hierarchy of ``nanoctl.domain.errors``; the words are in
``nanoctl.entrypoints.words.api_failures``."""

from __future__ import annotations

from typing import Literal

from nanoctl.domain.errors import NanoctlError

NetworkFailure = Literal[
    "timed_out",
    "no_answer_in_time",
    "deadline_passed",
    "refused",
    "host_not_found",
    "tls_handshake",
    "proxy",
    "no_answer",
    "cut",
    "connection_failed",
    "request_failed",
]
BodyProblem = Literal[
    "not_an_object",
    "undocumented_shape",
    "username_too_long",
    "username_control_characters",
]
FieldProblem = Literal[
    "missing_or_not_boolean",
    "not_a_string",
    "not_a_number",
    "not_iso_date",
    "out_of_range",
    "not_finite",
]


class ApiUnavailable(NanoctlError):
    kind = "api_unavailable"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class ApiUnreachable(ApiUnavailable):
    """``failure`` says what went wrong on the wire. ``timed_out``: the connection was not
    made in time; ``no_answer_in_time``: it was, but no answer came within ``seconds`` (the
    read timeout); ``deadline_passed``: the whole call took longer than its deadline,
    ``seconds``. Scripts read all of them as ``unreachable``: the network is the problem."""

    kind = "unreachable"

    def __init__(self, url: str, failure: NetworkFailure, seconds: float | None = None) -> None:
        super().__init__(url)
        self.failure: NetworkFailure = failure
        self.seconds = seconds


class MissingCaBundle(ApiUnreachable):
    """The CA bundle an environment variable names does not exist."""

    def __init__(self, url: str, path: str, variable: str) -> None:
        super().__init__(url, "request_failed")
        self.path = path
        self.variable = variable


class TlsFailure(ApiUnavailable):
    kind = "tls"


class RateLimited(ApiUnavailable):
    kind = "rate_limited"

    def __init__(self, url: str, retry_after: float | None) -> None:
        super().__init__(url)
        self.retry_after = retry_after


class ServerError(ApiUnavailable):
    kind = "server_error"

    def __init__(self, url: str, status: int) -> None:
        super().__init__(url)
        self.status = status


class UnexpectedResponse(ApiUnavailable):
    kind = "unexpected_response"


class UnexpectedStatus(UnexpectedResponse):
    def __init__(self, url: str, status: int) -> None:
        super().__init__(url)
        self.status = status


class RedirectNotFollowed(UnexpectedResponse):
    """``target`` is safe to show (no credentials, query or token); None: no Location header;
    ``parseable`` False: a Location that is not a URL."""

    def __init__(self, url: str, status: int, target: str | None, parseable: bool = True) -> None:
        super().__init__(url)
        self.status = status
        self.target = target
        self.parseable = parseable


class NotJson(UnexpectedResponse):
    """``content_type`` (printable, short) when the server named another one."""

    def __init__(self, url: str, content_type: str | None = None) -> None:
        super().__init__(url)
        self.content_type = content_type


class BodyTooLarge(UnexpectedResponse):
    def __init__(self, url: str, limit: int) -> None:
        super().__init__(url)
        self.limit = limit


class UndecodableBody(UnexpectedResponse):
    """The Content-Encoding did not decode."""


class MalformedBody(UnexpectedResponse):
    def __init__(self, url: str, problem: BodyProblem) -> None:
        super().__init__(url)
        self.problem: BodyProblem = problem


class BadField(UnexpectedResponse):
    def __init__(self, url: str, field: str, problem: FieldProblem) -> None:
        super().__init__(url)
        self.field = field
        self.problem: FieldProblem = problem
