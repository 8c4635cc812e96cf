"""Log out: forget the stored credential and its key, of one profile or of every one."""

from __future__ import annotations

from dataclasses import dataclass, field

from nanoctl.domain.current_credential import environment_token_set
from nanoctl.domain.model import DEFAULT_PROFILE
from nanoctl.domain.origins import ProfileFrom, TokenOrigin
from nanoctl.domain.ports import Profiles, SecretStore, TokenSource
from nanoctl.domain.selection import Selection
from nanoctl.domain.store_errors import StorageError


@dataclass(frozen=True)
class LogoutResult:
    removed: bool
    """False when nothing was stored (logout is idempotent)."""
    location: str
    environment_token_set: bool
    """NANOSERVICES_TOKEN (or its file) still authenticates commands after logout."""
    environment_origin: TokenOrigin = TokenOrigin.ENVIRONMENT
    """Which of the two it is."""
    profile: str = DEFAULT_PROFILE
    """The profile logged out of."""
    profile_from: ProfileFrom = "default"
    """Who selected it."""
    stored_profiles: tuple[str, ...] = ()
    """When nothing was removed: the profiles that do hold a credential."""
    profiles_removed: tuple[str, ...] = field(default=())
    """The profiles whose credential was removed (``logout --all``: every one)."""
    failure: StorageError | None = None
    """``logout --all``: the first profile that could not be removed (the others were)."""


class Logout:
    """Removes the selected profile's credential; ``profiles`` (None: not looked at) are
    asked which profiles hold one when the selected one holds nothing."""

    def __init__(
        self,
        store: SecretStore,
        environment: TokenSource,
        selection: Selection,
        profiles: Profiles | None = None,
    ) -> None:
        self._store = store
        self._environment = environment
        self._selection = selection
        self._profiles = profiles

    def logout(self) -> LogoutResult:
        """Raises SeveralProfilesForApi when the URL does not tell which profile to log
        out of, StorageError when the credential cannot be removed."""
        profile = self._selection.profile_to_use()
        removed = self._store.delete()
        others = () if removed or self._profiles is None else self._profiles.names()
        return LogoutResult(
            removed,
            self._store.location,
            environment_token_set(self._environment),
            self._environment.origin,
            profile=profile.value,
            profile_from=self._selection.profile_from,
            profiles_removed=(profile.value,) if removed else (),
            stored_profiles=tuple(name.value for name in others),
        )


class LogoutEverywhere:
    """`logout --all`: every stored profile's credential and key. One profile that cannot
    be removed does not keep the others: they are removed, and its fault is returned."""

    def __init__(self, profiles: Profiles, environment: TokenSource, location: str) -> None:
        self._profiles = profiles
        self._environment = environment
        self._location = location

    def logout(self) -> LogoutResult:
        removed: list[str] = []
        failures: list[StorageError] = []
        for name in self._profiles.names():
            try:
                if self._profiles.store_of(name).delete():
                    removed.append(name.value)
            except StorageError as failure:
                failures.append(failure)
        return LogoutResult(
            bool(removed),
            self._location,
            environment_token_set(self._environment),
            self._environment.origin,
            profile="",
            profiles_removed=tuple(removed),
            failure=failures[0] if failures else None,
        )
