"""The TokenValidator that asks the Nanoservices API, over HTTP(S) with requests.

``GET {base}/login`` with the token as a Bearer credential. Each of these is a known
trap of requests/urllib3, defeated here and reproduced for real in
tests/integration/test_http_validator.py:

- requests is imported only when a token is validated, never at import time;
- the token goes through ``auth=``, so a ``~/.netrc`` entry cannot replace it;
- no foreign exception text is ever shown (some contain the whole header, token
  included): every failure becomes one of our domain errors with our message, raised
  outside the ``except`` block so nothing is chained to it;
- one total deadline over the whole call, retries included, enforced between body
  reads and by a watchdog that cuts the connection, so a server that drips its body
  or its headers a byte at a time is cut off;
- the body is capped on its *decoded* size, so a gzip bomb is refused after 1 MiB;
- redirects are not followed (they could carry the token to another host or to
  plain http), and their body is never read (requests would read all of it, even
  with allow_redirects=False); urllib3's own retries, which obey Retry-After for
  hours, are off.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from contextvars import Token as Token_
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nanoctl.adapters.diagnostics import Diagnostics, Silent
from nanoctl.domain.errors import (
    ApiUnreachable,
    ForbiddenToken,
    InvalidToken,
    MalformedToken,
    NanoctlError,
    RateLimited,
    ServerError,
    TlsFailure,
    UnexpectedResponse,
)
from nanoctl.domain.model import ApiUrl, Identity, Token, token_problem

if TYPE_CHECKING:
    import requests
    import requests.adapters

MAX_BODY = 1024 * 1024
"""The largest decoded body accepted (SPEC section 3)."""

_CHUNK = 64 * 1024
_RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
_CUT = "the connection was cut mid-response"
_REJECTIONS: dict[int, Callable[[], NanoctlError]] = {401: InvalidToken, 403: ForbiddenToken}


@dataclass(frozen=True)
class _Failure:
    """One failed attempt: the error to report, and whether another attempt may help."""

    error: NanoctlError
    retryable: bool = False
    retry_after: float | None = None


class _BearerAuth:
    """``Authorization: Bearer <token>``, applied by requests as an auth handler.

    Passing it as ``auth=`` (rather than as a header) is what stops requests from
    replacing it with credentials from ``~/.netrc``. requests accepts any callable
    here; subclassing requests.auth.AuthBase would import requests with this module.
    """

    __slots__ = ("_token",)

    def __init__(self, token: Token) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth([redacted])"


class RequestsTokenValidator:
    """Validates tokens against ``GET {api_url}/login``.

    ``timeout`` bounds each connect and each read; ``deadline`` bounds the whole
    ``validate()`` call, retries and backoff included. Connection failures, 502/503/504
    and 429 are retried up to ``max_attempts`` attempts in all, with exponential backoff
    and jitter; a Retry-After up to ``retry_after_cap`` seconds is honoured, a longer one
    fails at once. 401, 403 and answers with a body are never retried.
    """

    def __init__(
        self,
        user_agent: str,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_attempts: int = 3,
        retry_after_cap: float = 5.0,
        diagnostics: Diagnostics | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_body: int = MAX_BODY,
        *,
        backoff: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] | None = None,
    ) -> None:
        if timeout <= 0 or deadline <= 0:
            raise ValueError("timeout and deadline must be positive")
        self._user_agent = user_agent
        self._timeout = float(timeout)
        self._deadline = float(deadline)
        self._max_attempts = max(1, int(max_attempts))
        self._retry_after_cap = max(0.0, float(retry_after_cap))
        self._diagnostics: Diagnostics = diagnostics if diagnostics is not None else Silent()
        self._sleep = sleep
        self._max_body = int(max_body)
        self._backoff = max(0.0, float(backoff))
        self._clock = clock
        self._jitter = jitter

    def __repr__(self) -> str:
        return (
            f"RequestsTokenValidator(timeout={self._timeout}, deadline={self._deadline}, "
            f"max_attempts={self._max_attempts})"
        )

    # --- the port -------------------------------------------------------------------

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        _refuse_unsendable(token)
        end = self._clock() + self._deadline
        url = api_url.join("login")
        base = api_url.value
        verify = self._verify(base)
        with self._session() as session, _Watchdog(self._deadline):
            attempt = 1
            while True:
                outcome = self._attempt(session, token, url, base, verify, end, attempt)
                if isinstance(outcome, Identity):
                    return outcome
                delay = self._retry_delay(outcome, attempt, end)
                if delay is None:
                    raise outcome.error
                self._diagnostics.info(
                    f"{outcome.error.message} Retrying in {delay:.1f} s "
                    f"(attempt {attempt + 1} of {self._max_attempts})."
                )
                self._sleep(delay)
                attempt += 1

    # --- one attempt ----------------------------------------------------------------

    def _attempt(
        self,
        session: requests.Session,
        token: Token,
        url: str,
        base: str,
        verify: bool | str,
        end: float,
        attempt: int,
    ) -> Identity | _Failure:
        remaining = end - self._clock()
        if remaining <= 0:
            return _Failure(ApiUnreachable(base, "timed out"))
        limit = min(self._timeout, remaining)
        debug = self._diagnostics.debug
        debug(f"> GET {url} (attempt {attempt} of {self._max_attempts})")
        debug("> Authorization: Bearer [redacted]")
        debug(f"> User-Agent: {self._user_agent}")
        debug("> Accept: application/json")
        started = self._clock()
        response: requests.Response | None = None
        failure: _Failure | None = None
        try:
            response = session.get(
                url,
                headers={"Accept": "application/json", "User-Agent": self._user_agent},
                auth=_BearerAuth(token),
                timeout=(limit, limit),
                allow_redirects=False,
                stream=True,
                verify=verify,
            )
        except Exception as error:  # every kind: its text may carry the token
            failure = self._timed_out(base, end) or _classify(error, base)
        if response is None:
            failure = failure or _Failure(ApiUnreachable(base, "the request failed"))
            debug(f"! no answer after {self._ms_since(started)} ms: {failure.error.message}")
            return failure
        try:
            debug(f"< HTTP {response.status_code} in {self._ms_since(started)} ms")
            return self._answer(response, token, url, base, end)
        finally:
            with contextlib.suppress(Exception):  # nothing foreign may escape, even here
                response.close()

    def _answer(
        self, response: requests.Response, token: Token, url: str, base: str, end: float
    ) -> Identity | _Failure:
        status = response.status_code
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if status == 200:
            return self._identity(response, base, end)
        if status in _REJECTIONS:
            return _Failure(_REJECTIONS[status]())
        if status == 429:
            return _Failure(RateLimited(base, retry_after), True, retry_after)
        if 500 <= status <= 599:
            retryable = status in _RETRYABLE_STATUS
            return _Failure(ServerError(base, status), retryable, retry_after)
        if 300 <= status <= 399:
            target = _describe_location(response.headers.get("Location"), url, token)
            return _Failure(
                UnexpectedResponse(
                    base, f"HTTP {status} redirect to {target}, which nanoctl does not follow"
                )
            )
        return _Failure(UnexpectedResponse(base, f"HTTP {status}"))

    def _identity(self, response: requests.Response, base: str, end: float) -> Identity | _Failure:
        from nanoctl.adapters.http.login_response import parse_login_response

        body: bytes | None = None
        failure: _Failure | None = None
        try:
            body = self._read_body(response, base, end)
        except _BodyRefused as refused:
            failure = refused.failure
        except Exception as error:  # reset, timeout, bad encoding: never show its text
            failure = self._timed_out(base, end) or _classify(error, base)
        if body is None:
            return failure or _Failure(ApiUnreachable(base, _CUT), retryable=True)
        self._diagnostics.debug(f"< {len(body)} bytes of body")
        content_type = response.headers.get("Content-Type", "")
        if content_type and "json" not in content_type.lower() and not _looks_like_json(body):
            kind = _printable(content_type.split(";", 1)[0].strip(), 60)
            return _Failure(
                UnexpectedResponse(
                    base, f"the body is {kind}, not JSON (a proxy or captive portal may answer)"
                )
            )
        return parse_login_response(body, base)

    def _read_body(self, response: requests.Response, base: str, end: float) -> bytes:
        """The decoded body, read a little at a time against the cap and the deadline."""
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if not encoded and declared.isdigit() and int(declared) > self._max_body:
            raise _BodyRefused(_Failure(UnexpectedResponse(base, self._too_large())))
        raw = response.raw
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        chunks: list[bytes] = []
        total = 0
        while True:
            remaining = end - self._clock()
            if remaining <= 0:
                raise _BodyRefused(_Failure(ApiUnreachable(base, "timed out")))
            if sock is not None:
                # No single read may outlive the deadline.
                sock.settimeout(min(self._timeout, remaining))
            # read1 returns what has arrived (a dripping server cannot hold it), and
            # decodes at most ``amt`` bytes (a gzip bomb cannot inflate past it).
            chunk = raw.read1(min(_CHUNK, self._max_body + 1 - total), decode_content=True)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > self._max_body:
                raise _BodyRefused(_Failure(UnexpectedResponse(base, self._too_large())))
            chunks.append(chunk)

    def _too_large(self) -> str:
        return f"the body is larger than {_size(self._max_body)}"

    # --- retries ----------------------------------------------------------------------

    def _retry_delay(self, failure: _Failure, attempt: int, end: float) -> float | None:
        """How long to wait before the next attempt, or None to give up now."""
        if not failure.retryable or attempt >= self._max_attempts:
            return None
        if failure.retry_after is not None:
            if failure.retry_after > self._retry_after_cap:
                return None  # the server asked for longer than we are willing to wait
            delay = failure.retry_after
        else:
            delay = self._backoff * 2 ** (attempt - 1) * (0.5 + self._random())
        if delay >= end - self._clock():
            return None  # never sleep past the deadline
        return delay

    def _random(self) -> float:
        if self._jitter is not None:
            return self._jitter()
        import random

        return random.random()  # noqa: S311 - jitter, not cryptography

    # --- plumbing ---------------------------------------------------------------------

    def _session(self) -> requests.Session:
        from urllib3.util.retry import Retry

        session = _session_class()()
        # trust_env stays on: HTTPS_PROXY/NO_PROXY and the CA variables must work. It
        # also enables ~/.netrc, which auth= overrides.
        session.trust_env = True
        # urllib3 must not retry on its own: we count attempts and keep the deadline.
        no_retries = Retry(
            total=0,
            read=False,
            redirect=False,
            status=0,
            respect_retry_after_header=False,
            raise_on_redirect=False,
            raise_on_status=False,
        )
        adapter = _tracking_adapter()(max_retries=no_retries)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def _verify(self, base: str) -> bool | str:
        """Always verify; with the CA bundle the environment names, if any.

        requests honours REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE but not the OpenSSL
        variables SSL_CERT_FILE/SSL_CERT_DIR; we honour all four, in that order.
        """
        import os

        for variable in _CA_VARIABLES:
            path = os.environ.get(variable, "").strip()
            if path:
                if not os.path.exists(path):
                    raise ApiUnreachable(
                        base, f"the CA bundle {path} named by {variable} does not exist"
                    )
                return path
        return True

    def _timed_out(self, base: str, end: float) -> _Failure | None:
        """A failure at or past the deadline is the deadline's doing (the watchdog's cut)."""
        if self._clock() >= end:
            return _Failure(ApiUnreachable(base, "timed out"))
        return None

    def _ms_since(self, started: float) -> int:
        return round((self._clock() - started) * 1000)


# The connections opened by the validate() call running in this thread/context, so the
# watchdog can cut them when the deadline passes.
_CONNECTIONS: ContextVar[list[Any] | None] = ContextVar("nanoctl_connections", default=None)


class _Watchdog:
    """Cuts every connection of the current validate() call once the deadline passes.

    The body loop checks the deadline between reads and each read is bounded, but while
    requests reads the status line and headers nothing of ours runs: a server sending
    its headers one byte at a time would hold us for as long as it likes. So a timer
    shuts the sockets down (which wakes the blocked read) when the time is up.
    """

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._connections: list[Any] = []
        self._timer: threading.Timer | None = None
        self._reset: Token_[list[Any] | None] | None = None

    def __enter__(self) -> None:
        self._reset = _CONNECTIONS.set(self._connections)
        self._timer = threading.Timer(self._seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def __exit__(self, *exc_info: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._reset is not None:
            _CONNECTIONS.reset(self._reset)

    def _cut(self) -> None:
        import socket

        for connection in list(self._connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _register(connection: object) -> None:
    connections = _CONNECTIONS.get()
    if connections is not None:
        connections.append(connection)


@functools.cache
def _session_class() -> type[requests.Session]:
    """A Session that never looks at a redirect.

    Even with ``allow_redirects=False``, requests prepares ``Response.next`` for a 3xx,
    and to do so reads and decodes the whole redirect body first: no size cap, no
    deadline of ours, a gzip bomb inflated in full. With no redirect target, it doesn't;
    we read the Location header ourselves.
    """
    import requests

    class NoRedirectSession(requests.Session):
        def get_redirect_target(self, resp: requests.Response) -> str | None:
            return None

    return NoRedirectSession


@functools.cache
def _tracking_adapter() -> type[requests.adapters.HTTPAdapter]:
    """An HTTPAdapter whose connections register with the current watchdog.

    urllib3 picks connection classes through its pools (``ConnectionCls``) and pools
    through ``PoolManager.pool_classes_by_scheme``; we swap both for thin subclasses
    that only register the connection before connecting. SOCKS proxies keep their own.
    """
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.poolmanager import PoolManager, ProxyManager

    class TrackedHTTPConnection(HTTPConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

    class TrackedHTTPSConnection(HTTPSConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

    class TrackedHTTPPool(HTTPConnectionPool):
        ConnectionCls = TrackedHTTPConnection

    class TrackedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPSConnection

    pools: dict[str, type[HTTPConnectionPool]] = {
        "http": TrackedHTTPPool,
        "https": TrackedHTTPSPool,
    }

    def track(manager: PoolManager) -> None:
        if type(manager) in (PoolManager, ProxyManager):
            manager.pool_classes_by_scheme = pools

    class TrackingAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            track(self.poolmanager)

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            track(manager)
            return manager

    return TrackingAdapter


class _BodyRefused(Exception):
    """Internal: the body was refused for a reason we already put in our words."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.error.message)
        self.failure = failure


def _refuse_unsendable(token: Token) -> None:
    """A token must be sendable as a header before requests sees it.

    Token.parse already guarantees this; a Token built another way might not, and
    requests would then raise an error quoting the whole header.
    """
    problem = token_problem(token.reveal())
    if problem is not None:
        raise MalformedToken(problem, "this credential")


def _classify(error: BaseException, base: str) -> _Failure:
    """Our words for a foreign failure. Its own text is never used."""
    import http.client
    import socket
    import ssl

    import requests
    import urllib3.exceptions as u3

    # First match wins: certificate problems before other TLS errors, specific causes
    # before the generic connection errors they are also instances of.
    rules: list[tuple[tuple[type[BaseException], ...], str | None, bool]] = [
        ((ssl.SSLCertVerificationError, ssl.CertificateError), None, False),
        (
            (requests.exceptions.SSLError, u3.SSLError, ssl.SSLError),
            "the TLS handshake failed",
            False,
        ),
        (
            (requests.exceptions.ProxyError, u3.ProxyError),
            "the proxy set by HTTPS_PROXY/HTTP_PROXY could not be used",
            True,
        ),
        ((u3.NameResolutionError, socket.gaierror), "host not found", False),
        ((ConnectionRefusedError,), "connection refused", True),
        # Not urllib3's TimeoutError: its NewConnectionError is one, refused or not.
        ((requests.exceptions.Timeout, u3.ReadTimeoutError, TimeoutError), "timed out", True),
        (
            (http.client.RemoteDisconnected,),
            "the server closed the connection without answering",
            True,
        ),
        (
            (
                requests.exceptions.ChunkedEncodingError,
                u3.ProtocolError,
                http.client.HTTPException,
                ConnectionResetError,
                BrokenPipeError,
            ),
            _CUT,
            True,
        ),
        (
            (requests.exceptions.ConnectionError, u3.NewConnectionError, ConnectionError),
            "the connection failed",
            True,
        ),
    ]
    chain = list(_causes(error))
    if any(
        isinstance(item, (requests.exceptions.ContentDecodingError, u3.DecodeError))
        for item in chain
    ):
        return _Failure(UnexpectedResponse(base, "the body could not be decoded"))
    for kinds, reason, retryable in rules:
        if any(isinstance(item, kinds) for item in chain):
            if reason is None:
                return _Failure(TlsFailure(base))
            return _Failure(ApiUnreachable(base, reason), retryable)
    return _Failure(ApiUnreachable(base, "the request failed"))


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


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.replace(".", "", 1).isdigit() and len(text) <= 12:
        return float(text)
    import email.utils
    from datetime import UTC, datetime

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe_location(location: str | None, url: str, token: Token) -> str:
    """Where a redirect points, safe to print: no credentials, query or token."""
    if not location:
        return "nowhere (no Location header)"
    from urllib.parse import urljoin, urlsplit

    try:
        parts = urlsplit(urljoin(url, location.strip()))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an unparseable Location"
    if ":" in host:
        host = f"[{host}]"
    shown = f"{parts.scheme}://{host}{port}{parts.path}"
    secret = token.reveal()
    if secret in shown:
        shown = shown.replace(secret, "[redacted]")
    return _printable(shown, 200)


def _printable(text: str, limit: int) -> str:
    """Visible ASCII only (no terminal escapes from the server), at most ``limit`` chars."""
    cleaned = "".join(c if " " <= c <= "~" else "?" for c in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip()[:1] in (b"{", b"[")


def _size(count: int) -> str:
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    if count % 1024 == 0:
        return f"{count // 1024} KiB"
    return f"{count} bytes"
