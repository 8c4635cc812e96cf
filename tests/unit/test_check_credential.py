"""The current credential for other programs: resolved offline (as `token` and `exec` do),
or confirmed by the API first (`exec --check`), against fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.check_credential import CheckCredential
from nanoctl.domain.current_credential import ResolveCredential
from nanoctl.domain.errors import ExpiredToken, InvalidToken, NotLoggedIn
from nanoctl.domain.model import Identity
from nanoctl.domain.origins import TokenOrigin
from tests.fakes import FakeTokenSource, FakeTokenValidator
from tests.unit.builders import ADA, API, NOW, World, credential, selection


def check(world: World) -> CheckCredential:
    resolve = ResolveCredential(world.env, world.store, world.clock, selection(world.api))
    return CheckCredential(resolve, world.validator, world.clock)


@pytest.mark.parametrize("origin", [TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE])
def test_the_environments_token_keeps_the_origin_its_source_names(origin: TokenOrigin) -> None:
    world = World(env=FakeTokenSource(origin, "env-token-0001"))
    world.store.credential = credential()
    current = ResolveCredential(world.env, world.store, world.clock, selection(world.api)).resolve()
    assert current.origin is origin
    assert current.credential.token.reveal() == "env-token-0001"


def test_check_confirms_the_stored_credential_with_the_api() -> None:
    world = World(validator=FakeTokenValidator({"stored-token-0001": ADA}))
    world.store.credential = credential(identity=Identity("ada"))
    current = check(world).check()
    assert current.origin is TokenOrigin.STORED
    assert current.credential.identity == ADA  # the expiry the API reported
    assert world.validator.seen == [("stored-token-0001", API.value)]


def test_check_keeps_what_is_known_when_the_api_does_not_say() -> None:
    world = World(validator=FakeTokenValidator({"stored-token-0001": Identity()}))
    world.store.credential = credential(identity=ADA)
    assert check(world).check().credential.identity == ADA


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (InvalidToken(), InvalidToken),
        (ApiUnreachable(API.value, "refused"), ApiUnreachable),
        (Identity("ada", NOW - timedelta(minutes=1)), ExpiredToken),
    ],
    ids=["rejected", "unreachable", "expired per the api"],
)
def test_check_raises_what_the_api_says(answer: Identity | Exception, error: type) -> None:
    world = World(
        env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-0001"),
        validator=FakeTokenValidator({"env-token-0001": answer}),
    )
    with pytest.raises(error):
        check(world).check()


def test_check_with_no_credential_asks_nothing() -> None:
    world = World()
    with pytest.raises(NotLoggedIn):
        check(world).check()
    assert world.validator.seen == []


@pytest.mark.parametrize(
    "origin", [TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE, TokenOrigin.STORED]
)
def test_a_rejection_names_where_the_checked_token_came_from(origin: TokenOrigin) -> None:
    token = None if origin is TokenOrigin.STORED else "stored-token-0001"
    world = World(
        env=FakeTokenSource(TokenOrigin.ENVIRONMENT if token is None else origin, token),
        validator=FakeTokenValidator({"stored-token-0001": InvalidToken()}),
    )
    world.store.credential = credential()
    with pytest.raises(InvalidToken) as caught:
        check(world).check()
    assert caught.value.origin is origin
