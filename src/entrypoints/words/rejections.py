"""The sentence and the next step of each rejection of a token by the API (exit 3): which
token (where it came from) and where a new one must go, worded for CI when the token came
from a variable there. ``errors.explain`` uses these entries."""

from __future__ import annotations

import os
from functools import singledispatch

from nanoctl.domain import errors as e
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.settings import running_in_ci
from nanoctl.entrypoints.words import TOKEN_PAGE, source
from nanoctl.entrypoints.words.context import Context

# {the_token} names where it came from, {renew} where a new one must go
SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    e.TokenRejected: ("The API rejected {the_token}.", "{renew}"),
    e.InvalidToken: ("The API rejected {the_token} as invalid.", "{renew}"),
    e.InactiveToken: ("{The_token} is no longer active (revoked or expired).", "{renew}"),
    e.ExpiredToken: ("{The_token}{owner} expired on {date}.", "{renew}"),
    e.ForbiddenToken: (
        "{The_token} is valid but lacks permission to log in (HTTP 403).",
        "{renew}",
    ),
}


@singledispatch
def phrases(error: e.NanoctlError, context: Context) -> dict[str, str]:
    """Which token the API rejected, and where a new one must go."""
    if isinstance(error, e.TokenRejected):
        return _rejected(error, context)
    return {}  # pragma: no cover - every error of SENTENCES is a TokenRejected


@phrases.register
def _(error: e.ExpiredToken, context: Context) -> dict[str, str]:
    return {
        **_rejected(error, context),
        "owner": f" for {error.username}" if error.username else "",
        "date": error.expires_at.strftime("%Y-%m-%d") if error.expires_at else "an unknown date",
    }


def _rejected(error: e.TokenRejected, context: Context) -> dict[str, str]:
    """Which token the API rejected, and where a new one must go: a stale
    NANOSERVICES_TOKEN (or its file) is fixed by updating it (in CI: its secret), not by
    logging in."""
    the_token = _REJECTED_TOKENS.get(error.origin, f"the token from {source(error.origin)}")
    create = (
        f"Create a token with access to the platform on {TOKEN_PAGE}"
        if isinstance(error, e.ForbiddenToken)
        else f"Create a new token on {TOKEN_PAGE}"
    )
    return {
        "the_token": the_token,
        "The_token": _capital(the_token),
        "renew": f"{create} {_renew_step(error.origin, context)}",
    }


def _renew_step(origin: TokenOrigin | None, context: Context) -> str:
    """Where the new token goes: the variable or file that gave the old one."""
    if origin in _RENEW_IN_CI and running_in_ci(os.environ):
        return _RENEW_IN_CI[origin]
    if origin is TokenOrigin.STORED:
        return f"and run {context.nanoctl('login')} to replace the stored one."
    return _RENEW.get(origin, "and log in again.")


_RENEW: dict[TokenOrigin | None, str] = {
    TokenOrigin.ENVIRONMENT: "and update NANOSERVICES_TOKEN, or unset it.",
    TokenOrigin.ENVIRONMENT_FILE: "and write it to that file, or unset NANOSERVICES_TOKEN_FILE.",
    TokenOrigin.FILE: "and write it to that file.",
}
_RENEW_IN_CI: dict[TokenOrigin | None, str] = {
    TokenOrigin.ENVIRONMENT: "and update the CI secret that sets NANOSERVICES_TOKEN.",
    TokenOrigin.ENVIRONMENT_FILE: (
        "and update the CI secret written to the file NANOSERVICES_TOKEN_FILE names."
    ),
}
_REJECTED_TOKENS: dict[TokenOrigin | None, str] = {
    None: "the token",
    TokenOrigin.ENVIRONMENT: f"the token in {source(TokenOrigin.ENVIRONMENT)}",
    TokenOrigin.FILE: f"the token in {source(TokenOrigin.FILE)}",
    TokenOrigin.ENVIRONMENT_FILE: f"the token in {source(TokenOrigin.ENVIRONMENT_FILE)}",
    TokenOrigin.PROMPT: "the token you entered",
    TokenOrigin.STORED: "the stored token",
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
