"""Authenticate against fakes: precedence, what gets stored, what is left untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.errors import (
    Cancelled,
    ExpiredToken,
    InvalidToken,
    MalformedToken,
    NoTokenAvailable,
)
from nanoctl.domain.model import ApiUrl, Identity
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.replacing import Replaced
from nanoctl.domain.selection_errors import ProfileInUse
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import FakeReplaceConfirmation, FakeTokenSource, FakeTokenValidator
from tests.unit.builders import ADA, API, NOW, OTHER_API, World, credential


def world_with(**sources: str) -> World:
    world = World(
        validator=FakeTokenValidator(
            {"flag-token": ADA, "env-token": Identity("eve"), "typed-token": ADA}
        )
    )
    for name, value in sources.items():
        origin = {
            "flag": TokenOrigin.FLAG,
            "env": TokenOrigin.ENVIRONMENT,
            "prompt": TokenOrigin.PROMPT,
        }[name]
        setattr(world, name, FakeTokenSource(origin, value))
    return world


@pytest.mark.parametrize(
    ("sources", "want_origin", "want_token"),
    [
        pytest.param(
            {"flag": "flag-token", "env": "env-token", "prompt": "typed-token"},
            TokenOrigin.FLAG,
            "flag-token",
            id="flag beats env and prompt",
        ),
        pytest.param(
            {"env": "env-token", "prompt": "typed-token"},
            TokenOrigin.ENVIRONMENT,
            "env-token",
            id="env beats prompt",
        ),
        pytest.param({"prompt": "typed-token"}, TokenOrigin.PROMPT, "typed-token", id="prompt"),
    ],
)
def test_token_precedence(
    sources: dict[str, str], want_origin: TokenOrigin, want_token: str
) -> None:
    world = world_with(**sources)
    result = world.authenticate().login()
    assert result.origin is want_origin
    assert world.validator.seen == [(want_token, API.value)]


@pytest.mark.parametrize("source", ["flag", "env"])
def test_flag_and_env_tokens_are_never_stored_nor_read_from_the_store(source: str) -> None:
    world = world_with(**{source: f"{source}-token"})
    world.store.load_error = StorageError("broken store")  # must not matter
    result = world.authenticate().login()
    assert result.stored is False
    assert world.store.saves == 0
    assert world.prompt.reads == 0


def test_prompted_token_is_stored_with_identity_api_and_time() -> None:
    world = world_with(prompt="typed-token")
    result = world.authenticate().login()
    assert result.stored is True
    assert result.identity == ADA
    stored = world.store.credential
    assert stored is not None
    assert stored.token.reveal() == "typed-token"
    assert stored.api_url == API
    assert stored.identity == ADA
    assert stored.saved_at == NOW


@pytest.mark.parametrize(
    "error",
    [InvalidToken(), ApiUnreachable("https://x", "refused"), Cancelled()],
    ids=["invalid", "network", "cancelled"],
)
def test_failed_interactive_login_leaves_stored_credential_untouched(error: Exception) -> None:
    world = world_with(prompt="typed-token")
    old = credential(api=OTHER_API)
    world.store.credential = old
    world.confirmation = FakeReplaceConfirmation(True)  # the user said yes: then it failed
    if isinstance(error, Cancelled):
        world.prompt.error = error
    else:
        world.validator = FakeTokenValidator({"typed-token": error})
    with pytest.raises(type(error)):
        world.authenticate().login()
    assert world.store.credential is old
    assert world.store.saves == 0


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "two\nlines", "tab\tinside", "nul\x00", "caf\u00e9", "x" * 4097, "cr\rlf"],
    ids=["empty", "spaces", "newline", "tab", "nul", "non-ascii", "too-long", "cr"],
)
@pytest.mark.parametrize("source", ["flag", "env", "prompt"])
def test_malformed_tokens_never_reach_the_validator(raw: str, source: str) -> None:
    world = world_with(**{source: raw})
    with pytest.raises(MalformedToken) as caught:
        world.authenticate().login()
    assert world.validator.seen == []
    assert world.store.saves == 0
    if raw.strip():
        assert raw.strip() not in str(caught.value)
        assert raw.strip() not in str(explain(caught.value))


def test_surrounding_whitespace_is_trimmed() -> None:
    world = world_with(flag="  flag-token\n")
    world.authenticate().login()
    assert world.validator.seen == [("flag-token", API.value)]


def test_no_terminal_and_no_token_fails_before_any_request() -> None:
    world = world_with()
    world.prompt.error = NoTokenAvailable(ci=False)
    with pytest.raises(NoTokenAvailable):
        world.authenticate().login()
    assert world.validator.seen == []


def test_token_past_its_expiry_is_rejected_even_if_the_api_says_active() -> None:
    world = world_with(prompt="typed-token")
    world.validator = FakeTokenValidator({"typed-token": Identity("ada", NOW - timedelta(days=1))})
    with pytest.raises(ExpiredToken):
        world.authenticate().login()
    assert world.store.credential is None


def test_already_logged_in_and_declined_keeps_the_credential_without_prompting() -> None:
    world = world_with(prompt="typed-token")
    old = credential()
    world.store.credential = old
    result = world.authenticate().login()
    assert result.kept is True
    assert result.identity == ADA
    assert world.confirmation.asked == [old]
    assert world.prompt.reads == 0
    assert world.store.credential is old


def test_already_logged_in_and_accepted_replaces_the_credential() -> None:
    world = world_with(prompt="typed-token")
    world.store.credential = credential()
    world.confirmation = FakeReplaceConfirmation(True)
    result = world.authenticate().login()
    assert result.stored is True
    assert world.store.credential is not None
    assert world.store.credential.token.reveal() == "typed-token"


def test_an_expired_stored_credential_is_replaced_without_asking_and_the_result_says_so() -> None:
    world = world_with(prompt="typed-token")
    world.store.credential = credential(identity=Identity("ada", NOW - timedelta(days=1)))
    result = world.authenticate().login()
    assert world.confirmation.asked == []
    assert world.store.saves == 1
    assert result.replaced == Replaced("ada", API, expired=True)


# --- nothing stored is replaced without an explicit yes (#19 point 1) ------------------------


@pytest.mark.parametrize("api", [API, OTHER_API], ids=["same API", "another API"])
def test_a_usable_credential_for_any_api_is_replaced_only_on_a_yes(api: ApiUrl) -> None:
    old = credential(api=api)
    declined = world_with(prompt="typed-token")
    declined.store.credential = old
    accepted = world_with(prompt="typed-token")
    accepted.store.credential = old
    accepted.confirmation = FakeReplaceConfirmation(True)

    kept = declined.authenticate().login()
    replaced = accepted.authenticate().login()

    assert declined.confirmation.asked == accepted.confirmation.asked == [old]
    assert (kept.kept, kept.api_url, declined.store.credential) == (True, api, old)
    assert (declined.store.saves, declined.prompt.reads) == (0, 0)
    assert replaced.stored is True
    assert replaced.replaced == Replaced("ada", api, expired=False)
    assert accepted.store.credential is not None
    assert accepted.store.credential.api_url == API


def test_without_anyone_to_ask_one_for_another_api_is_never_replaced() -> None:
    """-n, no terminal, the Python API: the stored credential stays, and the login says why."""
    world = world_with(prompt="typed-token")
    old = credential(api=OTHER_API)
    world.store.credential = old
    world.confirmation = FakeReplaceConfirmation(True, can_ask=False)
    with pytest.raises(ProfileInUse) as caught:
        world.authenticate().login()
    assert world.store.credential is old
    assert (world.store.saves, world.prompt.reads, world.validator.seen) == (0, 0, [])
    assert (caught.value.profile, caught.value.stored_url, caught.value.api_url) == (
        "default",
        OTHER_API.value,
        API.value,
    )
    assert caught.value.kind == "profile_in_use"


def test_without_anyone_to_ask_one_for_the_same_api_is_kept_as_before() -> None:
    world = world_with(prompt="typed-token")
    old = credential()
    world.store.credential = old
    world.confirmation = FakeReplaceConfirmation(True, can_ask=False)
    result = world.authenticate().login()
    assert result.kept is True
    assert world.store.credential is old


def test_unreadable_store_is_reported_before_prompting_and_never_overwritten() -> None:
    world = world_with(prompt="typed-token")
    world.store.load_error = StorageError("corrupted")
    with pytest.raises(StorageError):
        world.authenticate().login()
    assert world.prompt.reads == 0
    assert world.store.saves == 0


def test_failed_save_is_reported_as_a_storage_error() -> None:
    world = world_with(prompt="typed-token")
    world.store.save_error = StorageError("disk full")
    with pytest.raises(StorageError):
        world.authenticate().login()


@pytest.mark.parametrize(
    ("sources", "want_origin"),
    [
        pytest.param({"flag": "bad-token-0001"}, TokenOrigin.FLAG, id="flag"),
        pytest.param({"env": "bad-token-0001"}, TokenOrigin.ENVIRONMENT, id="env"),
        pytest.param({"prompt": "bad-token-0001"}, TokenOrigin.PROMPT, id="prompt"),
    ],
)
def test_a_rejection_names_the_source_of_the_rejected_token(
    sources: dict[str, str], want_origin: TokenOrigin
) -> None:
    with pytest.raises(InvalidToken) as caught:
        world_with(**sources).authenticate().login()
    assert caught.value.origin is want_origin


def test_an_expired_token_names_its_source_too() -> None:
    world = world_with(env="old-token-0001")
    world.validator = FakeTokenValidator({"old-token-0001": Identity("ada", NOW - timedelta(1))})
    with pytest.raises(ExpiredToken) as caught:
        world.authenticate().login()
    assert caught.value.origin is TokenOrigin.ENVIRONMENT
