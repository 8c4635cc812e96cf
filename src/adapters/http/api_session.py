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
  Retry-After honoured up to 5 s, never past the deadline), and the answer of the last
  attempt comes back: statuses are the caller's to judge, as with requests;
- an optional cap on the decoded body (``content``, ``text``, ``json()``, ``iter_content``);
- no foreign exception escapes (their text can quote a header): each becomes our error.

requests is imported when a session is opened: the container builds the client for every
`nanoctl api`, and `api --help` must not pay for it.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from nanoctl.adapters.diagnostics import AnswerArrived, Diagnostics, RequestSent, Retrying, Silent
from nanoctl.adapters.http.failures import Failure, classify
from nanoctl.adapters.http.retries import RetryPolicy, retry_after_seconds
from nanoctl.adapters.http.transport import (
    BearerAuth,
    Deadline,
    HttpLimits,
    Watchdog,
    ca_bundle,
    configured,
    no_redirect_session,
)
from nanoctl.domain.answer_masking import masked_text
from nanoctl.domain.api_request import RETRIED_METHODS, target_url
from nanoctl.domain.errors import (
    ApiUnreachable,
    BodyTooLarge,
    NanoctlError,
    RateLimited,
    ServerError,
)
from nanoctl.domain.model import ApiUrl, Token, masked_url
from nanoctl.domain.request_errors import UrlOutsideApi

if TYPE_CHECKING:  # requests costs ~70 ms: only a session imports it
    import requests

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class SessionRules:
    """What a session is bound to: the API and the token, the limits (``max_body``: the
    cap on a decoded body, None for none), the retries, who it says it is, where it
    reports (-v, -vvv)."""

    __slots__ = (
        "api_url",
        "clock",
        "diagnostics",
        "limits",
        "max_body",
        "retries",
        "token",
        "user_agent",
    )

    def __init__(
        self,
        api_url: ApiUrl,
        token: Token,
        user_agent: str,
        *,
        limits: HttpLimits | None = None,
        retries: RetryPolicy | None = None,
        max_body: int | None = None,
        diagnostics: Diagnostics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url
        self.token = token
        self.user_agent = user_agent
        self.limits = limits or HttpLimits()
        self.retries = retries or RetryPolicy()
        self.max_body = max_body
        self.diagnostics: Diagnostics = diagnostics or Silent()
        self.clock = clock

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
    attempts = _Attempts(rules, request, timeout)
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


class _Attempts:
    """The attempts of one request: retried (GET and HEAD with a body that can be sent
    again) as RetryPolicy says, within the deadline; reported to the diagnostics."""

    def __init__(self, rules: SessionRules, request: requests.PreparedRequest, timeout: float):
        self._rules = rules
        self._request = request
        self._timeout = timeout
        self._deadline = Deadline(rules.limits.deadline, rules.clock)
        body = request.body
        self._retried = request.method in RETRIED_METHODS and (
            body is None or isinstance(body, (bytes, str))
        )
        self._max = rules.retries.max_attempts if self._retried else 1

    def answer(self, send: Callable[[float], requests.Response]) -> requests.Response:
        attempt = 1
        while True:
            response, failure = self._attempt(send, attempt)
            if failure is None:
                if response is None:  # pragma: no cover - an attempt gives one or the other
                    raise ApiUnreachable(self._rules.api_url.value, "request_failed")
                return response
            delay = None
            if self._retried:
                delay = self._rules.retries.delay(failure, attempt, self._deadline.remaining())
            if delay is None:
                if response is not None:
                    return response  # its status is the caller's to judge
                raise failure.error
            if response is not None:
                response.close()
            self._rules.diagnostics.info(Retrying(failure.error, delay, attempt, self._max))
            self._rules.retries.sleep(delay)
            attempt += 1

    def _attempt(
        self, send: Callable[[float], requests.Response], attempt: int
    ) -> tuple[requests.Response | None, Failure | None]:
        base = self._rules.api_url.value
        remaining = self._deadline.remaining()
        if remaining <= 0:
            return None, Failure(ApiUnreachable(base, "timed_out"))
        self._report_request(attempt)
        started = self._rules.clock()
        failure: Failure | None = None
        response: requests.Response | None = None
        try:
            response = send(min(self._timeout, remaining))
        except NanoctlError as error:
            failure = Failure(error)
        except Exception as error:  # every kind: its text may carry the token
            failure = self._timed_out() or classify(error, base)
        if response is None:
            return None, failure or Failure(ApiUnreachable(base, "request_failed"))
        cut = self._timed_out()  # a head the watchdog cut short reads as a complete one
        if cut is not None:
            response.close()
            return None, cut
        milliseconds = round((self._rules.clock() - started) * 1000)
        self._report_answer(response, milliseconds)
        status = response.status_code
        if status in RETRYABLE_STATUS:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            busy = RateLimited(base, retry_after) if status == 429 else ServerError(base, status)
            return response, Failure(busy, True, retry_after)
        return response, None

    def _timed_out(self) -> Failure | None:
        if self._deadline.passed:
            return Failure(ApiUnreachable(self._rules.api_url.value, "timed_out"))
        return None

    def _report_request(self, attempt: int) -> None:
        request = self._request
        diagnostics = self._rules.diagnostics
        method = request.method or "GET"
        diagnostics.info(RequestSent(method, masked_url(request.url or ""), attempt, self._max))
        diagnostics.debug(f"> {method} {masked_url(request.path_url)}")
        for name, value in request.headers.items():
            shown = "Bearer [redacted]" if name.lower() == "authorization" else _text(value)
            diagnostics.debug(f"> {name}: {self._masked(shown)}")

    def _report_answer(self, response: requests.Response, milliseconds: int) -> None:
        diagnostics = self._rules.diagnostics
        reason = self._masked(response.reason or "")
        diagnostics.info(AnswerArrived(response.status_code, reason, milliseconds))
        for name, value in header_pairs(response):
            diagnostics.debug(f"< {self._masked(name)}: {self._masked(value)}")

    def _masked(self, text: str) -> str:
        return masked_text(text, self._rules.token.reveal())


def header_pairs(response: requests.Response) -> tuple[tuple[str, str], ...]:
    """Every header of ``response`` as received, a repeated name repeated."""
    raw_headers = getattr(response.raw, "headers", None)
    pairs = getattr(raw_headers, "iteritems", None)
    if pairs is not None:
        return tuple((str(name), str(value)) for name, value in pairs())
    return tuple(response.headers.items())


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


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
