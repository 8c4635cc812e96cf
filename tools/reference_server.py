"""A real HTTP server implementing the Nanoservices login API (SPEC section 3), stdlib only.
Beyond ``/login``, canned answers of a few other calls of the API and the endpoints the tests
of `nanoctl api` need are in reference_api.py, beside this file.

Every seeded token triggers one behaviour, good or hostile, so the HTTP adapter and the
CLI can be tested against the faults a real API (or a broken network) produces::

    with ReferenceServer() as server:
        print(server.url)            # http://127.0.0.1:43121/public/deployment
        ...                          # GET {server.url}/login, Authorization: Bearer VALID
        assert len(server.requests) == 1

Run it in the foreground for demos: ``python tools/reference_server.py [--host H] [--port P]``
prints one line ``listening on <url>`` and serves until interrupted.

The server never prints or logs anything, least of all an Authorization header.
"""

from __future__ import annotations

import argparse
import json
import selectors
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any

DEFAULT_PREFIX = "/public/deployment"

# --- the seeded tokens: visible ASCII, unique enough to grep for in leak checks ---------
VALID = "nano_valid_ada_7Kq2xR9mZ4"
VALID_EMAIL = "nano_valid_email_grace_Pw3nT8"
VALID_USER = "nano_valid_user_linus_Hc5vJ1"
ANONYMOUS = "nano_anonymous_Qz8Lm2Wd6"
EXPIRING_SOON = "nano_expiring_soon_Ry4Kb7Fs"
EXPIRED = "nano_expired_Tn6Vx3Gq9"
INACTIVE = "nano_inactive_Jm2Pd8Hw5"
FORBIDDEN = "nano_forbidden_Ux7Ce4Ba1"
RATE_LIMITED = "nano_rate_limited_Ws5Ny2Ko8"
RATE_LIMITED_LONG = "nano_rate_limited_long_Dg3Zr6Mi"
SERVER_ERROR = "nano_server_error_Lf9Qa4Xt"
UNAVAILABLE = "nano_unavailable_Bv1Hs7Ep"
FLAKY = "nano_flaky_Oc8Wu3Yj6"
NOT_JSON = "nano_not_json_Gk5Tm1Rz"
WRONG_TYPES = "nano_wrong_types_Ie2Fn9Vd"
HUGE = "nano_huge_Sp6Xc4Qb7"
HUGE_UNSIZED = "nano_huge_unsized_Nh3Kw8Lu"
GZIP_BOMB = "nano_gzip_bomb_Am7Jt2Ds5"
SLOW = "nano_slow_Ez4Rb9Wm1"
DRIP = "nano_drip_Yq6Lg3Cx8"
DRIP_HEADERS = "nano_drip_headers_Vb4Sn9Ke"
REDIRECT = "nano_redirect_Kt1Mv5Pn"
REDIRECT_BOMB = "nano_redirect_bomb_Gs7Yc2Xa"
RESET = "nano_reset_Fw8Hd2Zs4"
REFLECT = "nano_reflect_Hq7Vn3Lc5"
REFLECT_EMAIL = "nano_reflect_email_Tw2Xk6Gp"
REFLECT_CONTENT_TYPE = "nano_reflect_type_Mb9Dj4Rs"

TOKENS: dict[str, str] = {
    "valid": VALID,
    "valid_email": VALID_EMAIL,
    "valid_user": VALID_USER,
    "anonymous": ANONYMOUS,
    "expiring_soon": EXPIRING_SOON,
    "expired": EXPIRED,
    "inactive": INACTIVE,
    "forbidden": FORBIDDEN,
    "rate_limited": RATE_LIMITED,
    "rate_limited_long": RATE_LIMITED_LONG,
    "server_error": SERVER_ERROR,
    "unavailable": UNAVAILABLE,
    "flaky": FLAKY,
    "not_json": NOT_JSON,
    "wrong_types": WRONG_TYPES,
    "huge": HUGE,
    "huge_unsized": HUGE_UNSIZED,
    "gzip_bomb": GZIP_BOMB,
    "slow": SLOW,
    "drip": DRIP,
    "drip_headers": DRIP_HEADERS,
    "redirect": REDIRECT,
    "redirect_bomb": REDIRECT_BOMB,
    "reset": RESET,
    "reflect": REFLECT,
    "reflect_email": REFLECT_EMAIL,
    "reflect_content_type": REFLECT_CONTENT_TYPE,
}

HUGE_SIZE = 2 * 1024 * 1024
BOMB_DECODED_SIZE = 64 * 1024 * 1024


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it. Its repr hides the Authorization value."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    @property
    def bearer(self) -> str | None:
        """The token of a well-formed ``Authorization: Bearer <token>`` header."""
        return _bearer(self.header("Authorization"))

    def __repr__(self) -> str:
        shown = {
            key: ("[redacted]" if key.lower() == "authorization" else value)
            for key, value in self.headers.items()
        }
        return f"RecordedRequest({self.method!r}, {self.path!r}, {shown!r})"


def _bearer(value: str | None) -> str | None:
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token or " " in token.strip():
        return None
    return token.strip()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@cache
def gzip_bomb() -> bytes:
    """A ~64 KiB gzip stream that decodes to 64 MiB of zeros (built once, in pieces)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(BOMB_DECODED_SIZE // len(zeros))]
    parts.append(compressor.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"
    server_version = "nanoservices-reference/1"
    sys_version = ""

    # Quiet: the default handler logs every request line to stderr.
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._record()
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        if path != f"{owner.prefix}/login":
            self._api()
            return
        token = _bearer(self.headers.get("Authorization"))
        behaviour = _BEHAVIOURS.get(owner.behaviour_of(token) or "")
        if behaviour is None:
            self._json(401, {"error": "invalid token"}, {"WWW-Authenticate": "Bearer"})
            return
        behaviour(self, owner)

    def _other(self) -> None:
        self._record()
        if self.path.split("?", 1)[0] == f"{self.server.owner.prefix}/login":
            self._json(405, {"error": "method not allowed"}, {"Allow": "GET"})
            return
        self._api()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _other

    def _api(self) -> None:
        """The calls beyond /login (tools/reference_api.py), under the prefix."""
        prefix = self.server.owner.prefix
        if not self.path.startswith(f"{prefix}/"):
            self._json(404, {"error": "not found"})
            return
        import reference_api  # beside this file: on sys.path as a script and in the tests

        reference_api.handle(self, self.server.owner, self.path[len(prefix) :])

    def _record(self) -> None:
        self.server.owner._record(
            RecordedRequest(self.command, self.path, dict(self.headers.items()))
        )

    # --- response helpers -------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(body)

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), headers=headers)

    # --- behaviours -------------------------------------------------------------------

    def valid(self, owner: ReferenceServer) -> None:
        self._json(
            200,
            {"active": True, "username": "ada", "expires_at": _iso(owner.after(days=30))},
        )

    def valid_email(self, owner: ReferenceServer) -> None:
        exp = int(owner.after(days=90).timestamp())
        self._json(200, {"active": True, "email": "grace@example.com", "exp": exp})

    def valid_user(self, owner: ReferenceServer) -> None:
        self._json(200, {"active": True, "user": "linus"})

    def anonymous(self, owner: ReferenceServer) -> None:
        self._json(200, {"active": True})

    def expiring_soon(self, owner: ReferenceServer) -> None:
        self._json(
            200,
            {"active": True, "username": "ada", "expires_at": _iso(owner.after(days=3))},
        )

    def expired(self, owner: ReferenceServer) -> None:
        self._json(
            200,
            {"active": True, "username": "ada", "expires_at": _iso(owner.after(days=-2))},
        )

    def inactive(self, owner: ReferenceServer) -> None:
        self._json(200, {"active": False, "username": "ada"})

    def forbidden(self, owner: ReferenceServer) -> None:
        self._json(403, {"error": "forbidden"})

    def rate_limited(self, owner: ReferenceServer) -> None:
        self._json(429, {"error": "slow down"}, {"Retry-After": "1"})

    def rate_limited_long(self, owner: ReferenceServer) -> None:
        self._json(429, {"error": "slow down"}, {"Retry-After": "3600"})

    def server_error(self, owner: ReferenceServer) -> None:
        self._json(500, {"error": "internal"})

    def unavailable(self, owner: ReferenceServer) -> None:
        self._json(503, {"error": "unavailable"})

    def flaky(self, owner: ReferenceServer) -> None:
        if owner._first_time(FLAKY):
            self._json(503, {"error": "warming up"})
        else:
            self.valid(owner)

    def not_json(self, owner: ReferenceServer) -> None:
        self._send(200, b"<html><body>Sign in to the Wi-Fi</body></html>", "text/html")

    def wrong_types(self, owner: ReferenceServer) -> None:
        self._json(200, {"active": "yes", "username": 42})

    def huge(self, owner: ReferenceServer) -> None:
        self._send(200, _huge_body())

    def huge_unsized(self, owner: ReferenceServer) -> None:
        # No Content-Length: the body ends when the connection closes.
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        body = _huge_body()
        with _client_gone():
            for start in range(0, len(body), 64 * 1024):
                self.wfile.write(body[start : start + 64 * 1024])

    def gzip_bomb(self, owner: ReferenceServer) -> None:
        self._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})

    def slow(self, owner: ReferenceServer) -> None:
        if owner._stopping.wait(owner.slow_seconds):
            return
        with _client_gone():
            self.valid(owner)

    def drip(self, owner: ReferenceServer) -> None:
        count = max(1, int(owner.drip_seconds / owner.drip_interval))
        head = b'{"active": true, "username": "ada"}'
        body = head + b" " * max(0, count - len(head))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with _client_gone():
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                if owner._stopping.wait(owner.drip_interval):
                    return

    def drip_headers(self, owner: ReferenceServer) -> None:
        # The status line, then a header one byte at a time: no read ever times out.
        count = max(1, int(owner.drip_seconds / owner.drip_interval))
        with _client_gone():
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
            for _ in range(count):
                if owner._stopping.wait(owner.drip_interval):
                    return
                self.wfile.write(b"x")
            body = b'{"active": true, "username": "ada"}'
            self.wfile.write(
                b"\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
        self.close_connection = True

    def redirect(self, owner: ReferenceServer) -> None:
        target = owner.redirect_target or (f"http://127.0.0.2:{owner.port}{owner.prefix}/login")
        self._json(302, {"moved": True}, {"Location": target})

    def redirect_bomb(self, owner: ReferenceServer) -> None:
        # A redirect whose body is the gzip bomb: requests reads (and inflates) the whole
        # body of a 3xx even with allow_redirects=False, to prepare ``Response.next``.
        target = owner.redirect_target or f"http://127.0.0.2:{owner.port}{owner.prefix}/login"
        self._send(302, gzip_bomb(), headers={"Content-Encoding": "gzip", "Location": target})

    def reset(self, owner: ReferenceServer) -> None:
        body = json.dumps({"active": True, "username": "ada", "padding": "x" * 4000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with _client_gone():
            self.wfile.write(body[: len(body) // 2])
            # Give the half body time to leave: a close with SO_LINGER 0 drops unsent data.
            owner._stopping.wait(0.1)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()  # RST instead of FIN

    # A hostile or buggy API that sends the token back where nanoctl shows text.
    def reflect(self, owner: ReferenceServer) -> None:
        self._json(
            200,
            {"active": True, "username": REFLECT, "expires_at": _iso(owner.after(days=30))},
        )

    def reflect_email(self, owner: ReferenceServer) -> None:
        self._json(200, {"active": True, "email": f"ci+{REFLECT_EMAIL}@example.com"})

    def reflect_content_type(self, owner: ReferenceServer) -> None:
        self._send(200, b"<html>sign in</html>", f"text/{REFLECT_CONTENT_TYPE}")


_BEHAVIOURS: dict[str, Callable[[_Handler, ReferenceServer], None]] = {
    name: getattr(_Handler, name) for name in TOKENS
}


@cache
def _huge_body() -> bytes:
    head = b'{"active": true, "username": "ada", "padding": "'
    tail = b'"}'
    return head + b"x" * (HUGE_SIZE - len(head) - len(tail)) + tail


class _client_gone:
    """Swallow the errors of a client that went away mid-answer."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        return kind is not None and issubclass(kind, (ConnectionError, OSError))


class Serving:
    """A server's accept loop in a daemon thread, which ``stop()`` ends at once.

    socketserver's ``serve_forever()`` notices ``shutdown()`` only at its next poll: 46 of
    the 52 ms a server cost a test went to waiting out the 0.05 s default. This loop
    sleeps on the listening socket and on a socket pair that ``stop()`` writes to, so a
    server starts and stops in about a millisecond, with no polling in between.
    """

    def __init__(self, server: TCPServer, name: str) -> None:
        self._server = server
        # An accept that finds the connection gone must not block the loop for good.
        server.timeout = 0.1
        self._wake, self._waker = socket.socketpair()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Serving:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ends the loop (a request being handled finishes in its own thread)."""
        self._stopped.set()
        self._waker.send(b"x")
        self._thread.join(timeout=5)
        self._wake.close()
        self._waker.close()

    def _loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._server, selectors.EVENT_READ)
            selector.register(self._wake, selectors.EVENT_READ)
            while not self._stopped.is_set():
                ready = [key.fileobj for key, _ in selector.select()]
                if self._server in ready and not self._stopped.is_set():
                    self._server.handle_request()


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: ReferenceServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Quiet: failed TLS handshakes and vanished clients are part of the tests.
        pass


class ReferenceServer:
    """The reference API on a real socket, served from a background thread.

    ``url`` is the base URL including the prefix. ``requests`` is a snapshot of every
    request received so far. Behaviour knobs: ``slow_seconds``, ``drip_interval``,
    ``drip_seconds``, ``redirect_target`` (where /login redirects; default: the same port on
    127.0.0.2) and ``redirect_origin`` (where ``/redirect`` sends, e.g. another server's
    ``origin``; default: the same port on 127.0.0.2).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        prefix: str = DEFAULT_PREFIX,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.ssl_context = ssl_context
        self.slow_seconds = 5.0
        self.drip_interval = 0.4
        self.drip_seconds = 60.0
        self.redirect_target: str | None = None
        self.redirect_origin: str | None = None
        self.started_at = datetime.now(UTC)
        self._requested_port = port
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._seen: set[str] = set()
        self._stopping = threading.Event()
        self._httpd: _HttpServer | None = None
        self._serving: Serving | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> ReferenceServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HttpServer((self.host, self._requested_port), self)
        if self.ssl_context is not None:
            # Handshake lazily, in the handler thread: a client that never completes it
            # must not block the accept loop.
            httpd.socket = self.ssl_context.wrap_socket(
                httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.started_at = datetime.now(UTC)
        self._httpd = httpd
        self._serving = Serving(httpd, name=f"reference-server-{self.port}").start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        if self._serving is not None:
            self._serving.stop()
        httpd.server_close()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what tests look at -----------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}{self.prefix}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_with(self, token: str) -> list[RecordedRequest]:
        """The requests that carried ``Authorization: Bearer <token>``."""
        return [request for request in self.requests if request.bearer == token]

    def reset(self) -> None:
        """Forget the recorded requests and the flaky token's first failure."""
        with self._lock:
            self._requests.clear()
            self._seen.clear()

    # --- internals used by the handler ------------------------------------------------

    def behaviour_of(self, token: str | None) -> str | None:
        if token is None:
            return None
        for name, value in TOKENS.items():
            if value == token:
                return name
        return None

    def after(self, *, days: float) -> datetime:
        return self.started_at + timedelta(days=days)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _first_time(self, token: str) -> bool:
        with self._lock:
            if token in self._seen:
                return False
            self._seen.add(token)
            return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the reference Nanoservices login API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--tokens", action="store_true", help="print 'name token' lines and exit")
    args = parser.parse_args(argv)
    if args.tokens:
        for name, token in TOKENS.items():
            print(name, token)
        return 0

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    with ReferenceServer(args.host, args.port, args.prefix) as server:
        print(f"listening on {server.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
