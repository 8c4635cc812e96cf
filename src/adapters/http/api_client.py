"""The ApiClient of `nanoctl api`: the request sent through a session bound to the API
(api_session.py: the token only under the API URL, no redirects, the deadline, the
retries), the answer handed back as soon as its head arrives, its body read as it comes.

The body is read with ``read1``: whatever has arrived, decoded, at most 64 KiB at a time,
so a body of any size streams through in bounded memory and a slow one shows as it comes.
"""

from __future__ import annotations

import errno as errnos
import os
import stat
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from nanoctl.adapters.http.api_attempts import header_pairs
from nanoctl.adapters.http.api_session import SessionRules, open_api_session
from nanoctl.adapters.http.failures import Failure, classify
from nanoctl.adapters.http.retries import retry_after_seconds
from nanoctl.adapters.http.sending_rules import SendingRules
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.api_request import ApiRequest, InputFile
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import Credential
from nanoctl.domain.request_errors import InputUnusable

if TYPE_CHECKING:  # requests costs ~70 ms: only send() imports it
    import requests

CHUNK = 64 * 1024
_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}


def _standard_input() -> IO[bytes]:
    return sys.stdin.buffer


class RequestsApiClient:
    """Sends `nanoctl api`'s requests within ``limits``, retrying GET and HEAD by
    ``retries``; ``stdin`` is where ``--input -`` reads the body."""

    def __init__(
        self, sending: SendingRules, *, stdin: Callable[[], IO[bytes]] = _standard_input
    ) -> None:
        self._sending = sending
        self._stdin = stdin

    def __repr__(self) -> str:
        return f"RequestsApiClient(timeout={self._sending.limits.timeout})"

    def session(self, credential: Credential, *, max_body: int | None = None) -> requests.Session:
        """A requests Session bound to the credential's API, for a program (``api.session()``):
        the rules of api_session.py, the body capped at ``max_body`` bytes when given."""
        return open_api_session(self._rules(credential, max_body))

    def _rules(self, credential: Credential, max_body: int | None = None) -> SessionRules:
        return SessionRules(credential, self._sending, max_body)

    def send(self, request: ApiRequest, url: str, credential: Credential) -> RequestsAnswer:
        rules = self._rules(credential)
        body, opened = self._body(request)
        base = credential.api_url.value
        session = None
        response = None
        failure: Failure | None = None
        try:
            session = open_api_session(rules)
            response = session.request(
                request.method, url, data=body, headers=_headers(request.headers), stream=True
            )
        except NanoctlError as error:
            failure = Failure(error)
        except Exception as error:  # every kind: its text may carry the token
            failure = classify(error, base, rules.limits.timeout)
        if response is None or session is None:
            _close(session, opened)
            raise (failure or Failure(ApiUnreachable(base, "request_failed"))).error
        return RequestsAnswer(response, session, base, opened, rules.limits.timeout)

    def _body(self, request: ApiRequest) -> tuple[bytes | IO[bytes] | None, IO[bytes] | None]:
        """The body to send, and the file opened for it (to close with the answer)."""
        body = request.body
        if not isinstance(body, InputFile):
            return body, None
        if body.is_standard_input:
            return self._stdin(), None
        opened = open_input(body.path)
        return opened, opened


def open_input(path: str) -> IO[bytes]:
    """The file ``--input`` names, open for reading. A regular file or a pipe (``<(…)``);
    raises InputUnusable for one missing, a directory, or one that cannot be read."""
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed with the answer
    except FileNotFoundError:
        raise InputUnusable(path, "missing") from None
    except IsADirectoryError:
        raise InputUnusable(path, "directory") from None
    except OSError as error:
        raise InputUnusable(path, "unreadable", error.errno) from None
    if stat.S_ISDIR(os.fstat(file.fileno()).st_mode):  # pragma: no cover - open() refuses it
        file.close()
        raise InputUnusable(path, "directory", errnos.EISDIR)
    return file


def _close(session: requests.Session | None, opened: IO[bytes] | None) -> None:
    if session is not None:
        session.close()
    if opened is not None:
        opened.close()


def _headers(pairs: tuple[tuple[str, str], ...]) -> dict[str, str | bytes]:
    """The user's headers for requests: a name given twice has its values joined (as
    HTTP allows); a value that Latin-1 cannot carry goes as UTF-8 bytes."""
    joined: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        first, before = joined.get(name.lower(), (name, ""))
        joined[name.lower()] = (first, f"{before}, {value}" if before else value)
    return {name: _wire(value) for name, value in joined.values()}


def _wire(value: str) -> str | bytes:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")
    return value


def _as_text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RequestsAnswer:
    """An ApiAnswer on a streamed requests Response."""

    def __init__(
        self,
        response: requests.Response,
        session: requests.Session,
        base: str,
        opened: IO[bytes] | None = None,
        timeout: float | None = None,
    ) -> None:
        """``timeout``: the seconds each read of the body may wait (for the words of one
        that waited longer)."""
        self._response = response
        self._session = session
        self._base = base
        self._opened = opened
        self._timeout = timeout
        self.status: int = response.status_code
        self.reason: str = response.reason or ""
        self.version = _VERSIONS.get(getattr(response.raw, "version", 11), "HTTP/1.1")
        self.headers = header_pairs(response)
        self.retry_after = retry_after_seconds(response.headers.get("Retry-After"))

    def __repr__(self) -> str:
        return f"RequestsAnswer({self.status})"

    def chunks(self) -> Iterator[bytes]:
        raw: Any = self._response.raw
        while True:
            failure: Failure | None = None
            chunk = b""
            try:
                # What has arrived, decoded; never more than CHUNK at a time.
                chunk = raw.read1(CHUNK, decode_content=True)
            except NanoctlError:
                raise
            except Exception as error:  # a read past the timeout, a cut: never its text
                failure = classify(error, self._base, self._timeout)
            if failure is not None:
                raise failure.error
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        for closing in (self._response.close, self._session.close):
            try:
                closing()
            except Exception:  # noqa: S112 - nothing foreign may escape, even here
                continue
        if self._opened is not None:
            self._opened.close()
