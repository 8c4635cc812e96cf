"""The TokenValidator that asks the Nanoservices API: ``GET {base}/login``, Bearer token.

One validate() call sends attempts until one answers or the retry policy gives up. Each
known trap of requests/urllib3 is defeated where it lives, and reproduced for real in the
tests of tests/integration/:

- transport.py: the total deadline and the watchdog, the decoded-body cap, no redirect
  followed or read, no urllib3 retries, the token safe from ``~/.netrc``;
- retries.py: what is retried, with which backoff, and Retry-After;
- failures.py: foreign exceptions (whose text can quote the header) become our errors,
  raised outside ``except`` blocks so nothing foreign is chained to them;
- answers.py: what each status means; login_response.py: the 200 body.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from nanoctl.adapters.http.answers import Exchange, answer
from nanoctl.adapters.http.failures import Failure, classify
from nanoctl.adapters.http.sending_rules import SendingRules
from nanoctl.adapters.http.transport import (
    BearerAuth,
    Deadline,
    Watchdog,
    ca_bundle,
    open_session,
)
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.errors import MalformedToken
from nanoctl.domain.events import NoAnswer, Retrying
from nanoctl.domain.model import ApiUrl, Identity, Token, token_problem

if TYPE_CHECKING:  # requests costs ~70 ms: only validate() imports it
    import requests


class RequestsTokenValidator:
    """Validates tokens against ``GET {api_url}/login`` by the ``sending`` rules: within
    their limits, retrying by their retries, the deadline kept on their clock."""

    def __init__(self, sending: SendingRules) -> None:
        self._sending = sending

    def __repr__(self) -> str:
        return (
            f"RequestsTokenValidator(timeout={self._sending.limits.timeout}, "
            f"deadline={self._sending.limits.deadline}, "
            f"max_attempts={self._sending.retries.max_attempts})"
        )

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        _refuse_unsendable(token)
        deadline = Deadline(self._sending.limits.deadline, self._sending.clock)
        exchange = Exchange(
            token, api_url, self._sending.limits, deadline, self._sending.diagnostics
        )
        verify = ca_bundle(exchange.base)
        with (
            open_session(direct=api_url.loopback) as session,
            Watchdog(self._sending.limits.deadline),
        ):
            attempt = 1
            while True:
                outcome = self._attempt(session, exchange, verify, attempt)
                if isinstance(outcome, Identity):
                    return outcome
                delay = self._sending.retries.delay(outcome, attempt, deadline.remaining())
                if delay is None:
                    raise outcome.error
                self._sending.diagnostics.info(
                    Retrying(outcome.error, delay, attempt, self._sending.retries.max_attempts)
                )
                self._sending.retries.sleep(delay)
                attempt += 1

    def _attempt(
        self, session: requests.Session, exchange: Exchange, verify: bool | str, attempt: int
    ) -> Identity | Failure:
        remaining = exchange.deadline.remaining()
        if remaining <= 0:
            return Failure(
                ApiUnreachable(exchange.base, "deadline_passed", self._sending.limits.deadline)
            )
        limit = min(self._sending.limits.timeout, remaining)
        debug = self._sending.diagnostics.debug
        debug(f"> GET {exchange.url} (attempt {attempt} of {self._sending.retries.max_attempts})")
        debug("> Authorization: Bearer [redacted]")
        debug(f"> User-Agent: {self._sending.user_agent}")
        debug("> Accept: application/json")
        started = self._sending.clock()
        response: requests.Response | None = None
        failure: Failure | None = None
        try:
            response = session.get(
                exchange.url,
                headers={"Accept": "application/json", "User-Agent": self._sending.user_agent},
                auth=BearerAuth(exchange.token),
                timeout=(limit, limit),
                allow_redirects=False,
                stream=True,
                verify=verify,
            )
        except Exception as error:  # every kind: its text may carry the token
            failure = exchange.timed_out() or classify(error, exchange.base, limit)
        if response is None:
            failure = failure or Failure(ApiUnreachable(exchange.base, "request_failed"))
            debug(NoAnswer(failure.error, self._ms_since(started)))
            return failure
        try:
            debug(f"< HTTP {response.status_code} in {self._ms_since(started)} ms")
            return answer(response, exchange)
        finally:
            with contextlib.suppress(Exception):  # nothing foreign may escape, even here
                response.close()

    def _ms_since(self, started: float) -> int:
        return round((self._sending.clock() - started) * 1000)


def _refuse_unsendable(token: Token) -> None:
    """A token must be sendable as a header before requests sees it.

    Token.parse already guarantees this; a Token built another way might not, and
    requests would then raise an error quoting the whole header.
    """
    problem = token_problem(token.reveal())
    if problem is not None:
        raise MalformedToken(problem, None)
