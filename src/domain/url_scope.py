"""Where a URL lies in relation to an API URL: under it (where its token may go) or outside
it, and where a redirect points. The rules of `nanoctl api` and ``api.session()``, and of
the redirect a login reports; imports nothing of nanoctl, so ``ApiUrl`` asks it only when
a request for the user is checked."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urljoin, urlsplit

UrlDifference = Literal["unparseable", "scheme", "userinfo", "host", "port", "path"]
"""How a URL lies outside an API URL (``ApiUrl.difference``)."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SERVER_SLASHES = re.compile(r"%2[eEfF]|%5[cC]|\\")


def difference(api_url: str, url: str) -> UrlDifference | None:  # noqa: PLR0911 - one per part
    """How the absolute ``url`` lies outside ``api_url`` (an ``ApiUrl``'s value), or None
    when it lies under it: the same scheme, host and port (a default port written or not),
    no user name or password, and a path under the API's on a segment boundary
    (``/base/x``, not ``/base-x``), judged after its dot segments are resolved as a server
    could resolve them (``%2e`` as ``.``, ``%2f`` and backslashes as ``/``)."""
    try:
        theirs, ours = urlsplit(url.strip()), urlsplit(api_url)
        their_port, our_port = theirs.port, ours.port
    except ValueError:
        return "unparseable"
    if theirs.scheme.lower() != ours.scheme:
        return "scheme"
    if theirs.username is not None or theirs.password is not None:
        return "userinfo"
    if (theirs.hostname or "") != (ours.hostname or ""):
        return "host"
    if (their_port or _DEFAULT_PORTS[ours.scheme]) != (our_port or _DEFAULT_PORTS[ours.scheme]):
        return "port"
    prefix = ours.path.rstrip("/")
    path = _resolved_path(theirs.path or "/")
    if path != prefix and not path.startswith(f"{prefix}/"):
        return "path"
    return None


def redirect_location(url: str, location: str) -> tuple[str, str] | None:
    """Where a redirect from ``url`` to ``location`` points: its origin
    (``scheme://host:port``) and its path, without userinfo, query or fragment; None when
    the Location cannot be read as a URL."""
    try:
        parts = urlsplit(urljoin(url, location.strip()))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}", parts.path


def _resolved_path(path: str) -> str:
    """``path`` with its dot segments removed (RFC 3986, 5.2.4), reading ``%2e`` as ``.``
    and ``%2f``, ``%5c`` and ``\\`` as ``/``, since some servers decode them first: a path
    that could climb out of the API's prefix on some server is judged as climbing out."""
    plain = _SERVER_SLASHES.sub(lambda m: "." if m[0][-1] in "eE" else "/", path)
    kept: list[str] = []
    segments = plain.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
            if last:
                kept.append("")
        elif segment == ".":
            if last:
                kept.append("")
        else:
            kept.append(segment)
    resolved = "/".join(kept)
    return resolved if resolved.startswith("/") else f"/{resolved}"
