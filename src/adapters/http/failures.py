"""Failed attempts, and foreign exceptions turned into our facts.

requests and urllib3 raise exceptions whose text can quote the Authorization header, so
their text is never used: the class of each exception in the chain decides which of our
errors it becomes, and whether another attempt may help.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

from nanoctl.domain.api_errors import ApiUnreachable, NetworkFailure, TlsFailure, UndecodableBody
from nanoctl.domain.errors import NanoctlError


class Failure:
    """One failed attempt: the error to report, and whether another attempt may help."""

    __slots__ = ("error", "retry_after", "retryable")

    def __init__(
        self, error: NanoctlError, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        self.error = error
        self.retryable = retryable
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"Failure({self.error!r}, retryable={self.retryable})"


class BodyRefused(Exception):
    """Internal: the body was refused for a reason already put in our facts."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(type(failure.error).__name__)
        self.failure = failure


def classify(error: BaseException, url: str, timeout: float | None = None) -> Failure:
    """Our error for a foreign failure while talking to the API at ``url``, whose reads
    were given ``timeout`` seconds each."""
    # Here, not at the top: requests, urllib3 (~70 ms) and http.client (~6 ms) come only
    # with a request; `status --offline` builds a validator and never sends one.
    import http.client

    import requests
    import urllib3.exceptions as u3

    # First match wins: certificate problems before other TLS errors, specific causes
    # before the generic connection errors they are also instances of.
    rules: list[tuple[tuple[type[BaseException], ...], NetworkFailure | None, bool]] = [
        ((ssl.SSLCertVerificationError, ssl.CertificateError), None, False),
        ((requests.exceptions.SSLError, u3.SSLError, ssl.SSLError), "tls_handshake", False),
        ((requests.exceptions.ProxyError, u3.ProxyError), "proxy", True),
        ((u3.NameResolutionError, socket.gaierror), "host_not_found", False),
        ((ConnectionRefusedError,), "refused", True),
        # Not reached in time, before the reads that were (its answer late): each says so.
        ((requests.exceptions.ConnectTimeout, u3.ConnectTimeoutError), "timed_out", True),
        # Not urllib3's TimeoutError: its NewConnectionError is one, refused or not.
        (
            (requests.exceptions.Timeout, u3.ReadTimeoutError, TimeoutError),
            "no_answer_in_time",
            True,
        ),
        ((http.client.RemoteDisconnected,), "no_answer", True),
        (
            (
                requests.exceptions.ChunkedEncodingError,
                u3.ProtocolError,
                http.client.HTTPException,
                ConnectionResetError,
                BrokenPipeError,
            ),
            "cut",
            True,
        ),
        (
            (requests.exceptions.ConnectionError, u3.NewConnectionError, ConnectionError),
            "connection_failed",
            True,
        ),
    ]
    chain = list(_causes(error))
    if any(
        isinstance(item, (requests.exceptions.ContentDecodingError, u3.DecodeError))
        for item in chain
    ):
        return Failure(UndecodableBody(url))
    for kinds, failure, retryable in rules:
        if any(isinstance(item, kinds) for item in chain):
            if failure is None:
                return Failure(TlsFailure(url))
            seconds = timeout if failure == "no_answer_in_time" else None
            return Failure(ApiUnreachable(url, failure, seconds), retryable)
    return Failure(ApiUnreachable(url, "request_failed"))


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps: causes, contexts, urllib3 reasons, args."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        wrapped.extend(current.args)
        pending.extend(item for item in wrapped if isinstance(item, BaseException))
