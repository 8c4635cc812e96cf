"""Log out: forget the stored credential and its key."""

from __future__ import annotations

from dataclasses import dataclass

from nanoctl.domain.errors import UsageError
from nanoctl.domain.model import TokenOrigin
from nanoctl.domain.ports import SecretStore, TokenSource


@dataclass(frozen=True)
class LogoutResult:
    removed: bool
    """False when nothing was stored (logout is idempotent)."""
    location: str
    environment_token_set: bool
    """NANOSERVICES_TOKEN (or its file) still authenticates commands after logout."""
    environment_origin: TokenOrigin = TokenOrigin.ENVIRONMENT
    """Which of the two it is."""


class Logout:
    def __init__(self, store: SecretStore, environment: TokenSource) -> None:
        self._store = store
        self._environment = environment

    def logout(self) -> LogoutResult:
        removed = self._store.delete()
        try:
            env_set = self._environment.read() is not None
        except UsageError:  # malformed, but set: the user still needs to know
            env_set = True
        return LogoutResult(removed, self._store.location, env_set, self._environment.origin)
