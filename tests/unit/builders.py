"""Building blocks for use-case tests: a wired Authenticate/Status/Logout on fakes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nanoctl.domain.authenticate import Authenticate, InteractiveLogin, TokenSources
from nanoctl.domain.current_credential import ResolveCredential
from nanoctl.domain.logout import Logout
from nanoctl.domain.model import ApiUrl, Credential, Identity, ProfileName, Token
from nanoctl.domain.origins import ApiUrlFrom, ProfileFrom, TokenOrigin
from nanoctl.domain.selection import Selection
from nanoctl.domain.status import Status
from tests.fakes import (
    FakeClock,
    FakeReplaceConfirmation,
    FakeSecretStore,
    FakeTokenSource,
    FakeTokenValidator,
)

API = ApiUrl.parse("https://api.example.test/base")
OTHER_API = ApiUrl.parse("https://other.example.test")
NOW = FakeClock().current
ADA = Identity("ada", NOW + timedelta(days=30))


def credential(
    value: str = "stored-token-0001",
    identity: Identity = ADA,
    api: ApiUrl = API,
    saved_at: datetime | None = NOW,
) -> Credential:
    return Credential(Token.parse(value, TokenOrigin.STORED), api, identity, saved_at)


def selection(
    api: ApiUrl = API,
    profile: str = "default",
    *,
    profile_from: ProfileFrom = "default",
    api_url_from: ApiUrlFrom = "option",
) -> Selection:
    """A run's selection: ``profile`` against ``api`` (given with --api-url by default)."""
    return Selection(ProfileName(profile), profile_from, api, api_url_from)


@dataclass
class World:
    flag: FakeTokenSource = field(default_factory=lambda: FakeTokenSource(TokenOrigin.FLAG))
    env: FakeTokenSource = field(default_factory=lambda: FakeTokenSource(TokenOrigin.ENVIRONMENT))
    prompt: FakeTokenSource = field(default_factory=lambda: FakeTokenSource(TokenOrigin.PROMPT))
    validator: FakeTokenValidator = field(default_factory=lambda: FakeTokenValidator({}))
    store: FakeSecretStore = field(default_factory=FakeSecretStore)
    clock: FakeClock = field(default_factory=FakeClock)
    confirmation: FakeReplaceConfirmation = field(default_factory=FakeReplaceConfirmation)
    api: ApiUrl = API

    def authenticate(self) -> Authenticate:
        return Authenticate(
            TokenSources(self.flag, self.env),
            lambda: InteractiveLogin(self.prompt, self.confirmation, self.store),
            self.validator,
            self.clock,
            selection(self.api),
        )

    def logout(self) -> Logout:
        return Logout(self.store, self.env, selection(self.api))

    def status(self) -> Status:
        resolve = ResolveCredential(self.env, self.store, self.clock, selection(self.api))
        return Status(resolve, self.validator, self.store, self.clock)
