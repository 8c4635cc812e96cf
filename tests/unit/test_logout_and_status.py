"""Logout and Status against fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.errors import (
    CredentialForOtherApi,
    ExpiredToken,
    InactiveToken,
    InvalidToken,
    NotLoggedIn,
)
from nanoctl.domain.model import Expiry, Identity
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.words import expiry
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import FakeTokenSource, FakeTokenValidator
from tests.unit.builders import ADA, API, NOW, OTHER_API, World, credential


def test_logout_removes_the_stored_credential() -> None:
    world = World()
    world.store.credential = credential()
    result = world.logout().logout()
    assert result.removed is True
    assert world.store.credential is None
    assert result.environment_token_set is False


def test_logout_with_nothing_stored_is_not_an_error() -> None:
    result = World().logout().logout()
    assert result.removed is False


def test_logout_clears_a_corrupted_store() -> None:
    world = World()
    world.store.load_error = StorageError("corrupted")
    assert world.logout().logout().removed is True
    assert world.store.load() is None


@pytest.mark.parametrize("value", ["env-token", "bad token with spaces"])
def test_logout_reports_that_the_environment_token_still_authenticates(value: str) -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, value))
    assert world.logout().logout().environment_token_set is True


def test_status_of_stored_credential_is_validated_online() -> None:
    world = World(validator=FakeTokenValidator({"stored-token-0001": ADA}))
    world.store.credential = credential(identity=Identity("ada"))
    report = world.status().check()
    assert report.origin is TokenOrigin.STORED
    assert report.identity == ADA  # fresh expiry from the API
    assert report.validated is True
    assert report.location == "/fake/credentials"
    assert report.expiry.days_left == 30
    assert "stored-token-0001" not in report.token_hint
    assert report.token_hint.endswith("0001")


def test_environment_token_wins_over_the_stored_one_and_skips_the_store() -> None:
    world = World(
        env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token"),
        validator=FakeTokenValidator({"env-token": Identity("eve")}),
    )
    world.store.load_error = StorageError("broken")
    report = world.status().check()
    assert report.origin is TokenOrigin.ENVIRONMENT
    assert report.identity.username == "eve"
    assert report.location is None


def test_status_offline_makes_no_request() -> None:
    world = World()
    world.store.credential = credential()
    report = world.status().check(offline=True)
    assert report.validated is False
    assert report.identity == ADA
    assert world.validator.seen == []


def test_status_without_credential_is_not_logged_in() -> None:
    with pytest.raises(NotLoggedIn):
        World().status().check()


def test_expired_stored_credential_is_reported_without_a_request() -> None:
    world = World()
    world.store.credential = credential(identity=Identity("ada", NOW - timedelta(seconds=1)))
    report = world.status().check()
    assert isinstance(report.problem, ExpiredToken)
    assert "ada" in str(explain(report.problem))
    assert world.validator.seen == []
    # what was known offline is kept (#19): the user, where it is stored
    assert (report.identity.username, report.location, report.validated) == (
        "ada",
        "/fake/credentials",
        False,
    )


def test_credential_for_another_api_is_never_sent_there() -> None:
    world = World()
    world.store.credential = credential(api=OTHER_API)
    with pytest.raises(CredentialForOtherApi) as caught:
        world.status().check()
    assert OTHER_API.value in str(explain(caught.value))
    assert API.value in str(explain(caught.value))
    assert world.validator.seen == []


@pytest.mark.parametrize(
    "answer", [InactiveToken(), ApiUnreachable("https://x", "timed_out")], ids=["inactive", "down"]
)
def test_status_passes_on_what_the_api_said(answer: Exception) -> None:
    world = World(validator=FakeTokenValidator({"stored-token-0001": answer}))
    world.store.credential = credential()
    report = world.status().check()
    assert report.problem is answer
    # the stored facts stay (#19 point 7): a script must not send the user to log in
    assert (report.identity, report.origin, report.location) == (
        ADA,
        TokenOrigin.STORED,
        "/fake/credentials",
    )
    assert report.validated is False


def test_storage_error_surfaces_from_status() -> None:
    world = World()
    world.store.load_error = StorageError("unreadable")
    with pytest.raises(StorageError):
        world.status().check()


@pytest.mark.parametrize(
    ("delta", "soon", "text"),
    [
        (timedelta(days=30), False, "2026-12-28 (in 30 days)"),
        (timedelta(days=3), True, "2026-12-01 (in 3 days)"),
        (timedelta(hours=5), True, "2026-11-28 (in 5 hours)"),
        (timedelta(days=1), True, "2026-11-29 (in 1 day)"),
    ],
)
def test_expiry_arithmetic_with_a_fake_clock(delta: timedelta, soon: bool, text: str) -> None:
    world = World()
    world.store.credential = credential(identity=Identity("ada", NOW + delta))
    report = world.status().check(offline=True)
    assert report.expiry.soon is soon
    assert expiry(report.expiry) == text
    assert report.expiry.expired is False


def test_expiry_description_of_past_and_unknown() -> None:
    assert expiry(Expiry(NOW - timedelta(days=2), NOW)) == "expired on 2026-11-26"
    assert expiry(Expiry(None, NOW)) == "expiry unknown"
    assert Expiry(NOW, NOW).expired is True


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_status_with_the_environment_token_names_a_stored_credential_it_shadows(
    offline: bool,
) -> None:
    world = World(
        env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token"),
        validator=FakeTokenValidator({"env-token": Identity("eve")}),
    )
    world.store.credential = credential()
    report = world.status().check(offline=offline)
    assert report.shadowed == world.store.location


def test_status_of_the_stored_credential_shadows_nothing() -> None:
    world = World(validator=FakeTokenValidator({"stored-token-0001": ADA}))
    world.store.credential = credential()
    assert world.status().check().shadowed is None


@pytest.mark.parametrize(
    ("env", "want_origin"),
    [("env-token", TokenOrigin.ENVIRONMENT), (None, TokenOrigin.STORED)],
    ids=["environment", "stored"],
)
def test_a_rejection_in_status_names_the_source_of_the_token(
    env: str | None, want_origin: TokenOrigin
) -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, env))
    world.store.credential = credential()
    problem = world.status().check().problem
    assert isinstance(problem, InvalidToken)
    assert problem.origin is want_origin


def test_an_expired_stored_credential_is_named_as_the_stored_one() -> None:
    world = World()
    world.store.credential = credential(identity=Identity("ada", NOW - timedelta(days=1)))
    problem = world.status().check(offline=True).problem
    assert isinstance(problem, ExpiredToken)
    assert problem.origin is TokenOrigin.STORED
