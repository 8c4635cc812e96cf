"""What the commands print: the result lines of login, logout and status, their warnings,
the hidden prompt's text and the question before a stored credential is replaced."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from nanoctl.domain.model import ApiUrl, Credential, Expiry, TokenOrigin
from nanoctl.entrypoints.messages import TOKEN_PAGE, esc, expiry, source

if TYPE_CHECKING:  # every command imports these words; each needs one use case (~1 ms apiece)
    from nanoctl.domain.authenticate import LoginResult
    from nanoctl.domain.logout import LogoutResult
    from nanoctl.domain.status import StatusReport

TOKEN_PROMPT = (
    f"Please provide the token for authentication. You can create it on {TOKEN_PAGE}\n"
    "Token (input hidden): "
)
HISTORY_WARNING = (
    "a token given on the command line can end up in your shell history and is visible in "
    "the process list. Prefer `--token -` (reads standard input) or NANOSERVICES_TOKEN."
)
ENVIRONMENT_STILL_SET = (
    "NANOSERVICES_TOKEN is set and still authenticates nanoctl commands; "
    "unset it to log out completely."
)


def api_url_line(url: ApiUrl) -> str:
    """With -v: the API a command talks to."""
    return f"API URL: {url}"


def source_line(origin: TokenOrigin) -> str:
    """With -v: where the token in use came from."""
    return f"token source: {source(origin)}"


def expiring_soon(known: Expiry) -> str:
    return f"the token expires {expiry(known)}. Create a new one soon on {TOKEN_PAGE}."


def login_lines(result: LoginResult) -> list[str]:
    """What `nanoctl login` prints on success (nothing for the environment token)."""
    who = esc(result.identity.username or "an unknown user")
    until = f"expires {expiry(result.expiry)}" if result.expiry.known else "expiry unknown"
    if result.kept:
        return [
            f"Already logged in as <info>{who}</info>, {until}. Kept the stored credential.",
            "Run `nanoctl logout` first to log in with another token.",
        ]
    if result.origin is TokenOrigin.ENVIRONMENT:
        return []  # documented: silent on success, the exit code says it all
    if result.stored:
        return [
            f"Welcome, <info>{who}</info>! Your token {until}.",
            "The token is stored encrypted; `nanoctl logout` removes it.",
        ]
    return [
        f"Authenticated as <info>{who}</info> — token {until}.",
        "The token was not stored (run `nanoctl login` without --token to store one).",
    ]


def environment_login_note(result: LoginResult) -> str:
    """On a terminal's stderr after a login with NANOSERVICES_TOKEN, which prints nothing on
    stdout: the user at a keyboard sees that the environment token was used, not stored,
    and how to log in with the prompt instead."""
    who = result.identity.username or "an unknown user"
    return (
        f"NANOSERVICES_TOKEN is valid ({who}) and was used as is, not stored. "
        "To log in with the prompt and store a token, run "
        "`env -u NANOSERVICES_TOKEN nanoctl login`."
    )


def logout_line(result: LogoutResult) -> str:
    if result.removed:
        return f"Logged out: removed the stored credential ({esc(result.location)})."
    return f"Not logged in: nothing stored at {esc(result.location)}."


def status_lines(report: StatusReport) -> list[str]:
    who = esc(report.identity.username or "an unknown user")
    checked = "" if report.validated else " <comment>(offline: not checked with the API)</comment>"
    api = esc(report.api_url.value)
    if report.identity.username is None and not report.validated:
        lines = [f"<info>✓</info> Token available for {api}{checked}"]
    else:
        lines = [f"<info>✓</info> Logged in to {api} as <info>{who}</info>{checked}"]
    if report.origin is TokenOrigin.ENVIRONMENT:
        lines.append("  Token source: NANOSERVICES_TOKEN environment variable")
    else:
        lines.append(f"  Token source: stored credential ({esc(report.location or '')})")
    lines.append(f"  Token:        {esc(report.token_hint)}")
    lines.append(f"  Expires:      {esc(expiry(report.expiry))}")
    if report.key_location:
        lines.append(f"  Key:          {esc(report.key_location)}")
    if report.shadowed:
        lines.append(
            f"  Stored:       {esc(report.shadowed)}, not used while NANOSERVICES_TOKEN is set"
        )
    return lines


def replace_question(current: Credential, now: datetime) -> str:
    """Asked before an interactive login replaces a stored credential (default no)."""
    who = current.identity.username or "an unknown user"
    when = expiry(Expiry(current.identity.expires_at, now))
    token = f"expires {when}" if current.identity.expires_at else when
    return (
        f"You are already logged in to {current.api_url} as {who} (token {token}).\n"
        "Replace the stored credential? [y/N] "
    )
