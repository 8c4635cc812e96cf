"""Which credential authenticates a command right now: the environment's, else the stored one.

Every nanoctl command that talks to the platform starts here, so this use case
knows nothing of the CLI and does no network I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nanoctl.domain.errors import (
    CredentialForOtherApi,
    ExpiredToken,
    NotLoggedIn,
    TokenRejected,
    UsageError,
)
from nanoctl.domain.model import (
    DEFAULT_PROFILE,
    ApiUrl,
    Credential,
    Expiry,
    Identity,
    ProfileName,
    TokenOrigin,
)
from nanoctl.domain.ports import Clock, Profiles, SecretStore, TokenSource
from nanoctl.domain.store_errors import StorageError


@dataclass(frozen=True)
class CurrentCredential:
    credential: Credential
    origin: TokenOrigin


class ResolveCredential:
    """Finds the credential to use against ``api_url``, without calling the API.

    ``store`` is the selected ``profile``'s; ``profiles`` (None: not looked at) are asked,
    only when that credential is for another API, which other profile is bound to
    ``api_url``, so the error can name it."""

    def __init__(
        self,
        environment: TokenSource,
        store: SecretStore,
        clock: Clock,
        api_url: ApiUrl,
        *,
        profile: ProfileName | None = None,
        profiles: Profiles | None = None,
    ) -> None:
        self._environment = environment
        self._store = store
        self._clock = clock
        self._api_url = api_url
        self._profile = profile or ProfileName(DEFAULT_PROFILE)
        self._profiles = profiles

    def resolve(self) -> CurrentCredential:
        """The current credential.

        Raises NotLoggedIn when there is none (or only one for another API),
        ExpiredToken when the stored one is known to have expired, StorageError when
        the store cannot be read. The environment's token (NANOSERVICES_TOKEN, or the
        file NANOSERVICES_TOKEN_FILE names) wins and skips the store.
        """
        token = self._environment.read()
        if token is not None:
            return CurrentCredential(
                Credential(token=token, api_url=self._api_url, identity=Identity()),
                self._environment.origin,
            )
        stored = self._store.load()
        if stored is None:
            raise NotLoggedIn()
        if stored.api_url != self._api_url:
            raise CredentialForOtherApi(
                stored.api_url.value,
                self._api_url.value,
                profile=self._profile.value,
                bound_profile=self._profile_bound_to(self._api_url),
            )
        expiry = Expiry(stored.identity.expires_at, self._clock.now())
        if expiry.expired:
            raise ExpiredToken(
                stored.identity.username, expiry.expires_at, origin=TokenOrigin.STORED
            )
        return CurrentCredential(stored, TokenOrigin.STORED)

    def _profile_bound_to(self, url: ApiUrl) -> str | None:
        """Another profile whose stored credential is for ``url``; one that cannot be read
        is passed over (it is reported when selected)."""
        if self._profiles is None:
            return None
        for name in self._profiles.names():
            if name == self._profile:
                continue
            try:
                other = self._profiles.store_of(name).load()
            except StorageError:
                continue
            if other is not None and other.api_url == url:
                return name.value
        return None


def environment_token_set(environment: TokenSource) -> bool:
    """Whether NANOSERVICES_TOKEN (or its file) is set, so it authenticates commands
    whatever is stored; a malformed one counts: the user still needs to know."""
    try:
        return environment.read() is not None
    except UsageError:
        return True


@contextmanager
def rejections_name(origin: TokenOrigin) -> Iterator[None]:
    """A TokenRejected raised inside names ``origin`` as where the token came from: the
    user's next step depends on it (update NANOSERVICES_TOKEN, or log in again)."""
    try:
        yield
    except TokenRejected as rejected:
        if rejected.origin is None:
            rejected.origin = origin
        raise


def reject_if_expired(identity: Identity, clock: Clock) -> Expiry:
    """The expiry of a freshly validated identity; raises ExpiredToken when it is past."""
    expiry = Expiry(identity.expires_at, clock.now())
    if expiry.expired:
        raise ExpiredToken(identity.username, expiry.expires_at)
    return expiry
