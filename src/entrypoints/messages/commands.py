"""What the commands print: the result lines of login, logout and status, their warnings,
the hidden prompt's text and the question before a stored credential is replaced."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from nanoctl.domain.errors import ProfileNameOrigin
from nanoctl.domain.model import (
    DEFAULT_PROFILE,
    ApiUrl,
    Credential,
    Expiry,
    ProfileName,
    TokenOrigin,
)
from nanoctl.entrypoints.messages import TOKEN_PAGE, esc, expiry, source, token_file

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
_ENVIRONMENT_VARIABLES = {
    TokenOrigin.ENVIRONMENT: "NANOSERVICES_TOKEN",
    TokenOrigin.ENVIRONMENT_FILE: "NANOSERVICES_TOKEN_FILE",
}


def environment_still_set(origin: TokenOrigin) -> str:
    """After logout: the environment's token still authenticates commands."""
    variable = _ENVIRONMENT_VARIABLES.get(origin, "NANOSERVICES_TOKEN")
    return (
        f"{variable} is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    )


def api_url_line(url: ApiUrl) -> str:
    """With -v: the API a command talks to."""
    return f"API URL: {url}"


_PROFILE_CHOSEN_BY = {
    "option": "--profile",
    "environment": "NANOCTL_PROFILE",
    "argument": "the profile= argument",
}


def profile_line(profile: ProfileName, origin: ProfileNameOrigin) -> str:
    """With -v: the profile someone selected (the default one, selected by nobody, has
    no line), and who selected it."""
    return f"profile: {profile} (from {_PROFILE_CHOSEN_BY[origin]})"


def source_line(origin: TokenOrigin) -> str:
    """With -v: where the token in use came from."""
    return f"token source: {source(origin)}"


def expiring_soon(known: Expiry) -> str:
    return f"the token expires {expiry(known)}. Create a new one soon on {TOKEN_PAGE}."


def login_lines(result: LoginResult, profile: ProfileName | None = None) -> list[str]:
    """What `nanoctl login` prints on success (nothing for the environment token);
    a credential stored in a profile other than ``default`` says which."""
    who = esc(result.identity.username or "an unknown user")
    until = f"expires {expiry(result.expiry)}" if result.expiry.known else "expiry unknown"
    if result.kept:
        return [
            f"Already logged in as <info>{who}</info>, {until}. Kept the stored credential.",
            "Run `nanoctl logout` first to log in with another token.",
        ]
    if result.origin in _ENVIRONMENT_VARIABLES:
        return []  # documented: silent on success, the exit code says it all
    if result.stored:
        named = "" if profile is None or profile.is_default else f" as profile {profile}"
        return [
            f"Welcome, <info>{who}</info>! Your token {until}.",
            f"The token is stored encrypted{named}; `nanoctl logout` removes it.",
        ]
    option = "--token-file" if result.origin is TokenOrigin.FILE else "--token"
    return [
        f"Authenticated as <info>{who}</info> — token {until}.",
        f"The token was not stored (run `nanoctl login` without {option} to store one).",
    ]


def environment_login_note(result: LoginResult) -> str:
    """On a terminal's stderr after a login with NANOSERVICES_TOKEN (or its file), which
    prints nothing on stdout: the user at a keyboard sees that the environment's token was
    used, not stored, and how to log in with the prompt instead."""
    who = result.identity.username or "an unknown user"
    variable = _ENVIRONMENT_VARIABLES.get(result.origin, "NANOSERVICES_TOKEN")
    token = (
        variable
        if result.origin is TokenOrigin.ENVIRONMENT
        else f"The token in {source(result.origin)}"
    )
    return (
        f"{token} is valid ({who}) and was used as is, not stored. "
        "To log in with the prompt and store a token, run "
        f"`env -u {variable} nanoctl login`."
    )


def logout_line(result: LogoutResult) -> str:
    default = result.profile == DEFAULT_PROFILE
    if result.removed:
        named = "" if default else f" of profile {result.profile}"
        return f"Logged out{named}: removed the stored credential ({esc(result.location)})."
    named = "" if default else f" to profile {result.profile}"
    return f"Not logged in{named}: nothing stored at {esc(result.location)}."


def status_lines(report: StatusReport, profile: ProfileName) -> list[str]:
    who = esc(report.identity.username or "an unknown user")
    checked = "" if report.validated else " <comment>(offline: not checked with the API)</comment>"
    api = esc(report.api_url.value)
    if report.identity.username is None and not report.validated:
        lines = [f"<info>✓</info> Token available for {api}{checked}"]
    else:
        lines = [f"<info>✓</info> Logged in to {api} as <info>{who}</info>{checked}"]
    if report.origin is TokenOrigin.ENVIRONMENT:
        lines.append("  Token source: NANOSERVICES_TOKEN environment variable")
    elif report.origin is TokenOrigin.ENVIRONMENT_FILE:
        lines.append("  Token source: the file named by NANOSERVICES_TOKEN_FILE")
    else:
        lines.append(f"  Token source: stored credential ({esc(report.location or '')})")
    lines.append(f"  Token:        {esc(report.token_hint)}")
    lines.append(f"  Expires:      {esc(expiry(report.expiry))}")
    if report.key_location:
        lines.append(f"  Key:          {esc(report.key_location)}")
    lines.append(f"  Profile:      {profile}")
    if report.shadowed:
        variable = _ENVIRONMENT_VARIABLES.get(report.origin, "NANOSERVICES_TOKEN")
        lines.append(f"  Stored:       {esc(report.shadowed)}, not used while {variable} is set")
    return lines


def token_file_exposed(path: str, mode: int, origin: TokenOrigin) -> str:
    """The warning for a token file others can read (not a refusal: Kubernetes mounts
    secrets 0644)."""
    return (
        f"the token file {token_file(path, origin)} can be read by other users "
        f"(mode {mode:04o}); `chmod 600` it if you can."
    )


def running_line(program: str) -> str:
    """With -v: the program `nanoctl exec` starts (its arguments are not shown)."""
    return f"running {program} with the token in NANOSERVICES_TOKEN"


def replace_question(current: Credential, now: datetime, profile: ProfileName | None = None) -> str:
    """Asked before an interactive login replaces a stored credential (default no); a
    profile other than ``default`` is named."""
    who = current.identity.username or "an unknown user"
    when = expiry(Expiry(current.identity.expires_at, now))
    token = f"expires {when}" if current.identity.expires_at else when
    named = "" if profile is None or profile.is_default else f" of profile {profile}"
    return (
        f"You are already logged in to {current.api_url} as {who} (token {token}).\n"
        f"Replace the stored credential{named}? [y/N] "
    )
