"""Nothing stored is replaced without an explicit yes (SPEC §4): the one rule that a prompt
login and the import of the old nanoctl's token follow before they store a credential."""

from __future__ import annotations

from nanoctl.domain.model import ApiUrl, Credential, Expiry, Value
from nanoctl.domain.ports import Clock, ReplaceConfirmation, SecretStore
from nanoctl.domain.selection import Selection
from nanoctl.domain.selection_errors import ProfileInUse


class Replaced(Value):
    """What a login replaced, for the words that say so (never the token)."""

    __slots__ = ("api_url", "expired", "username")

    def __init__(self, username: str | None, api_url: ApiUrl, expired: bool) -> None:
        self.username = username
        self.api_url = api_url
        self.expired = expired


class Destination:
    """Where a login stores the credential it checked: the selected profile's store, and the
    confirmation asked before what it holds is replaced."""

    __slots__ = ("confirmation", "store")

    def __init__(self, store: SecretStore, confirmation: ReplaceConfirmation) -> None:
        self.store = store
        self.confirmation = confirmation


def may_replace(
    current: Credential, selection: Selection, confirmation: ReplaceConfirmation, clock: Clock
) -> Replaced | None:
    """What replacing ``current`` (stored in the selected profile) would replace, when it may
    be replaced; None when it is kept.

    An expired credential may go without a question. A usable one goes only on an explicit
    yes, whatever API it is for; where nobody can be asked (-n, no terminal, the Python API),
    one for the same API is kept, and one for another API is never replaced by this one:
    ProfileInUse is raised, nothing is stored.
    """
    expired = Expiry(current.identity.expires_at, clock.now()).expired
    replaced = Replaced(current.identity.username, current.api_url, expired)
    if expired:
        return replaced
    if current.api_url != selection.api_url and not confirmation.can_ask:
        raise ProfileInUse(
            selection.profile.value,
            current.identity.username,
            current.api_url.value,
            selection.api_url.value,
            selection.api_url_from,
        )
    return replaced if confirmation.confirm_replace(current) else None
