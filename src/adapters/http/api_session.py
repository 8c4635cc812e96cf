"""A requests Session bound to the Nanoservices API: what ``api.session()`` returns and what
`nanoctl api` sends through, so both keep the same rules.

- a relative path is joined to the API URL (its prefix kept), and the token goes only to a
  URL under it (``ApiUrl.difference``): any other request is refused with UrlOutsideApi
  before anything is sent, one prepared elsewhere and handed to ``send()`` too;
- no redirect is followed, or read (a 3xx comes back as it is, its body unread);
- the head of each answer must arrive within the deadline (3 timeouts, retries included;
  a watchdog cuts a server that drips it), and each read of the body within the timeout:
  a body that keeps arriving may take as long as it takes;
- GET and HEAD are sent again as a login's request is (no answer, 429, 502, 503, 504;
  Retry-After honoured up to 5 s, never past the deadline; api_attempts.py), and the
  answer of the last attempt comes back: statuses are the caller's to judge, as with
  requests;
- an optional cap on the decoded body (``content``, ``text``, ``json()``, ``iter_content``);
- no foreign exception escapes (their text can quote a header): each becomes our error.

requests is imported when a session is opened: the container builds the client for every
`nanoctl api`, and `api --help` must not pay for it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from nanoctl.adapters.http.api_attempts import Attempts
from nanoctl.adapters.http.failures import Failure, classify
from nanoctl.adapters.http.sending_rules import SendingRules
from nanoctl.adapters.http.transport import (
    BearerAuth,
    Watchdog,
    ca_bundle,
    configured,
    no_redirect_session,
)
from nanoctl.domain.api_errors import BodyTooLarge
from nanoctl.domain.api_request import target_url
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import ApiUrl, Token, masked_url
from nanoctl.domain.request_errors import UrlOutsideApi

if TYPE_CHECKING:  # requests costs ~70 ms: only a session imports it
    import requests

    from nanoctl.domain.model import Credential


class SessionRules(SendingRules):
    """What a session is bound to: the API and the token (``credential``'s), how it sends
    (``sending``), and ``max_body``: the cap on a decoded body, None for none."""

    __slots__ = ("api_url", "max_body", "token")

    def __init__(
        self, credential: Credential, sending: SendingRules, max_body: int | None = None
    ) -> None:
        super().__init__(
            sending.user_agent,
            limits=sending.limits,
            retries=sending.retries,
            diagnostics=sending.diagnostics,
            clock=sending.clock,
        )
        self.api_url = credential.api_url
        self.token = credential.token
        self.max_body = max_body

    def __repr__(self) -> str:
        return f"SessionRules({self.api_url.value!r}, timeout={self.limits.timeout})"


def open_api_session(rules: SessionRules) -> requests.Session:
    """A Session bound to ``rules.api_url`` with ``rules.token`` (see the module's rules)."""
    session: requests.Session = _api_session_class()(rules)
    return session


@functools.cache
def _api_session_class() -> type[Any]:
    class ApiSession(no_redirect_session()):  # type: ignore[misc]
        """requests.Session, bound to one API: see nanoctl.adapters.http.api_session."""

        def __init__(self, rules: SessionRules) -> None:
            super().__init__()
            configured(self, direct=rules.api_url.loopback)
            self.nanoctl_rules = rules
            self.auth = ScopedBearerAuth(rules.token, rules.api_url)
            self.verify = ca_bundle(rules.api_url.value)
            self.headers["User-Agent"] = rules.user_agent

        def __repr__(self) -> str:
            return f"<nanoctl ApiSession for {self.nanoctl_rules.api_url.value}>"

        def __getstate__(self) -> dict[str, Any]:
            raise TypeError("a nanoctl ApiSession holds a token and is not picklable")

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            given = url.decode() if isinstance(url, bytes) else str(url)
            target = target_url(self.nanoctl_rules.api_url, given)
            return super().request(method, target, *args, **kwargs)

        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            return _send(self, super().send, request, kwargs)

    return ApiSession


class ScopedBearerAuth(BearerAuth):
    """The Bearer header, attached only to a request for a URL under the API: requests
    calls it as the request is prepared, so a request for any other URL fails there,
    before anything is sent (UrlOutsideApi)."""

    __slots__ = ("_api_url",)

    def __init__(self, token: Token, api_url: ApiUrl) -> None:
        super().__init__(token)
        self._api_url = api_url

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        refuse_outside(self._api_url, request.url or "")
        return super().__call__(request)

    def __repr__(self) -> str:
        return f"ScopedBearerAuth([redacted], {self._api_url.value!r})"


def refuse_outside(api_url: ApiUrl, url: str) -> None:
    """Raises UrlOutsideApi when ``url`` is not under ``api_url``."""
    difference = api_url.difference(url)
    if difference is not None:
        raise UrlOutsideApi(masked_url(url), api_url.value, difference)


# --- one request: attempts, then the body's bounds ---------------------------------------


def _send(
    session: Any,
    send: Callable[..., requests.Response],
    request: requests.PreparedRequest,
    kwargs: dict[str, Any],
) -> requests.Response:
    rules: SessionRules = session.nanoctl_rules
    refuse_outside(rules.api_url, request.url or "")
    stream = bool(kwargs.pop("stream", False))
    given_timeout = kwargs.pop("timeout", None)
    timeout = rules.limits.timeout if given_timeout is None else _seconds(given_timeout)
    kwargs["allow_redirects"] = False
    attempts = Attempts(rules, request, timeout)
    with Watchdog(rules.limits.deadline):  # the head must come within the deadline
        response = attempts.answer(
            lambda limit: send(request, stream=True, timeout=limit, **kwargs)
        )
    # The head is in: from here on only silence is bounded, by each read's timeout.
    _keep_reads_bounded(response, timeout)
    _bound(response, rules)
    if not stream:
        try:
            response.content  # noqa: B018 - reads the body within the bounds
        finally:
            response.close()
    return response


def _seconds(timeout: object) -> float:
    """requests' ``timeout`` (seconds, or a (connect, read) pair) as one bound."""
    if isinstance(timeout, tuple):
        return float(max(value for value in timeout if value is not None))
    return float(timeout)  # type: ignore[arg-type]


def _keep_reads_bounded(response: requests.Response, timeout: float) -> None:
    """Each read of the body may wait ``timeout`` for the next bytes (the head's last
    attempt may have had less, near the deadline)."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(timeout)


@functools.cache
def _bounded_response() -> type[Any]:
    import requests  # with the session

    class BoundedResponse(requests.Response):
        """A Response whose body is read within the session's cap, raising our errors."""

        nanoctl_cap: int | None = None
        nanoctl_base: str = ""

        def iter_content(
            self, chunk_size: int | None = 1, decode_unicode: bool = False
        ) -> Iterator[Any]:
            chunks = super().iter_content(chunk_size, decode_unicode)
            return _within(chunks, self.nanoctl_cap, self.nanoctl_base)

    return BoundedResponse


def _bound(response: requests.Response, rules: SessionRules) -> None:
    response.__class__ = _bounded_response()
    response.nanoctl_cap = rules.max_body  # type: ignore[attr-defined]
    response.nanoctl_base = rules.api_url.value  # type: ignore[attr-defined]


def _within(chunks: Iterator[Any], cap: int | None, base: str) -> Iterator[Any]:
    """``chunks`` while their total stays within ``cap``; a failure to read them as our
    error (a read that waited past the timeout, a connection cut)."""
    total = 0
    while True:
        failure: Failure | None = None
        chunk: Any = None
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except (NanoctlError, RuntimeError, TypeError):
            raise  # ours, or a misuse (content read twice): no foreign text of the wire
        except Exception as error:
            failure = classify(error, base)
        if failure is not None:
            raise failure.error
        total += len(chunk)
        if cap is not None and total > cap:
            raise BodyTooLarge(base, cap)
        yield chunk
