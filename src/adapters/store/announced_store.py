"""The store as a token source for -v: the stored credential is the token in use whenever
the environment has none, and -v says so as soon as it is read, as AnnouncedTokenSource
does for the other sources (before any request, so also when the API rejects it)."""

from __future__ import annotations

from collections.abc import Callable

from nanoctl.domain.events import Diagnostics, TokenFound
from nanoctl.domain.model import Credential, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import SecretStore


class AnnouncedStore:
    """``store``, reporting (-v) that its credential gives the token when it loads one, and
    handing that token to ``seen`` (the entrypoint's list of tokens never to show as a name;
    diagnostics never get a secret)."""

    __slots__ = ("_diagnostics", "_seen", "_store")

    def __init__(
        self,
        store: SecretStore,
        diagnostics: Diagnostics,
        seen: Callable[[Token], None] | None = None,
    ) -> None:
        self._store = store
        self._diagnostics = diagnostics
        self._seen = seen

    def __repr__(self) -> str:
        return f"AnnouncedStore({self._store!r})"

    @property
    def location(self) -> str:
        return self._store.location

    @property
    def key_location(self) -> str:
        return self._store.key_location

    def load(self) -> Credential | None:
        credential = self._store.load()
        if credential is not None:
            self._diagnostics.info(TokenFound(TokenOrigin.STORED))
            if self._seen is not None:
                self._seen(credential.token)
        return credential

    def save(self, credential: Credential) -> None:
        self._store.save(credential)

    def delete(self) -> bool:
        return self._store.delete()

    def holds_credential(self) -> bool:
        return self._store.holds_credential()
