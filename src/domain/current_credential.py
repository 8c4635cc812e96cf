"""Which credential authenticates a command right now: the environment's, else the stored one.

Every nanoctl command that talks to the platform starts here, so this use case
knows nothing of the CLI and does no network I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nanoctl.domain.errors import CredentialForOtherApi, ExpiredToken, TokenRejected, UsageError
from nanoctl.domain.model import ApiUrl, Credential, Expiry, Identity, Value
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import Clock, Profiles, SecretStore, TokenSource
from nanoctl.domain.selection import Selection, SelectProfileAndApi


class CurrentCredential(Value):
    """The credential a command uses, and where its token came from."""

    __slots__ = ("credential", "origin")

    def __init__(self, credential: Credential, origin: TokenOrigin) -> None:
        self.credential = credential
        self.origin = origin


class ResolveCredential:
    """Finds the credential to use against the selection's API URL, without calling the API.

    ``store`` is the selected profile's; ``profiles`` (None: not looked at) are asked, only
    when there is no credential to use, which profiles hold one, and which is bound to the
    URL asked for, so the error can name them."""

    def __init__(
        self,
        environment: TokenSource,
        store: SecretStore,
        clock: Clock,
        selection: Selection,
        *,
        profiles: Profiles | None = None,
    ) -> None:
        self._environment = environment
        self._store = store
        self._clock = clock
        self._selection = selection
        self._profiles = profiles

    def find(self) -> CurrentCredential:
        """The current credential, expired or not.

        The environment's token (NANOSERVICES_TOKEN, or the file NANOSERVICES_TOKEN_FILE
        names) wins and skips the store. Raises SeveralProfilesForApi when the URL does not
        tell which profile to read, ProfileHoldsNothing when the selected profile holds no
        credential, CredentialForOtherApi when it holds one for another API, StorageError
        when the store cannot be read.
        """
        selection = self._selection
        token = self._environment.read()
        if token is not None:
            return CurrentCredential(
                Credential(token=token, api_url=selection.api_url, identity=Identity()),
                self._environment.origin,
            )
        profile = selection.profile_to_use()
        stored = self._store.load()
        if stored is None:
            # Here: the selection's errors only when one is raised (~0.3 ms every run else).
            from nanoctl.domain.selection_errors import ProfileHoldsNothing

            names = self._profiles.names() if self._profiles is not None else []
            raise ProfileHoldsNothing(
                profile.value, selection.profile_from, tuple(n.value for n in names)
            )
        if stored.api_url != selection.api_url:
            mismatch = CredentialForOtherApi(
                stored.api_url.value,
                selection.api_url.value,
                profile=profile.value,
                profile_from=selection.profile_from,
                url_from=selection.api_url_from,
            )
            mismatch.bound_profile = self._profile_bound_to(selection.api_url)
            raise mismatch
        return CurrentCredential(stored, TokenOrigin.STORED)

    def resolve(self) -> CurrentCredential:
        """The current credential, usable as far as is known offline: what find() raises,
        and ExpiredToken when the stored one is known to have expired."""
        current = self.find()
        if current.origin is TokenOrigin.STORED:
            identity = current.credential.identity
            expiry = Expiry(identity.expires_at, self._clock.now())
            if expiry.expired:
                raise ExpiredToken(identity.username, expiry.expires_at, origin=TokenOrigin.STORED)
        return current

    def _profile_bound_to(self, url: ApiUrl) -> str | None:
        """Another profile whose stored credential is for ``url``."""
        if self._profiles is None:
            return None
        others = [
            name
            for name in SelectProfileAndApi(self._profiles).bound_to(url)
            if name != self._selection.profile
        ]
        return others[0].value if others else None


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
