"""Status: who is authenticated, with which token, against which API, until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nanoctl.domain.current_credential import (
    ResolveCredential,
    environment_token_set,
    reject_if_expired,
    rejections_name,
)
from nanoctl.domain.errors import NanoctlError, NotLoggedIn
from nanoctl.domain.model import ApiUrl, Expiry, Identity, ProfileName, Token, TokenOrigin
from nanoctl.domain.ports import Clock, Profiles, SecretStore, TokenSource, TokenValidator


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


@dataclass(frozen=True)
class ProfileStatus:
    """One profile in `status --all`: its report, or the fault that stopped it."""

    profile: ProfileName
    report: StatusReport | None
    error: NanoctlError | None = None
    api_url: ApiUrl | None = None
    """The URL the profile is bound to, when its credential could be read."""


@dataclass(frozen=True)
class ProfilesStatus:
    profiles: tuple[ProfileStatus, ...]
    environment_token_set: bool
    """NANOSERVICES_TOKEN (or its file) is set: commands use it, not these credentials."""
    environment_origin: TokenOrigin = TokenOrigin.ENVIRONMENT


class _NoToken:
    """The environment's place in a profile's status: `status --all` shows the stored
    credentials, so the environment's token is told apart, not used."""

    origin = TokenOrigin.ENVIRONMENT

    def read(self) -> Token | None:
        return None


class StatusOfProfiles:
    """`status --all`: every stored profile, each checked against the API it is bound to.
    A profile whose credential cannot be read or is rejected is reported as such; the
    others are still checked."""

    def __init__(
        self,
        profiles: Profiles,
        validator: TokenValidator,
        clock: Clock,
        environment: TokenSource,
    ) -> None:
        self._profiles = profiles
        self._validator = validator
        self._clock = clock
        self._environment = environment

    def check(self, *, offline: bool = False) -> ProfilesStatus:
        return ProfilesStatus(
            tuple(self._check(name, offline) for name in self._profiles.names()),
            environment_token_set(self._environment),
            self._environment.origin,
        )

    def _check(self, name: ProfileName, offline: bool) -> ProfileStatus:
        store = self._profiles.store_of(name)
        try:
            stored = store.load()
            if stored is None:  # removed since it was listed
                raise NotLoggedIn()
        except NanoctlError as error:
            return ProfileStatus(name, None, error)
        resolve = ResolveCredential(_NoToken(), store, self._clock, stored.api_url, profile=name)
        try:
            report = Status(resolve, self._validator, store, self._clock).check(offline=offline)
        except NanoctlError as error:
            return ProfileStatus(name, None, error, stored.api_url)
        return ProfileStatus(name, report, None, stored.api_url)
