"""The HTTP exchange on requests/urllib3, with the limits requests does not enforce.

- one total deadline over a whole validate() call, enforced between body reads and by a
  watchdog that cuts the connections, so a server that drips its body or its headers a
  byte at a time is cut off;
- the body is capped on its *decoded* size, so a gzip bomb is refused after 1 MiB;
- redirects are never looked at (requests would read a redirect's whole body even with
  allow_redirects=False), and urllib3's own retries, which obey Retry-After for hours,
  are off;
- the token goes through ``auth=``, so a ``~/.netrc`` entry cannot replace it;
- an API on this machine is contacted directly, whatever the proxy variables say.

requests and urllib3 are imported inside the functions that use them: the container builds
a validator for `status --offline`, which never sends a request.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from contextvars import Token as ContextToken
from typing import TYPE_CHECKING, Any

from nanoctl.adapters.http.failures import BodyRefused, Failure
from nanoctl.domain.api_errors import ApiUnreachable, BodyTooLarge, MissingCaBundle
from nanoctl.domain.model import Token

if TYPE_CHECKING:  # requests costs ~70 ms: only validate() imports it
    import requests
    import requests.adapters

MAX_BODY = 1024 * 1024
"""The largest decoded body accepted (SPEC section 3)."""

_CHUNK = 64 * 1024
_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


class HttpLimits:
    """``timeout`` bounds each connect and each read; ``deadline`` a whole validate() call,
    retries and backoff included; ``max_body`` the decoded body, in bytes."""

    __slots__ = ("deadline", "max_body", "timeout")

    def __init__(
        self, timeout: float = 10.0, deadline: float = 30.0, max_body: int = MAX_BODY
    ) -> None:
        if timeout <= 0 or deadline <= 0:
            raise ValueError("timeout and deadline must be positive")
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.max_body = int(max_body)

    def __repr__(self) -> str:
        return f"HttpLimits(timeout={self.timeout}, deadline={self.deadline})"


class Deadline:
    """The end of one validate() call, on a monotonic ``clock``."""

    __slots__ = ("_clock", "_end")

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return self._end - self._clock()

    @property
    def passed(self) -> bool:
        return self._clock() >= self._end


class BearerAuth:
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


def ca_bundle(url: str) -> bool | str:
    """What to verify TLS with: the CA bundle the environment names, else the default.

    requests honours REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE but not the OpenSSL
    variables SSL_CERT_FILE/SSL_CERT_DIR; we honour all four, in that order.
    """
    for variable in _CA_VARIABLES:
        path = os.environ.get(variable, "").strip()
        if path:
            if not os.path.exists(path):
                raise MissingCaBundle(url, path, variable)
            return path
    return True


def read_body(
    response: requests.Response, limits: HttpLimits, deadline: Deadline, url: str
) -> bytes:
    """The decoded body of the API at ``url``'s answer, read a little at a time against
    the cap and the deadline. Raises BodyRefused when it is too large or too late."""
    declared = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if not encoded and declared.isdigit() and int(declared) > limits.max_body:
        raise BodyRefused(Failure(BodyTooLarge(url, limits.max_body)))
    raw = response.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    chunks: list[bytes] = []
    total = 0
    while True:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise BodyRefused(Failure(ApiUnreachable(url, "deadline_passed", limits.deadline)))
        if sock is not None:
            # No single read may outlive the deadline.
            sock.settimeout(min(limits.timeout, remaining))
        # read1 returns what has arrived (a dripping server cannot hold it), and
        # decodes at most ``amt`` bytes (a gzip bomb cannot inflate past it).
        chunk = raw.read1(min(_CHUNK, limits.max_body + 1 - total), decode_content=True)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limits.max_body:
            raise BodyRefused(Failure(BodyTooLarge(url, limits.max_body)))
        chunks.append(chunk)


# --- the session -------------------------------------------------------------------------


def open_session(*, direct: bool = False) -> requests.Session:
    """A session that follows no redirect, retries nothing itself and lets the watchdog
    see its connections; proxies from the environment apply unless ``direct`` (an API
    on this machine, which is never contacted through a proxy)."""
    return configured(no_redirect_session()(), direct=direct)


def configured(session: requests.Session, *, direct: bool) -> requests.Session:
    """``session`` (a NoRedirectSession) set up as open_session() sets up its own."""
    from urllib3.util.retry import Retry  # with requests (~70 ms): only when a request is sent

    # trust_env is what makes requests read HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY
    # (and ~/.netrc, which auth= overrides; the CA variables are read by ca_bundle()).
    # Off for a loopback API: no proxy variable, of any spelling, can then apply.
    session.trust_env = not direct
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


@functools.cache
def no_redirect_session() -> type[requests.Session]:
    """A Session that never looks at a redirect.

    Even with ``allow_redirects=False``, requests prepares ``Response.next`` for a 3xx,
    and to do so reads and decodes the whole redirect body first: no size cap, no
    deadline of ours, a gzip bomb inflated in full. With no redirect target, it doesn't;
    the Location header is read by nanoctl.adapters.http.answers.
    """
    import requests  # ~70 ms: only when a request is sent

    class NoRedirectSession(requests.Session):
        def get_redirect_target(self, resp: requests.Response) -> str | None:
            return None

    return NoRedirectSession


# --- cutting connections at the deadline --------------------------------------------------

# The connections opened by the validate() call running in this thread/context, so the
# watchdog can cut them when the deadline passes.
_CONNECTIONS: ContextVar[list[Any] | None] = ContextVar("nanoctl_connections", default=None)


class Watchdog:
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
        self._reset: ContextToken[list[Any] | None] | None = None

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
        for connection in list(self._connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _register(connection: object) -> None:
    connections = _CONNECTIONS.get()
    if connections is not None and not any(known is connection for known in connections):
        connections.append(connection)


@functools.cache
def _tracking_adapter() -> type[requests.adapters.HTTPAdapter]:
    """An HTTPAdapter whose connections register with the current watchdog.

    urllib3 picks connection classes through its pools (``ConnectionCls``) and pools
    through ``PoolManager.pool_classes_by_scheme``; we swap both for thin subclasses
    that only register the connection before connecting. SOCKS proxies keep their own.
    """
    # requests and urllib3 (~70 ms): only when a request is sent.
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.poolmanager import PoolManager, ProxyManager

    # A connection registers when it connects, and again for each request it carries: one
    # kept alive by a session (`api.session()`) may serve a later call, with a watchdog of
    # its own.
    class TrackedHTTPConnection(HTTPConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

        def request(self, *args: Any, **kwargs: Any) -> None:
            _register(self)
            super().request(*args, **kwargs)

    class TrackedHTTPSConnection(HTTPSConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

        def request(self, *args: Any, **kwargs: Any) -> None:
            _register(self)
            super().request(*args, **kwargs)

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
