"""Real servers on loopback for the integration tests: the reference API (plain and TLS),
a second host for redirects, and a forwarding/CONNECT proxy.

Each server is started per test on port 0 (a start and a stop cost about a millisecond:
reference_server.Serving), so state such as the flaky token's first failure or the
recorded requests never leaks between tests.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import trustme

from reference_server import ReferenceServer, Serving
from tests.integration.http_helpers import Recorder
from tests.store_helpers import TOKEN_A, credential, file_store


@pytest.fixture
def reference_server() -> Iterator[ReferenceServer]:
    """The reference API on http://127.0.0.1:<random port>/public/deployment."""
    with ReferenceServer() as server:
        yield server


@pytest.fixture
def server(reference_server: ReferenceServer) -> ReferenceServer:
    """The reference API with no request recorded yet."""
    reference_server.reset()
    return reference_server


@pytest.fixture
def down_url() -> Iterator[str]:
    """The URL of an API that is not there: a port nothing listens on. The port stays bound
    (never listening: a connection is refused) for the whole test, so no server another
    test starts meanwhile can be given it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{probe.getsockname()[1]}/public/deployment"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "config" / "nanoctl"


@pytest.fixture
def stored(directory: Path) -> Path:
    """A directory holding a good credential (TOKEN_A) and its key file."""
    file_store(directory).save(credential(TOKEN_A))
    return directory


@pytest.fixture
def recorder() -> Recorder:
    """Diagnostics and sleep of the HTTP validator under test, recorded."""
    return Recorder()


@pytest.fixture
def other_host_server() -> Iterator[ReferenceServer]:
    """A second reference API on 127.0.0.2: where hostile redirects point."""
    with ReferenceServer(host="127.0.0.2") as server:
        yield server


REMOTE_NAME = "api.nanoservices.test"
"""A host name that is not loopback and that no resolver knows (``.test``, RFC 2606): only
ForwardingProxy resolves it (to 127.0.0.1), as a proxy looks up names for its clients."""


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    """A throwaway certificate authority (no system store trusts it)."""
    return trustme.CA()


@pytest.fixture(scope="session")
def tls_server_context(tls_ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1", "localhost", REMOTE_NAME).configure_cert(context)
    return context


@pytest.fixture
def ca_bundle(tls_ca: trustme.CA, tmp_path: Path) -> Path:
    """The CA certificate as a PEM file, for REQUESTS_CA_BUNDLE / SSL_CERT_FILE."""
    path = tmp_path / "test-ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def tls_reference_server(tls_server_context: ssl.SSLContext) -> Iterator[ReferenceServer]:
    """The reference API over HTTPS on 127.0.0.1, with a certificate from ``tls_ca``."""
    with ReferenceServer(ssl_context=tls_server_context) as server:
        yield server


# --- a forwarding proxy ------------------------------------------------------------------

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
        "proxy-authenticate",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)


class ForwardingProxy:
    """An HTTP proxy on 127.0.0.1: forwards absolute-URI GETs and tunnels CONNECT.

    ``seen`` lists ``(method, target)`` for every request it handled, so a test can
    prove that traffic went through it (or never did). It resolves REMOTE_NAME to
    127.0.0.1 itself, so an API "elsewhere" can be reached through it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[tuple[str, str]] = []
        self.hosts = {REMOTE_NAME: "127.0.0.1"}
        self._httpd = _ProxyServer(("127.0.0.1", 0), self)
        self._serving = Serving(self._httpd, name="forwarding-proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def seen(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._seen)

    def record(self, method: str, target: str) -> None:
        with self._lock:
            self._seen.append((method, target))

    def start(self) -> ForwardingProxy:
        self._serving.start()
        return self

    def stop(self) -> None:
        self._serving.stop()
        self._httpd.server_close()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: ForwardingProxy) -> None:
        self.owner = owner
        super().__init__(address, _ProxyHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.owner.record("GET", self.path)
        target = urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self.send_error(400, "absolute http URI expected")
            return
        host = self.server.owner.hosts.get(target.hostname, target.hostname)
        upstream = http.client.HTTPConnection(host, target.port or 80, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream.request("GET", path or "/", headers=headers)
        answer = upstream.getresponse()
        body = answer.read()
        upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(body)

    def do_CONNECT(self) -> None:
        self.server.owner.record("CONNECT", self.path)
        host, _, port = self.path.rpartition(":")
        host = self.server.owner.hosts.get(host, host)
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except (OSError, ValueError):
            self.send_error(502, "cannot reach the target")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        with upstream:
            _relay(self.connection, upstream)


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    peers = {client: upstream, upstream: client}
    while True:
        readable, _, _ = select.select(list(peers), [], [], 10)
        if not readable:
            return
        for sock in readable:
            try:
                data = sock.recv(65536)
                if not data:
                    return
                peers[sock].sendall(data)
            except OSError:
                return


@pytest.fixture
def forwarding_proxy() -> Iterator[ForwardingProxy]:
    proxy = ForwardingProxy().start()
    yield proxy
    proxy.stop()
