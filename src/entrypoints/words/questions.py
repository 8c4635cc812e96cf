"""What nanoctl asks: the hidden prompt's text, the question before a login replaces a
stored credential, and the offer to import the old nanoctl's token. Asked by the terminal
adapters the container builds (so here, not in the login command, which the container
never imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.model import Credential, Expiry
from nanoctl.entrypoints.words import TOKEN_PAGE, expiry
from nanoctl.entrypoints.words.context import Context

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from nanoctl.domain.model import Token
    from nanoctl.domain.selection import Selection

TOKEN_PROMPT = (
    f"Please provide the token for authentication. You can create it on {TOKEN_PAGE}\n"
    "Token (input hidden): "
)


class ReplaceQuestion:
    """The question a login asks before it replaces the selected profile's credential, in
    the words of this run (its selection, the tokens never to show)."""

    __slots__ = ("_selection", "_tokens")

    def __init__(self, selection: Selection, tokens: Iterable[Token]) -> None:
        self._selection = selection
        self._tokens = tokens

    def __call__(self, current: Credential, now: datetime) -> str:
        context = Context.of(self._selection, "login", tuple(self._tokens))
        return replace_question(current, now, self._selection, context)


def replace_question(
    current: Credential, now: datetime, selection: Selection, context: Context
) -> str:
    """Asked before a login replaces a stored credential (default no): what would go (the
    user, the API URL, the profile) and how to keep both."""
    name = current.identity.username
    as_whom = f" as {context.shown(name)}" if name else ""
    whose = f"the credential of {context.shown(name)}" if name else "a credential"
    when = expiry(Expiry(current.identity.expires_at, now))
    token = f"expires {when}" if current.identity.expires_at else when
    profile = context.profile_shown
    stored = context.shown(current.api_url.value)
    named = "" if selection.profile.is_default else f" of profile {profile}"
    if current.api_url == selection.api_url:
        keep = "`nanoctl login --profile NAME`"
        lines = [f"You are already logged in to {stored}{as_whom} (token {token})."]
    else:
        wanted = context.shown(selection.api_url.value)
        keep = f"`nanoctl login --api-url {wanted} --profile NAME`"
        lines = [
            f"Profile {profile} holds {whose} for {stored} (token {token}); "
            f"logging in to {wanted} replaces it."
        ]
    lines.append(f"To keep it, log in to another profile instead: {keep}.")
    lines.append(f"Replace the stored credential{named}? [y/N] ")
    return "\n".join(lines)


def import_question(path: str) -> str:
    """Asked before the token prompt when the old nanoctl left a token (default yes)."""
    return f"Found a token saved by the old nanoctl at {path}; import it? [Y/n] "
