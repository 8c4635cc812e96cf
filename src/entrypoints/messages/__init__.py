"""The words users read, in one place: every error's sentence and next step, every line a
command prints, the -v lines, the prompt and the question before replacing a credential.

The domain and the adapters report facts (which source, which URL, which file, which OS
error number); these modules turn them into sentences, and so hold all the CLI knowledge
the words carry: option names, environment variables, commands to run next.

- ``errors``: the sentence and next step of every domain error (``explain``);
  ``storage``: those of the local credential store's errors;
- ``commands``: what login, logout and status print, their warnings, the prompt and the
  replace question;
- ``verbose``: the -v and -vvv lines;
- ``handover``: the errors of `token` and `exec`, which hand the credential to others.

Lines meant for cleo may carry its tags (``<info>``); values from outside go through ``esc``.
"""

from __future__ import annotations

import os
from datetime import timedelta

from cleo.formatters.formatter import Formatter

from nanoctl.domain.model import Expiry
from nanoctl.domain.origins import TokenOrigin

TOKEN_PAGE = "https://atomic.deskree.com/auth/access/token"
VERBOSE = "nanoctl: {}"
"""How a -v or -vvv line starts, on stderr."""
WARNING = "Warning:"
"""How a warning starts, on stderr (yellow on a colour terminal)."""


def os_reason(number: int | None) -> str:
    """'permission denied': the OS's words for an error number (never a foreign message)."""
    if number is None:
        return "the system gave no reason"
    reason = os.strerror(number)
    return reason[:1].lower() + reason[1:]


def esc(text: str) -> str:
    """Escape text from outside (usernames, URLs, paths) so cleo does not read tags."""
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
