"""A store read at most once per run: the selection of a run reads the stored credentials
its choice depends on (the selected profile's URL, the profiles bound to a URL given), and
the use case then reads the same credential; decrypting it (and asking the keyring for its
key) twice would double the cost of every command."""

from __future__ import annotations

from nanoctl.domain.model import Credential, ProfileName
from nanoctl.domain.ports import Profiles, SecretStore


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


class RememberedProfiles:
    """``profiles``, whose store of each profile is built once per run (and so read at
    most once, when it is a RememberedStore)."""

    __slots__ = ("_profiles", "_stores")

    def __init__(self, profiles: Profiles) -> None:
        self._profiles = profiles
        self._stores: dict[ProfileName, SecretStore] = {}

    def __repr__(self) -> str:
        return f"RememberedProfiles({self._profiles!r})"

    def names(self) -> list[ProfileName]:
        return self._profiles.names()

    def store_of(self, name: ProfileName) -> SecretStore:
        if name not in self._stores:
            self._stores[name] = self._profiles.store_of(name)
        return self._stores[name]
