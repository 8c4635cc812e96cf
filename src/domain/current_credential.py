"""Which credential authenticates a command right now: the environment's, else the stored one.

Every nanoctl command that talks to the platform starts here, so this use case
knows nothing of the CLI and does no network I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nanoctl.domain.errors import CredentialForOtherApi, ExpiredToken, NotLoggedIn, TokenRejected
from nanoctl.domain.model import ApiUrl, Credential, Expiry, Identity, TokenOrigin
from nanoctl.domain.ports import Clock, SecretStore, TokenSource


@dataclass(frozen=True)
class CurrentCredential:
    credential: Credential
    origin: TokenOrigin


class ResolveCredential:
    """Finds the credential to use against ``api_url``, without calling the API."""

    def __init__(
        self, environment: TokenSource, store: SecretStore, clock: Clock, api_url: ApiUrl
    ) -> None:
        self._environment = environment
        self._store = store
        self._clock = clock
        self._api_url = api_url

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
            raise CredentialForOtherApi(stored.api_url.value, self._api_url.value)
        expiry = Expiry(stored.identity.expires_at, self._clock.now())
        if expiry.expired:
            raise ExpiredToken(
                stored.identity.username, expiry.expires_at, origin=TokenOrigin.STORED
            )
        return CurrentCredential(stored, TokenOrigin.STORED)


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
