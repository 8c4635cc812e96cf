"""The words users read that are not one command's own: the sentence and next step of every
error, the -v lines, the warnings several commands give, what nanoctl asks, and the phrases
they are written with. A command's own lines and JSON live in its module
(``nanoctl.entrypoints.cli.login``, …).

The domain and the adapters report facts (which source, which URL, which file, which OS
error number); these modules turn them into sentences, and so hold all the CLI knowledge
the words carry: option names, environment variables, commands to run next.

- ``errors``: ``explain``, the sentence and next step of every domain error, from the
  entries of ``token_input``, ``rejections``, ``api_failures``, ``storage``, ``selection``,
  ``handover``, ``api_requests`` and ``legacy`` (docs/errors.md lists them all);
- ``context``: what a sentence may say of its run (its selection, the tokens never shown);
- ``events``: the -v and -vvv lines of what the adapters report;
- ``questions``: the hidden prompt and the questions before a credential is replaced or
  the old nanoctl's token imported;
- ``shown``: which words a user typed may be repeated back.

Lines meant for cleo may carry its tags (``<info>``); values from outside go through ``esc``.
"""

from __future__ import annotations

import os
from datetime import timedelta

from nanoctl.domain.model import Expiry
from nanoctl.domain.origins import TokenOrigin

TOKEN_PAGE = "https://atomic.deskree.com/auth/access/token"
VERBOSE = "nanoctl: {}"
"""How a -v or -vvv line starts, on stderr."""
WARNING = "Warning:"
"""How a warning starts, on stderr (yellow on a colour terminal)."""
TOKEN_VARIABLES = {
    TokenOrigin.ENVIRONMENT: "NANOSERVICES_TOKEN",
    TokenOrigin.ENVIRONMENT_FILE: "NANOSERVICES_TOKEN_FILE",
}
"""The variables whose token counts as the environment's."""


def os_reason(number: int | None) -> str:
    """'permission denied': the OS's words for an error number (never a foreign message)."""
    if number is None:
        return "the system gave no reason"
    reason = os.strerror(number)
    return reason[:1].lower() + reason[1:]


def esc(text: str) -> str:
    """Escape text from outside (usernames, URLs, paths) so cleo does not read tags."""
    # Here: cleo only for a line that goes to cleo; the Python API's words never load it.
    from cleo.formatters.formatter import Formatter

    return Formatter.escape(text)


def source(origin: TokenOrigin | None) -> str:
    """Where a token came from, as -v and the errors name it."""
    if origin is None:
        return "this credential"
    return {
        TokenOrigin.FLAG: "the --token option",
        TokenOrigin.STDIN: "standard input (--token -)",
        TokenOrigin.FILE: "the file given to --token-file",
        TokenOrigin.ENVIRONMENT: "NANOSERVICES_TOKEN",
        TokenOrigin.ENVIRONMENT_FILE: "the file named by NANOSERVICES_TOKEN_FILE",
        TokenOrigin.PROMPT: "the prompt",
        TokenOrigin.STORED: "the stored credential",
        TokenOrigin.LEGACY: "the old nanoctl's token file",
    }[origin]


def token_file(path: str, origin: TokenOrigin | None) -> str:
    """A token file as the errors and warnings name it: its path and who named it."""
    if origin is TokenOrigin.ENVIRONMENT_FILE:
        return f"{path} (named by NANOSERVICES_TOKEN_FILE)"
    return f"{path} (given to --token-file)"


def expiry(known: Expiry) -> str:
    """'2027-01-31 (in 64 days)', 'expired on 2026-01-31', 'expiry unknown'."""
    if known.expires_at is None:
        return "expiry unknown"
    date = known.expires_at.strftime("%Y-%m-%d")
    if known.expired:
        return f"expired on {date}"
    left = known.expires_at - known.now
    if left < timedelta(days=1):
        hours = max(1, int(left.total_seconds() // 3600))
        return f"{date} (in {hours} hour{'s' if hours != 1 else ''})"
    days = known.days_left
    return f"{date} (in {days} day{'s' if days != 1 else ''})"


# --- the warnings of several commands --------------------------------------------------------


def expiring_soon(known: Expiry, profile: str | None = None) -> str:
    """The warning of a token about to expire; ``profile`` names whose (`status --all`)."""
    whose = "the token" if profile is None else f"the token of profile {profile}"
    return f"{whose} expires {expiry(known)}. Create a new one soon on {TOKEN_PAGE}."


def empty_variable(name: str, *, ci: bool) -> str:
    """A variable set but empty counts as unset: said once, on stderr. In CI an empty
    variable is a secret (or a value) that did not reach the job."""
    if not ci:
        return f"{name} is set but empty; it counts as unset."
    what = "the secret" if name in TOKEN_VARIABLES.values() else "its value"
    return f"{name} is set but empty: {what} did not reach this job. It counts as unset."
