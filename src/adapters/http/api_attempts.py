"""The attempts of one request of an API session (api_session.py): sent again as a
login's request is (GET and HEAD with a body that can be sent again; no answer, 429, 502,
503, 504; Retry-After honoured), within the deadline, each reported to the diagnostics
(-v: the request and its answer's status; -vvv: their headers, the token masked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nanoctl.adapters.http.failures import Failure, classify
from nanoctl.adapters.http.retries import retry_after_seconds
from nanoctl.adapters.http.transport import Deadline
from nanoctl.domain.answer_masking import masked_text
from nanoctl.domain.api_errors import ApiUnreachable, RateLimited, ServerError
from nanoctl.domain.api_request import RETRIED_METHODS
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.events import AnswerArrived, RequestSent, Retrying
from nanoctl.domain.model import masked_url

if TYPE_CHECKING:  # requests costs ~70 ms: only a session imports it
    import requests

    from nanoctl.adapters.http.api_session import SessionRules

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class Attempts:
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
            return None, Failure(ApiUnreachable(base, "deadline_passed", self._deadline_seconds))
        self._report_request(attempt)
        started = self._rules.clock()
        failure: Failure | None = None
        response: requests.Response | None = None
        limit = min(self._timeout, remaining)
        try:
            response = send(limit)
        except NanoctlError as error:
            failure = Failure(error)
        except Exception as error:  # every kind: its text may carry the token
            failure = self._timed_out() or classify(error, base, limit)
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
            url = self._rules.api_url.value
            return Failure(ApiUnreachable(url, "deadline_passed", self._deadline_seconds))
        return None

    @property
    def _deadline_seconds(self) -> float:
        return self._rules.limits.deadline

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
