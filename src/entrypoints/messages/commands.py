"""What the commands print: the result lines of login, logout and status, their warnings,
the hidden prompt's text and the question before a stored credential is replaced."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from nanoctl.domain.model import DEFAULT_PROFILE, Credential, Expiry
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.messages import TOKEN_PAGE, esc, expiry, source, token_file
from nanoctl.entrypoints.messages.context import Context, profile_origin

if TYPE_CHECKING:  # every command imports these words; each needs one use case (~1 ms apiece)
    from nanoctl.domain.authenticate import LoginResult
    from nanoctl.domain.logout import LogoutResult
    from nanoctl.domain.replacing import Replaced
    from nanoctl.domain.selection import Selection
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


def empty_variable(name: str, *, ci: bool) -> str:
    """A variable set but empty counts as unset: said once, on stderr. In CI an empty
    variable is a secret (or a value) that did not reach the job."""
    if not ci:
        return f"{name} is set but empty; it counts as unset."
    what = (
        "the secret" if name in ("NANOSERVICES_TOKEN", "NANOSERVICES_TOKEN_FILE") else "its value"
    )
    return f"{name} is set but empty: {what} did not reach this job. It counts as unset."


def environment_still_set(origin: TokenOrigin) -> str:
    """After logout: the environment's token still authenticates commands."""
    variable = _ENVIRONMENT_VARIABLES.get(origin, "NANOSERVICES_TOKEN")
    return (
        f"{variable} is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    )


def source_line(origin: TokenOrigin) -> str:
    """With -v: where the token in use came from."""
    return f"token source: {source(origin)}"


def expiring_soon(known: Expiry, profile: str | None = None) -> str:
    """The warning of a token about to expire; ``profile`` names whose (`status --all`)."""
    whose = "the token" if profile is None else f"the token of profile {profile}"
    return f"{whose} expires {expiry(known)}. Create a new one soon on {TOKEN_PAGE}."


def login_lines(result: LoginResult, selection: Selection, context: Context) -> list[str]:
    """What `nanoctl login` prints on success (nothing for the environment token); a
    credential stored in a profile other than ``default`` says which, and one replaced
    says what it was."""
    who = esc(context.shown(result.identity.username or "an unknown user"))
    until = f"expires {expiry(result.expiry)}" if result.expiry.known else "expiry unknown"
    profile = context.profile_shown
    if result.kept and result.api_url != selection.api_url:
        wanted = esc(context.shown(selection.api_url.value))
        return [
            f"Kept the credential of <info>{who}</info> for "
            f"{esc(context.shown(result.api_url.value))} in profile {profile} ({until}); "
            f"nothing was stored for {wanted}.",
            f"To log in to {wanted} as well, log in to another profile: "
            f"`nanoctl login --api-url {wanted} --profile NAME`.",
        ]
    if result.kept:
        return [
            f"Already logged in as <info>{who}</info>, {until}. Kept the stored credential.",
            f"Run {context.nanoctl('logout')} first to log in with another token.",
        ]
    if result.origin in _ENVIRONMENT_VARIABLES:
        return []  # documented: silent on success, the exit code says it all
    if result.stored:
        named = "" if selection.profile.is_default else f" as profile {profile}"
        lines = [
            f"Welcome, <info>{who}</info>! Your token {until}.",
            f"The token is stored encrypted{named}; {context.nanoctl('logout')} removes it.",
        ]
        if result.replaced is not None:
            lines.append(replaced_line(result.replaced, context))
        return lines
    option = "--token-file" if result.origin is TokenOrigin.FILE else "--token"
    return [
        f"Authenticated as <info>{who}</info> — token {until}.",
        f"The token was not stored (run {context.nanoctl('login')} without {option} to store one).",
    ]


def replaced_line(replaced: Replaced, context: Context) -> str:
    """After a login that replaced a stored credential: which one went."""
    who = esc(context.shown(replaced.username or "an unknown user"))
    which = "expired credential" if replaced.expired else "credential"
    url = esc(context.shown(replaced.api_url.value))
    return f"It replaced the {which} of {who} for {url} in profile {context.profile_shown}."


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


def logout_line(result: LogoutResult, context: Context) -> str:
    profile = context.shown(result.profile)
    location = esc(context.shown(result.location))
    default = result.profile == DEFAULT_PROFILE
    if result.removed:
        named = "" if default else f" of profile {profile}"
        return f"Logged out{named}: removed the stored credential ({location})."
    chosen = "" if result.profile_from == "default" else f" ({profile_origin(result.profile_from)})"
    named = "" if default and not chosen else f" to profile {profile}{chosen}"
    line = f"Not logged in{named}: nothing stored at {location}."
    if not result.stored_profiles:
        return line
    # Here: the selection's words only when other profiles are there to name.
    from nanoctl.entrypoints.messages.selection import stored_profiles

    stored = result.stored_profiles
    return line + stored_profiles(result.profile, result.profile_from, stored, context)


def status_lines(report: StatusReport, context: Context, *, profile_line: bool = True) -> list[str]:
    """The lines of `status`; ``profile_line`` False for a block of `status --all`, which
    names its profile first."""
    who = esc(context.shown(report.identity.username or "an unknown user"))
    checked = "" if report.validated else " <comment>(offline: not checked with the API)</comment>"
    api = esc(context.shown(report.api_url.value))
    if report.identity.username is None and not report.validated:
        lines = [f"<info>✓</info> Token available for {api}{checked}"]
    else:
        lines = [f"<info>✓</info> Logged in to {api} as <info>{who}</info>{checked}"]
    lines += known_lines(report, context)
    if profile_line:
        lines.append(f"  Profile:      {esc(context.profile_shown)}")
    if report.shadowed:
        variable = _ENVIRONMENT_VARIABLES.get(report.origin, "NANOSERVICES_TOKEN")
        stored = esc(context.shown(report.shadowed))
        lines.append(f"  Stored:       {stored}, not used while {variable} is set")
    return lines


def known_lines(report: StatusReport, context: Context) -> list[str]:
    """Where the token comes from, its hint, its expiry and where its key is: what is known
    without the API."""
    if report.origin is TokenOrigin.ENVIRONMENT:
        lines = ["  Token source: NANOSERVICES_TOKEN environment variable"]
    elif report.origin is TokenOrigin.ENVIRONMENT_FILE:
        lines = ["  Token source: the file named by NANOSERVICES_TOKEN_FILE"]
    else:
        location = esc(context.shown(report.location or ""))
        lines = [f"  Token source: stored credential ({location})"]
    lines.append(f"  Token:        {esc(report.token_hint)}")
    lines.append(f"  Expires:      {esc(expiry(report.expiry))}")
    if report.key_location:
        lines.append(f"  Key:          {esc(context.shown(report.key_location))}")
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


def replace_question(
    current: Credential, now: datetime, selection: Selection, context: Context
) -> str:
    """Asked before a login replaces a stored credential (default no): what would go (the
    user, the API URL, the profile) and how to keep both."""
    who = context.shown(current.identity.username or "an unknown user")
    when = expiry(Expiry(current.identity.expires_at, now))
    token = f"expires {when}" if current.identity.expires_at else when
    profile = context.profile_shown
    stored = context.shown(current.api_url.value)
    named = "" if selection.profile.is_default else f" of profile {profile}"
    if current.api_url == selection.api_url:
        keep = "`nanoctl login --profile NAME`"
        lines = [f"You are already logged in to {stored} as {who} (token {token})."]
    else:
        wanted = context.shown(selection.api_url.value)
        keep = f"`nanoctl login --api-url {wanted} --profile NAME`"
        lines = [
            f"Profile {profile} holds the credential of {who} for {stored} (token {token}); "
            f"logging in to {wanted} replaces it."
        ]
    lines.append(f"To keep it, log in to another profile instead: {keep}.")
    lines.append(f"Replace the stored credential{named}? [y/N] ")
    return "\n".join(lines)
