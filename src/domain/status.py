"""Status: who is authenticated, with which token, against which API, until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nanoctl.domain.current_credential import (
    ResolveCredential,
    reject_if_expired,
    rejections_name,
)
from nanoctl.domain.model import ApiUrl, Expiry, Identity, TokenOrigin
from nanoctl.domain.ports import Clock, SecretStore, TokenValidator


@dataclass(frozen=True)
class StatusReport:
    origin: TokenOrigin
    identity: Identity
    expiry: Expiry
    api_url: ApiUrl
    token_hint: str
    validated: bool
    """False with --offline: nothing was asked of the API."""
    location: str | None
    """The credential file, when the token is the stored one."""
    key_location: str | None
    saved_at: datetime | None
    shadowed: str | None = None
    """Where a stored credential is that the environment token is used instead of."""


class Status:
    def __init__(
        self,
        resolve: ResolveCredential,
        validator: TokenValidator,
        store: SecretStore,
        clock: Clock,
    ) -> None:
        self._resolve = resolve
        self._validator = validator
        self._store = store
        self._clock = clock

    def check(self, *, offline: bool = False) -> StatusReport:
        """Raises NotLoggedIn, TokenRejected, ApiUnavailable or StorageError."""
        current = self._resolve.resolve()
        credential = current.credential
        identity = credential.identity
        if not offline:
            with rejections_name(current.origin):
                fresh = self._validator.validate(credential.token, credential.api_url)
                identity = Identity(
                    fresh.username or identity.username,
                    fresh.expires_at or identity.expires_at,
                )
                expiry = reject_if_expired(identity, self._clock)
        else:
            expiry = Expiry(identity.expires_at, self._clock.now())
        stored = current.origin is TokenOrigin.STORED
        # The environment token wins; a stored credential it hides is worth a mention.
        shadowed = not stored and self._store.holds_credential()
        return StatusReport(
            origin=current.origin,
            identity=identity,
            expiry=expiry,
            api_url=credential.api_url,
            token_hint=credential.token.masked(),
            validated=not offline,
            location=self._store.location if stored else None,
            key_location=self._store.key_location if stored else None,
            saved_at=credential.saved_at,
            shadowed=self._store.location if shadowed else None,
        )
