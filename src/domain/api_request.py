"""A request to the platform's API made for the user (`nanoctl api PATH` and its options), as
a value checked before anything is read or sent, and where it may go.

The token goes to the selected API only: a path is joined to the API URL (its prefix kept,
as ``/login`` is), and an absolute URL is accepted only when it lies under the API URL
(``ApiUrl.difference``). Neither ``Authorization`` nor ``Host`` can be set by the user: the
first is nanoctl's to send, and the second would aim it at another site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import urlencode

from nanoctl.domain.model import ApiUrl, Value, masked_url
from nanoctl.domain.request_errors import (
    FieldsWithInput,
    ForbiddenHeader,
    InvalidMethod,
    MalformedField,
    MalformedHeader,
    UrlOutsideApi,
)

_TOKEN_RULE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP token (RFC 9110): what a header's name is made of."""
_METHOD_RULE = re.compile(r"[A-Z][A-Z-]{0,23}")
"""A method: the registered ones are letters and dashes (GET, PROPFIND, VERSION-CONTROL);
no digits or underscores, so that a token given to -X by mistake is refused, not sent."""
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
SET_BY_NANOCTL = ("Authorization", "Host")
QUERY_METHODS = ("GET", "HEAD")
"""With these, ``-f`` fields are sent as query parameters (as `gh api` does); with the
others, as a JSON object."""
RETRIED_METHODS = ("GET", "HEAD")
"""Methods a failed attempt may be sent again for: they change nothing on the server."""
JSON = "application/json"
STANDARD_INPUT = "-"


class InputFile(Value):
    """The body is this file's bytes, streamed; ``-`` is standard input."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    @property
    def is_standard_input(self) -> bool:
        return self.path == STANDARD_INPUT


Body = bytes | InputFile | None


class ApiRequest(Value):
    """``method`` to ``path`` (relative to the API URL, or an absolute URL under it, with the
    query the fields make for a GET), with the user's ``headers`` and ``body``. ``typed``
    is the path as the user typed it, as the messages show it."""

    __slots__ = ("body", "headers", "method", "path", "typed")

    def __init__(
        self,
        method: str,
        path: str,
        headers: tuple[tuple[str, str], ...] = (),
        body: Body = None,
        typed: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.typed = path if typed is None else typed

    @classmethod
    def parse(
        cls,
        path: str,
        *,
        method: str | None = None,
        headers: Iterable[str] = (),
        fields: Iterable[str] = (),
        input_file: str | None = None,
    ) -> ApiRequest:
        """The request the options describe: ``-X`` (default GET, POST with a body), ``-H``
        lines, ``-f`` fields (a JSON object of strings; query parameters with GET and HEAD),
        ``--input`` (a file, or ``-``). Raises the usage errors of request_errors."""
        pairs = [parse_field(raw) for raw in fields]
        if pairs and input_file is not None:
            raise FieldsWithInput()
        given_headers = tuple(parse_header(raw) for raw in headers)
        verb = parse_method(method) if method is not None else None
        body: Body = InputFile(input_file) if input_file is not None else None
        target = path
        if pairs and verb in QUERY_METHODS:
            target = with_query(path, pairs)
        elif pairs:
            body = json_object(pairs)
            if not any(name.lower() == "content-type" for name, _ in given_headers):
                given_headers += (("Content-Type", JSON),)
        chosen = verb or ("POST" if body is not None else "GET")
        return cls(chosen, target, given_headers, body, typed=path)

    @property
    def shown_path(self) -> str:
        """The path as typed, as it may be shown: its query and any userinfo masked."""
        return masked_url(self.typed)

    @property
    def retried(self) -> bool:
        """Whether a failed attempt may be sent again: GET and HEAD, unless the body is a
        stream, which cannot be read twice."""
        return self.method in RETRIED_METHODS and not isinstance(self.body, InputFile)

    def url_under(self, api_url: ApiUrl) -> str:
        """The absolute URL this request goes to. Raises UrlOutsideApi when it would leave
        the API (another host, scheme or port, or a path climbing out of its prefix)."""
        return target_url(api_url, self.path, shown=self.shown_path)


def target_url(api_url: ApiUrl, path: str, *, shown: str | None = None) -> str:
    """``path`` joined to ``api_url`` (its prefix kept), or ``path`` itself when it is an
    absolute URL under it. Raises UrlOutsideApi (``shown``: the path as it may be shown)
    otherwise, so nothing is sent."""
    if _ABSOLUTE.match(path):
        url = path
    elif path.startswith("//"):  # scheme-relative: another host, in the API's scheme
        url = f"{api_url.value.split('://', 1)[0]}:{path}"
    else:
        url = api_url.join(path)
    difference = api_url.difference(url)
    if difference is not None:
        raise UrlOutsideApi(masked_url(path) if shown is None else shown, api_url.value, difference)
    return url


def parse_method(raw: str) -> str:
    method = raw.strip().upper()
    if _METHOD_RULE.fullmatch(method) is None:
        raise InvalidMethod()
    return method


def parse_header(raw: str) -> tuple[str, str]:
    """``Name: value`` as a pair. Raises MalformedHeader, ForbiddenHeader."""
    if "\r" in raw or "\n" in raw:
        raise MalformedHeader("line_break")
    name, colon, value = raw.partition(":")
    if not colon:
        raise MalformedHeader("no_colon")
    name = name.strip()
    if _TOKEN_RULE.fullmatch(name) is None:
        raise MalformedHeader("bad_name")
    for reserved in SET_BY_NANOCTL:
        if name.lower() == reserved.lower():
            raise ForbiddenHeader(reserved)
    return name, value.strip()


def parse_field(raw: str) -> tuple[str, str]:
    """``key=value`` as a pair. Raises MalformedField."""
    key, equals, value = raw.partition("=")
    if not equals:
        raise MalformedField("no_equals")
    if not key:
        raise MalformedField("empty_key")
    return key, value


def json_object(pairs: Iterable[tuple[str, str]]) -> bytes:
    """The fields as one JSON object of strings. Raises MalformedField for a key given
    twice: which value was meant is not ours to guess."""
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise MalformedField("repeated_key", key)
        fields[key] = value
    return json.dumps(fields).encode("utf-8")


def with_query(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``path`` with the fields added to its query, in order (a key may repeat)."""
    base, hash_mark, fragment = path.partition("#")
    separator = "" if base.endswith(("?", "&")) else ("&" if "?" in base else "?")
    return f"{base}{separator}{urlencode(list(pairs))}{hash_mark}{fragment}"
