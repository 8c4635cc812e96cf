"""The sentence and the next step of each error of an API that could not be used (exit 4):
which URL, what went wrong on the wire or in its answer, and what to check, worded by who
chose the URL (an option, the variable, the profile it is bound to) and, for `status`, what
works without the API. ``errors.explain`` uses these entries."""

from __future__ import annotations

from functools import singledispatch

from nanoctl.domain import api_errors as a
from nanoctl.domain import errors as e
from nanoctl.entrypoints.settings import DEADLINE_TIMEOUTS, TIMEOUT_ENV
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.selection import check_network, offline_hint, url_setting

_UNEXPECTED = ("Unexpected response from the API at {url}: {what}.", "{advice}{offline}")

SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    a.ApiUnavailable: (
        "The API at {url} could not be used.",
        "Try again in a few minutes.{offline}",
    ),
    a.ApiUnreachable: ("{cause}", "{check}{offline}"),
    a.TlsFailure: (
        "TLS verification failed for {url}: the certificate is not trusted.",
        "If you are behind a proxy with its own CA, point REQUESTS_CA_BUNDLE at its "
        "certificate; otherwise check {url_setting}.{offline}",
    ),
    a.RateLimited: (
        "The API at {url} is rate limiting requests (HTTP 429).",
        "Try again {when}.{offline}",
    ),
    a.ServerError: (
        "The API at {url} failed with HTTP {status}.",
        "This is a problem on the server side; try again in a few minutes.{offline}",
    ),
    a.UnexpectedResponse: _UNEXPECTED,
}


def phrases(error: a.ApiUnavailable, context: Context) -> dict[str, str]:
    """What the sentence of ``error`` needs: what went wrong, and what to check."""
    setting = url_setting(context)
    return {
        "check": check_network(context),
        "url_setting": setting,
        "advice": f"Check that {setting} points at the Nanoservices API.",
        "offline": offline_hint(context),
        **_what(error),
    }


@singledispatch
def _what(error: a.ApiUnavailable) -> dict[str, str]:
    return {}


@_what.register
def _(error: a.ApiUnreachable) -> dict[str, str]:
    if isinstance(error, a.MissingCaBundle):
        what = f"the CA bundle {error.path} named by {error.variable} does not exist"
        return {"cause": f"Could not reach the API at {error.url}: {what}."}
    if error.failure in _TOO_SLOW:
        # It was reached (or may have been): its answer was late, not the network down.
        within = "in time" if error.seconds is None else f"within {error.seconds:g} s"
        return {
            "cause": _TOO_SLOW[error.failure].format(url=error.url, within=within),
            "check": f"Try again later, or give it longer with {TIMEOUT_ENV} (the seconds each "
            f"read may wait; nanoctl gives up after {DEADLINE_TIMEOUTS} times that).",
        }
    what = _NETWORK_FAILURES[error.failure]
    return {"cause": f"Could not reach the API at {error.url}: {what}."}


@_what.register
def _(error: a.RateLimited) -> dict[str, str]:
    return {"when": "in a minute" if error.retry_after is None else _after(error.retry_after)}


@_what.register
def _(error: a.UnexpectedResponse) -> dict[str, str]:
    return {"what": "it is not the documented answer"}


@_what.register
def _(error: a.UnexpectedStatus) -> dict[str, str]:
    base = error.url.rstrip("/")
    if error.status == 404 and base.endswith(LOGIN_PATH):
        # `.../public/deployment/login` pasted as the API URL: nanoctl asks {base}/login
        trimmed = base.removesuffix(LOGIN_PATH)
        return {
            "what": f"HTTP {error.status}",
            "advice": f"The API URL ends in {LOGIN_PATH}, which nanoctl adds itself: drop "
            f"{LOGIN_PATH} from it ({trimmed}).",
        }
    return {"what": f"HTTP {error.status}"}


@_what.register
def _(error: a.RedirectNotFollowed) -> dict[str, str]:
    target = error.target or (
        "nowhere (no Location header)" if error.parseable else "an unparseable Location"
    )
    return {"what": f"HTTP {error.status} redirect to {target}, which nanoctl does not follow"}


@_what.register
def _(error: a.NotJson) -> dict[str, str]:
    if error.content_type is None:
        return {"what": "the body is not JSON"}
    kind = error.content_type
    return {"what": f"the body is {kind}, not JSON (a proxy or captive portal may answer)"}


@_what.register
def _(error: a.BodyTooLarge) -> dict[str, str]:
    return {"what": f"the body is larger than {_size(error.limit)}"}


@_what.register
def _(error: a.UndecodableBody) -> dict[str, str]:
    return {"what": "the body could not be decoded"}


@_what.register
def _(error: a.MalformedBody) -> dict[str, str]:
    return {"what": _BODY_PROBLEMS[error.problem]}


@_what.register
def _(error: a.BadField) -> dict[str, str]:
    return {"what": f"the field '{error.field}' {_FIELD_PROBLEMS[error.problem]}"}


LOGIN_PATH = "/login"
"""What nanoctl appends to the API URL to check a token (SPEC §3)."""
_TOO_SLOW: dict[a.NetworkFailure, str] = {
    "no_answer_in_time": "The API at {url} was reached but did not answer {within}.",
    "deadline_passed": "The API at {url} did not finish answering {within}.",
}
_NETWORK_FAILURES: dict[a.NetworkFailure, str] = {
    "timed_out": "the connection timed out",
    "refused": "connection refused",
    "host_not_found": "host not found",
    "tls_handshake": "the TLS handshake failed",
    "proxy": "the proxy set by HTTPS_PROXY/HTTP_PROXY could not be used",
    "no_answer": "the server closed the connection without answering",
    "cut": "the connection was cut mid-response",
    "connection_failed": "the connection failed",
    "request_failed": "the request failed",
}
_BODY_PROBLEMS: dict[a.BodyProblem, str] = {
    "not_an_object": "the body is not a JSON object",
    "undocumented_shape": "the body does not have the documented fields",
    "username_too_long": "the username is implausibly long",
    "username_control_characters": "the username contains control characters",
}
_FIELD_PROBLEMS: dict[a.FieldProblem, str] = {
    "missing_or_not_boolean": "is missing or not a boolean",
    "not_a_string": "is not a string",
    "not_a_number": "is not a number",
    "not_iso_date": "is not an ISO 8601 date",
    "out_of_range": "is out of range",
    "not_finite": "is not a finite number",
}


def _after(seconds: float) -> str:
    """'in 5 s', 'in 3 min', 'in 2 h': when a rate limit lifts, for humans."""
    if seconds < 90:
        return f"in {max(1, round(seconds))} s"
    if seconds < 3600:
        return f"in {round(seconds / 60)} min"
    return f"in {round(seconds / 3600)} h"


def _size(count: int) -> str:
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    if count % 1024 == 0:
        return f"{count // 1024} KiB"
    return f"{count} bytes"
