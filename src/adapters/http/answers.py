"""What an answer of ``GET {base}/login`` means: an identity, or a failure (retryable or not).

SPEC section 3: 200 is read as the login response; 401 and 403 reject the token and are
never retried; 429 and 502/503/504 may be retried (Retry-After honoured); a redirect is
reported with its target, never followed; anything else is an unexpected response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.adapters.http.failures import BodyRefused, Failure, classify
from nanoctl.adapters.http.retries import retry_after_seconds
from nanoctl.adapters.http.transport import Deadline, HttpLimits, read_body
from nanoctl.domain.api_errors import (
    ApiUnreachable,
    NotJson,
    RateLimited,
    RedirectNotFollowed,
    ServerError,
    UnexpectedStatus,
)
from nanoctl.domain.errors import ForbiddenToken, InvalidToken, TokenRejected
from nanoctl.domain.events import Diagnostics
from nanoctl.domain.model import ApiUrl, Identity, Token
from nanoctl.domain.url_scope import redirect_location

if TYPE_CHECKING:  # requests costs ~70 ms: only validate() imports it
    import requests

_RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
_REJECTIONS: dict[int, type[TokenRejected]] = {401: InvalidToken, 403: ForbiddenToken}


class Exchange:
    """One validate() call's context, shared by its attempts: the token sent, the API's
    base URL (which errors name) and login URL, the limits, the deadline, the diagnostics."""

    __slots__ = ("base", "deadline", "diagnostics", "limits", "token", "url")

    def __init__(
        self,
        token: Token,
        api_url: ApiUrl,
        limits: HttpLimits,
        deadline: Deadline,
        diagnostics: Diagnostics,
    ) -> None:
        self.token = token
        self.base = api_url.value
        self.url = api_url.join("login")
        self.limits = limits
        self.deadline = deadline
        self.diagnostics = diagnostics

    def __repr__(self) -> str:
        return f"Exchange({self.url!r})"

    def redact(self, text: str) -> str:
        """``text`` from the API (a name, a header) with the token replaced: an API may
        send it back, and nanoctl prints what the API says."""
        return self.token.redact(text)

    def timed_out(self) -> Failure | None:
        """A failure at or past the deadline is the deadline's doing (the watchdog's cut)."""
        if self.deadline.passed:
            return Failure(ApiUnreachable(self.base, "deadline_passed", self.limits.deadline))
        return None


def answer(response: requests.Response, exchange: Exchange) -> Identity | Failure:
    status = response.status_code
    base = exchange.base
    if status == 200:
        return _identity(response, exchange)
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if status in _REJECTIONS:
        return Failure(_REJECTIONS[status]())
    if status == 429:
        return Failure(RateLimited(base, retry_after), True, retry_after)
    if 500 <= status <= 599:
        return Failure(ServerError(base, status), status in _RETRYABLE_STATUS, retry_after)
    if 300 <= status <= 399:
        target, parseable = redirect_target(response.headers.get("Location"), exchange)
        return Failure(RedirectNotFollowed(base, status, target, parseable))
    return Failure(UnexpectedStatus(base, status))


def _identity(response: requests.Response, exchange: Exchange) -> Identity | Failure:
    body: bytes | None = None
    failure: Failure | None = None
    try:
        body = read_body(response, exchange.limits, exchange.deadline, exchange.base)
    except BodyRefused as refused:
        failure = refused.failure
    except Exception as error:  # reset, timeout, bad encoding: never show its text
        failure = exchange.timed_out() or classify(error, exchange.base, exchange.limits.timeout)
    if body is None:
        return failure or Failure(ApiUnreachable(exchange.base, "cut"), retryable=True)
    exchange.diagnostics.debug(f"< {len(body)} bytes of body")
    content_type = response.headers.get("Content-Type", "")
    if content_type and "json" not in content_type.lower() and not _looks_like_json(body):
        kind = printable(exchange.redact(content_type.split(";", 1)[0].strip()), 60)
        return Failure(NotJson(exchange.base, kind))
    # Here: the body's schema (~1.3 ms to build) is for a 200; `status --offline` sends nothing.
    from nanoctl.adapters.http.login_response import parse_login_response

    identity = parse_login_response(body, exchange.base)
    if identity.username is None:
        return identity
    return Identity(exchange.redact(identity.username), identity.expires_at)


def redirect_target(location: str | None, exchange: Exchange) -> tuple[str | None, bool]:
    """Where a redirect points, safe to show (no credentials, query or token), and whether
    the Location could be read; None for no Location header."""
    if not location:
        return None, True
    where = redirect_location(exchange.url, location)
    if where is None:
        return None, False
    origin, path = where
    return printable(exchange.redact(f"{origin}{path}"), 200), True


def printable(text: str, limit: int) -> str:
    """Visible ASCII only (no terminal escapes from the server), at most ``limit`` chars."""
    cleaned = "".join(c if " " <= c <= "~" else "?" for c in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip()[:1] in (b"{", b"[")
