"""The reference server's answers beyond ``/login``: canned answers of a few calls of the real
API, and the endpoints the tests of `nanoctl api` need. Standard library only.

Every path is under the server's prefix, and every request is authorized by the token table
of reference_server.py as ``/login`` is: a token that answers 200 there is served here; an
inactive or expired one gets 401, an unknown one 401, the forbidden one 403, the rate-limited
ones 429 (``Retry-After`` 1 or 3600), the server-error one 500, the unavailable one 503, the
flaky one 503 the first time (per server run); the slow, dripping, redirecting and resetting
ones behave as at ``/login``.

Endpoints (the README's reference-server section lists them too):

- ``GET /deploy-status/{name}``: 200, the deployment of ``web`` or ``my-service``; 404 for
  any other name.
- ``GET /build-status/{id}``: 200, a build (``BUILD``, ``b-1``: succeeded; ``b-2``:
  running); 404 for others.
- ``GET /package-list?searchTerm=&format=``: 200, the packages whose name holds
  searchTerm: ``format=json`` (the default) a JSON list, ``format=text`` one name a line;
  400 for another format.
- ``POST /deploy/{buildId}``: 202, ``{deploymentId, buildId, serviceName, access}`` from a
  JSON body ``{serviceName, access}`` (access ``public`` or ``private``); 400 or 415
  otherwise.
- ``ANY /echo``: 200, the request as JSON: method, path, query, every header
  (``Authorization`` too), the body, its size and SHA-256. ``?charset=`` encodes the answer
  in that charset (and declares it), ``?type=`` declares another Content-Type (``type=``:
  none), ``?header=1`` sends the Authorization back in ``X-Echoed-Authorization`` too,
  ``?split=N`` sends it N bytes at a time (chunked; each piece a chunk of its own, which a
  client reads apart), ``interval=`` seconds apart.
- ``GET /stream?size=N``: 200, N bytes, chunked: ``kind=text`` (lines, ``text/plain``) or
  ``kind=binary`` (``application/octet-stream``); ``chunk=`` bytes per chunk (64 KiB),
  ``interval=`` seconds between chunks, ``pause=`` seconds of silence half-way,
  ``token_every=N`` the bearer token after every N bytes.
- ``GET /redirect?to=other``: 302 to ``/echo`` on another host (127.0.0.2, or the
  server's ``redirect_origin``), the token in its query; ``to=same``: to a path of this API.
- ``ANY /status/{code}``: that status with a small JSON body; ``?retry_after=`` adds a
  Retry-After.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

if TYPE_CHECKING:
    from reference_server import ReferenceServer, _Handler

DEPLOYMENTS = {
    "web": {"serviceName": "web", "status": "deployed", "access": "public", "buildId": "b-1"},
    "my-service": {
        "serviceName": "my-service",
        "status": "deploying",
        "access": "private",
        "buildId": "b-2",
    },
}
BUILDS = {
    "BUILD": {"id": "BUILD", "status": "succeeded"},
    "b-1": {"id": "b-1", "status": "succeeded"},
    "b-2": {"id": "b-2", "status": "running"},
}
PACKAGES = ("nanoservices-auth", "nanoservices-cli", "nanoservices-http", "web-toolkit")
SERVED = frozenset(
    {
        "valid",
        "valid_email",
        "valid_user",
        "anonymous",
        "expiring_soon",
        "not_json",
        "wrong_types",
        "huge",
        "huge_unsized",
        "gzip_bomb",
        "reflect",
        "reflect_email",
        "reflect_content_type",
    }
)
"""Tokens that are served here (they answer 200 at /login, whatever their body there)."""
REJECTED = frozenset({"expired", "inactive"})
"""Tokens the platform no longer accepts: 401 here."""
AS_AT_LOGIN = frozenset(
    {
        "forbidden",
        "rate_limited",
        "rate_limited_long",
        "server_error",
        "unavailable",
        "drip",
        "drip_headers",
        "redirect",
        "redirect_bomb",
        "reset",
    }
)
"""Tokens whose answer here is their answer at /login (a status, or a broken exchange)."""
CHUNK = 64 * 1024
TEXT_LINE = b"the quick brown fox jumps over the lazy dog, streamed by the reference API\n"


def handle(handler: _Handler, owner: ReferenceServer, path: str) -> None:
    """Answer ``path`` (the part after the prefix) of an authorized request."""
    name = owner.behaviour_of(_bearer_of(handler))
    if name is None or name in REJECTED:
        handler._json(401, {"error": "invalid token"}, {"WWW-Authenticate": "Bearer"})
        return
    if name in AS_AT_LOGIN:
        getattr(handler, name)(owner)
        return
    if name == "flaky" and owner._first_time("api-flaky"):
        handler._json(503, {"error": "warming up"})
        return
    if name == "slow" and owner._stopping.wait(owner.slow_seconds):
        return
    route, _, query = path.partition("?")
    params = {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
    for prefix, answer in _ROUTES:
        if route == prefix or (prefix.endswith("/") and route.startswith(prefix)):
            answer(handler, owner, route[len(prefix) :], params)
            return
    handler._json(404, {"error": f"no such endpoint: {route}"})


def _bearer_of(handler: _Handler) -> str | None:
    from reference_server import _bearer

    return _bearer(handler.headers.get("Authorization"))


# --- the real API's calls ------------------------------------------------------------------


def _deploy_status(
    handler: _Handler, owner: ReferenceServer, name: str, params: dict[str, str]
) -> None:
    if handler.command not in ("GET", "HEAD"):
        handler._json(405, {"error": "method not allowed"}, {"Allow": "GET"})
    elif name in DEPLOYMENTS:
        handler._json(200, {**DEPLOYMENTS[name], "url": f"https://{name}.nanoservices.test"})
    else:
        handler._json(404, {"error": f"no deployment named {name}"})


def _build_status(
    handler: _Handler, owner: ReferenceServer, build: str, params: dict[str, str]
) -> None:
    if build in BUILDS:
        handler._json(200, BUILDS[build])
    else:
        handler._json(404, {"error": f"no build {build}"})


def _package_list(
    handler: _Handler, owner: ReferenceServer, rest: str, params: dict[str, str]
) -> None:
    term = params.get("searchTerm", "")
    found = [name for name in PACKAGES if term in name]
    kind = params.get("format", "json") or "json"
    if kind == "json":
        handler._json(200, [{"name": name, "version": "1.0.0"} for name in found])
    elif kind == "text":
        body = "".join(f"{name}\n" for name in found).encode()
        handler._send(200, body, "text/plain; charset=utf-8")
    else:
        handler._json(400, {"error": f"unknown format {kind}"})


def _deploy(handler: _Handler, owner: ReferenceServer, build: str, params: dict[str, str]) -> None:
    body = read_body(handler)
    if handler.command != "POST":
        handler._json(405, {"error": "method not allowed"}, {"Allow": "POST"})
        return
    if "json" not in (handler.headers.get("Content-Type") or ""):
        handler._json(415, {"error": "send a JSON body"})
        return
    try:
        fields = json.loads(body)
    except ValueError:
        fields = None
    if not isinstance(fields, dict) or not fields.get("serviceName"):
        handler._json(400, {"error": "serviceName is required"})
        return
    if fields.get("access") not in ("public", "private"):
        handler._json(400, {"error": "access must be public or private"})
        return
    deployment = {"deploymentId": f"d-{build}-1", "buildId": build}
    handler._json(202, {**deployment, **{k: fields[k] for k in ("serviceName", "access")}})


# --- what the tests need ---------------------------------------------------------------------


def _echo(handler: _Handler, owner: ReferenceServer, rest: str, params: dict[str, str]) -> None:
    body = read_body(handler)
    route, _, query = handler.path.partition("?")
    echoed = {
        "method": handler.command,
        "path": route,
        "query": query,
        "headers": dict(handler.headers.items()),
        "body": body.decode("utf-8", "replace"),
        "body_size": len(body),
        "body_sha256": hashlib.sha256(body).hexdigest(),
    }
    charset = params.get("charset") or "utf-8"
    payload = json.dumps(echoed, indent=1).encode(charset)
    content_type = params.get("type")
    if content_type is None:
        content_type = f"application/json; charset={charset}"
    headers = {}
    if params.get("header"):  # the Authorization it got, sent back as a header
        headers["X-Echoed-Authorization"] = handler.headers.get("Authorization") or ""
    split = int(params.get("split") or 0)
    if split <= 0:
        _send_typed(handler, payload, content_type, headers)
        return
    pieces = [payload[start : start + split] for start in range(0, len(payload), split)]
    interval = float(params.get("interval") or 0)
    send_chunked(handler, owner, 200, content_type, pieces, interval=interval, headers=headers)


def _send_typed(handler: _Handler, body: bytes, content_type: str, headers: dict[str, str]) -> None:
    """A 200 with ``body``, declared ``content_type`` ("": no Content-Type at all)."""
    handler.send_response(200)
    if content_type:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    handler.wfile.write(body)


def _stream(handler: _Handler, owner: ReferenceServer, rest: str, params: dict[str, str]) -> None:
    size = int(params.get("size") or 0)
    binary = params.get("kind") == "binary"
    chunk = max(1, int(params.get("chunk") or CHUNK))
    every = int(params.get("token_every") or 0)
    token = (_bearer_of(handler) or "").encode()
    pieces = stream_pieces(
        size, binary=binary, chunk=chunk, token=token if every else b"", every=every
    )
    send_chunked(
        handler,
        owner,
        200,
        "application/octet-stream" if binary else "text/plain; charset=utf-8",
        pieces,
        interval=float(params.get("interval") or 0),
        pause=float(params.get("pause") or 0),
        pause_after=size // 2,
    )


def _redirect(handler: _Handler, owner: ReferenceServer, rest: str, params: dict[str, str]) -> None:
    token = quote(_bearer_of(handler) or "", safe="")
    if params.get("to") == "same":
        location = f"{owner.prefix}/deploy-status/web?from=redirect&token={token}"
    else:
        origin = owner.redirect_origin or f"http://127.0.0.2:{owner.port}"
        location = f"{origin}{owner.prefix}/echo?token={token}"
    handler._json(302, {"moved": True}, {"Location": location})


def _status(handler: _Handler, owner: ReferenceServer, code: str, params: dict[str, str]) -> None:
    read_body(handler)
    headers = {}
    if params.get("retry_after"):
        headers["Retry-After"] = params["retry_after"]
    status = int(code) if code.isdigit() and 200 <= int(code) <= 599 else 400
    if handler.command == "HEAD":
        handler._send(status, b"", headers=headers)
        return
    handler._json(status, {"status": status}, headers)


_ROUTES: tuple[tuple[str, Callable[[_Handler, ReferenceServer, str, dict[str, str]], Any]], ...] = (
    ("/deploy-status/", _deploy_status),
    ("/build-status/", _build_status),
    ("/package-list", _package_list),
    ("/deploy/", _deploy),
    ("/echo", _echo),
    ("/stream", _stream),
    ("/redirect", _redirect),
    ("/status/", _status),
)


# --- bodies ------------------------------------------------------------------------------------


def read_body(handler: _Handler) -> bytes:
    """The request's body: by Content-Length, or chunked (as a pipe's body is sent)."""
    if getattr(handler, "_body_read", None) is not None:
        return handler._body_read  # type: ignore[no-any-return]
    stream = handler.rfile
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        parts = []
        while True:
            size = int(stream.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while stream.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            parts.append(stream.read(size))
            stream.readline()
        body = b"".join(parts)
    else:
        body = stream.read(int(handler.headers.get("Content-Length") or 0))
    handler._body_read = body  # type: ignore[attr-defined]
    return body


@cache
def binary_block() -> bytes:
    """64 KiB of every byte value, in a fixed pseudo-random order: the binary stream repeats it."""
    return random.Random(24).randbytes(CHUNK)


@cache
def _text_block() -> bytes:
    return TEXT_LINE * (CHUNK // len(TEXT_LINE) + 1)


def stream_bytes(size: int, *, binary: bool) -> bytes:
    """The first ``size`` bytes of ``/stream`` without tokens (what a test expects)."""
    return b"".join(stream_pieces(size, binary=binary, chunk=CHUNK))


def stream_pieces(
    size: int, *, binary: bool, chunk: int, token: bytes = b"", every: int = 0
) -> Iterator[bytes]:
    """The body of ``/stream``: ``size`` bytes of the block, ``token`` after every ``every``
    bytes of it (its bytes count in ``size``), in pieces of at most ``chunk``, made lazily."""
    block = binary_block() if binary else _text_block()

    def pieces() -> Iterator[bytes]:
        sent = 0
        since_token = 0
        while sent < size:
            if token and every and since_token >= every:
                piece = token[: size - sent]
                since_token = 0
            else:
                start = sent % len(block)
                limit = min(chunk, size - sent, len(block) - start)
                if every:
                    limit = min(limit, every - since_token)
                piece = block[start : start + limit]
                since_token += len(piece)
            sent += len(piece)
            yield piece

    return pieces()


def send_chunked(
    handler: _Handler,
    owner: ReferenceServer,
    status: int,
    content_type: str,
    pieces: Iterable[bytes],
    *,
    interval: float = 0.0,
    pause: float = 0.0,
    pause_after: int = 0,
    headers: dict[str, str] | None = None,
) -> None:
    """``pieces`` as the chunks of a chunked body, ``interval`` seconds apart, with ``pause``
    seconds of silence once ``pause_after`` bytes are sent; ``content_type`` "" for none."""
    from reference_server import _client_gone

    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    sent = 0
    with _client_gone():
        handler.wfile.flush()
        silent = pause
        for piece in pieces:
            if silent > 0 and sent >= pause_after:
                if owner._stopping.wait(silent):
                    return
                silent = 0
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            handler.wfile.flush()
            sent += len(piece)
            if interval and owner._stopping.wait(interval):
                return
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()
