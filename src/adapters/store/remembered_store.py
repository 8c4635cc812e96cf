"""A store read at most once per run: the API URL of a command comes from the selected
profile's stored credential, and the use case then reads the same credential; decrypting
it (and asking the keyring for its key) twice would double the cost of every command."""

from __future__ import annotations

from nanoctl.domain.model import Credential
from nanoctl.domain.ports import SecretStore


class RememberedStore:
    """``store``, whose first successful ``load`` is remembered until a save or delete.
    A failed load is not remembered: reading again reports the same fault."""

    __slots__ = ("_credential", "_loaded", "_store")

    def __init__(self, store: SecretStore) -> None:
        self._store = store
        self._loaded = False
        self._credential: Credential | None = None

    def __repr__(self) -> str:
        return f"RememberedStore({self._store!r})"

    @property
    def location(self) -> str:
        return self._store.location

    @property
    def key_location(self) -> str:
        return self._store.key_location

    def load(self) -> Credential | None:
        if not self._loaded:
            self._credential = self._store.load()
            self._loaded = True
        return self._credential

    def save(self, credential: Credential) -> None:
        self._forget()
        self._store.save(credential)

    def delete(self) -> bool:
        self._forget()
        return self._store.delete()

    def holds_credential(self) -> bool:
        return self._store.holds_credential()

    def _forget(self) -> None:
        self._loaded = False
        self._credential = None
