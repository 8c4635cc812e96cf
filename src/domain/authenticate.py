"""Log in: pick a token by precedence, validate it, store it only if it was typed in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from nanoctl.domain.current_credential import reject_if_expired, rejections_name
from nanoctl.domain.errors import NoTokenEntered
from nanoctl.domain.model import ApiUrl, Credential, Expiry, Identity
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import (
    Clock,
    ReplaceConfirmation,
    SecretStore,
    TokenSource,
    TokenValidator,
)
from nanoctl.domain.replacing import Replaced, may_replace
from nanoctl.domain.selection import Selection

if TYPE_CHECKING:  # the legacy import is loaded only by a login that offers it
    from nanoctl.domain.legacy.files import LegacyImport


class TokenSources:
    """Where a login finds a token without asking: the flag (``--token``, or stdin for
    ``--token -``) first, then ``NANOSERVICES_TOKEN``."""

    __slots__ = ("environment", "flag")

    def __init__(self, flag: TokenSource, environment: TokenSource) -> None:
        self.flag = flag
        self.environment = environment

    def __iter__(self) -> Iterator[TokenSource]:
        return iter((self.flag, self.environment))


class BeforePrompt(Protocol):
    """A step an interactive login with nothing stored takes before it prompts, which may
    log in another way: the old nanoctl's token, offered for import
    (legacy.offer.OfferLegacyImport)."""

    def offer(self) -> LoginResult | None:
        """The login it made; None to go on to the prompt."""
        ...


class InteractiveLogin:
    """What only an interactive login uses: the prompt, the question before a stored
    credential is replaced, the store the prompted token goes to, and the step taken
    before the prompt when nothing is stored (None: none)."""

    __slots__ = ("before_prompt", "confirmation", "prompt", "store")

    def __init__(
        self,
        prompt: TokenSource,
        confirmation: ReplaceConfirmation,
        store: SecretStore,
        before_prompt: BeforePrompt | None = None,
    ) -> None:
        self.prompt = prompt
        self.confirmation = confirmation
        self.store = store
        self.before_prompt = before_prompt


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
    legacy: LegacyImport | None = None
    """What an import of the old nanoctl's token did to its files (None: no import)."""
    replaced: Replaced | None = None
    """The stored credential this login replaced (None: there was none)."""
    declined: bool = False
    """True when the user was asked whether to replace the stored credential, and said no
    (else a credential kept was kept without asking: -n, no terminal)."""

    @classmethod
    def kept_one(
        cls,
        current: Credential,
        clock: Clock,
        legacy: LegacyImport | None = None,
        *,
        declined: bool = False,
    ) -> LoginResult:
        """The result of a login that kept the stored credential ``current`` (``declined``:
        the user said no to replacing it)."""
        expiry = Expiry(current.identity.expires_at, clock.now())
        return cls(
            TokenOrigin.STORED,
            current.identity,
            expiry,
            current.api_url,
            stored=False,
            kept=True,
            legacy=legacy,
            declined=declined,
        )


class Authenticate:
    """The login use case.

    Precedence: the flag (``--token``, or stdin for ``--token -``) over
    ``NANOSERVICES_TOKEN`` over the interactive prompt. Only a prompted token is
    stored, in the selected profile: flag and environment tokens are used once and never
    touch the store, so a broken store cannot block them. ``interactive`` builds what only
    an interactive login uses, when no source gave a token: a login with one builds no
    prompt, no question, no store and no step before the prompt.
    """

    def __init__(
        self,
        sources: TokenSources,
        interactive: Callable[[], InteractiveLogin],
        validator: TokenValidator,
        clock: Clock,
        selection: Selection,
    ) -> None:
        self._sources = sources
        self._interactive = interactive
        self._validator = validator
        self._clock = clock
        self._selection = selection
        self._api_url = selection.api_url

    def login(self) -> LoginResult:
        for source in self._sources:
            token = source.read()
            if token is not None:
                with rejections_name(source.origin):
                    identity = self._validator.validate(token, self._api_url)
                    expiry = reject_if_expired(identity, self._clock)
                return LoginResult(source.origin, identity, expiry, self._api_url, stored=False)
        return self._login_interactively()

    def _login_interactively(self) -> LoginResult:
        interactive = self._interactive()
        self._selection.profile_to_use()  # several profiles bound to the URL: none is guessed
        # Read the store before prompting: a store we cannot read (corrupted, unsafe,
        # written by a newer nanoctl) must be reported, never silently overwritten.
        current = interactive.store.load()
        if current is None and interactive.before_prompt is not None:
            other_way = interactive.before_prompt.offer()
            if other_way is not None:
                return other_way
        replaced: Replaced | None = None
        if current is not None:
            replaced = may_replace(current, self._selection, interactive.confirmation, self._clock)
            if replaced is None:
                asked = interactive.confirmation.can_ask
                return LoginResult.kept_one(current, self._clock, declined=asked)
        token = interactive.prompt.read()
        if token is None:  # a prompt always yields a token or raises; be safe anyway
            raise NoTokenEntered()
        with rejections_name(TokenOrigin.PROMPT):
            identity = self._validator.validate(token, self._api_url)
            expiry = reject_if_expired(identity, self._clock)
        credential = Credential(token, self._api_url, identity, saved_at=self._clock.now())
        interactive.store.save(credential)
        return LoginResult(
            TokenOrigin.PROMPT, identity, expiry, self._api_url, stored=True, replaced=replaced
        )
