"""Log in: pick a token by precedence, validate it, store it only if it was typed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nanoctl.domain.current_credential import reject_if_expired
from nanoctl.domain.errors import NotLoggedIn
from nanoctl.domain.model import ApiUrl, Credential, Expiry, Identity, TokenOrigin

if TYPE_CHECKING:  # ports are only annotations here; Protocols cost import time
    from nanoctl.domain.ports import (
        Clock,
        ReplaceConfirmation,
        SecretStore,
        TokenSource,
        TokenValidator,
    )


@dataclass(frozen=True)
class LoginResult:
    origin: TokenOrigin
    identity: Identity
    expiry: Expiry
    api_url: ApiUrl
    stored: bool
    """True when this login saved the credential."""
    kept: bool = False
    """True when a stored credential was already there and the user kept it."""


class Authenticate:
    """The login use case.

    Precedence: the flag (``--token``, or stdin for ``--token -``) over
    ``NANOSERVICES_TOKEN`` over the interactive prompt. Only a prompted token is
    stored: flag and environment tokens are used once and never touch the store,
    so a broken store cannot block them.
    """

    def __init__(
        self,
        flag: TokenSource,
        environment: TokenSource,
        prompt: TokenSource,
        validator: TokenValidator,
        store: SecretStore,
        clock: Clock,
        confirmation: ReplaceConfirmation,
        api_url: ApiUrl,
    ) -> None:
        self._flag = flag
        self._environment = environment
        self._prompt = prompt
        self._validator = validator
        self._store = store
        self._clock = clock
        self._confirmation = confirmation
        self._api_url = api_url

    def login(self) -> LoginResult:
        for source in (self._flag, self._environment):
            token = source.read()
            if token is not None:
                identity = self._validator.validate(token, self._api_url)
                expiry = reject_if_expired(identity, self._clock)
                return LoginResult(source.origin, identity, expiry, self._api_url, stored=False)
        return self._login_interactively()

    def _login_interactively(self) -> LoginResult:
        # Read the store before prompting: a store we cannot read (corrupted, unsafe,
        # written by a newer nanoctl) must be reported, never silently overwritten.
        current = self._store.load()
        if (
            current is not None
            and self._usable(current)
            and not self._confirmation.confirm_replace(current)
        ):
            expiry = Expiry(current.identity.expires_at, self._clock.now())
            return LoginResult(
                TokenOrigin.STORED,
                current.identity,
                expiry,
                current.api_url,
                stored=False,
                kept=True,
            )
        token = self._prompt.read()
        if token is None:  # a prompt always yields a token or raises; be safe anyway
            raise NotLoggedIn("No token was entered.")
        identity = self._validator.validate(token, self._api_url)
        expiry = reject_if_expired(identity, self._clock)
        self._store.save(Credential(token, self._api_url, identity, saved_at=self._clock.now()))
        return LoginResult(TokenOrigin.PROMPT, identity, expiry, self._api_url, stored=True)

    def _usable(self, credential: Credential) -> bool:
        if credential.api_url != self._api_url:
            return False
        return not Expiry(credential.identity.expires_at, self._clock.now()).expired
