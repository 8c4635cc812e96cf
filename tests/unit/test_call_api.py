"""`nanoctl api`'s use case against fakes (#24): the request checked before the credential is
read, the credential found as every command finds it, and what each status means."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nanoctl.domain.api_errors import RateLimited, RedirectNotFollowed, ServerError
from nanoctl.domain.api_request import ApiRequest
from nanoctl.domain.call_api import CallApi
from nanoctl.domain.current_credential import ResolveCredential
from nanoctl.domain.errors import (
    CredentialForOtherApi,
    ExpiredToken,
    ForbiddenToken,
    InvalidToken,
    NotLoggedIn,
)
from nanoctl.domain.model import Identity
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.request_errors import ForbiddenRequest, UnsuccessfulStatus, UrlOutsideApi
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from tests.fakes import CountingStore, FakeApiAnswer, FakeApiClient, FakeTokenSource
from tests.unit.builders import API, NOW, OTHER_API, World, credential, selection


def call_api(world: World, client: FakeApiClient) -> CallApi:
    chosen = selection(world.api)
    return CallApi(ResolveCredential(world.env, world.store, world.clock, chosen), client, chosen)


def test_the_stored_credential_goes_to_the_path_under_the_api_url() -> None:
    world, client = World(), FakeApiClient()
    world.store.credential = credential()

    call = call_api(world, client).call(ApiRequest.parse("/deploy-status/web"))

    ((_, url, sent),) = client.sent
    assert url == f"{API.value}/deploy-status/web"
    assert sent.token.reveal() == "stored-token-0001"
    assert (call.origin, call.token.reveal(), call.failure()) == (
        TokenOrigin.STORED,
        "stored-token-0001",
        None,
    )


def test_the_environments_token_beats_the_stored_one() -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-0001"))
    world.store.credential = credential()
    client = FakeApiClient()

    call = call_api(world, client).call(ApiRequest.parse("/login"))

    assert call.origin is TokenOrigin.ENVIRONMENT
    assert [sent.token.reveal() for _, _, sent in client.sent] == ["env-token-0001"]


def test_a_url_outside_the_api_is_refused_before_the_credential_is_read() -> None:
    world, client = World(store=CountingStore(credential())), FakeApiClient()

    with pytest.raises(UrlOutsideApi):
        call_api(world, client).call(ApiRequest.parse("https://elsewhere.test/base/x"))

    assert client.sent == []
    assert isinstance(world.store, CountingStore)
    assert world.store.loads == 0


@pytest.mark.parametrize(
    ("stored", "error"),
    [
        pytest.param(None, NotLoggedIn, id="nothing stored"),
        pytest.param(credential(api=OTHER_API), CredentialForOtherApi, id="another API's"),
        pytest.param(
            credential(identity=Identity("ada", NOW - timedelta(days=1))),
            ExpiredToken,
            id="expired",
        ),
    ],
)
def test_nothing_is_sent_without_a_credential_for_this_api(stored: object, error: type) -> None:
    world, client = World(), FakeApiClient()
    world.store.credential = stored  # type: ignore[assignment]

    with pytest.raises(error):
        call_api(world, client).call(ApiRequest.parse("/login"))

    assert client.sent == []


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (200, None, 0),
        (201, None, 0),
        (204, None, 0),
        (304, None, 0),  # not modified: the answer to a conditional request
        (302, RedirectNotFollowed, 4),
        (401, InvalidToken, 3),
        (403, ForbiddenRequest, 3),
        (429, RateLimited, 4),
        (500, ServerError, 4),
        (503, ServerError, 4),
        (400, UnsuccessfulStatus, 1),
        (404, UnsuccessfulStatus, 1),
        (409, UnsuccessfulStatus, 1),
        (418, UnsuccessfulStatus, 1),
    ],
)
def test_each_status_ends_the_run_as_the_issue_says(
    status: int, error: type | None, code: int
) -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-0001"))
    answer = FakeApiAnswer(status, (("Location", "https://elsewhere.test/x?token=t"),))
    call = call_api(world, FakeApiClient(answer)).call(ApiRequest.parse("/deploy-status/x?a=b"))

    failure = call.failure()

    if error is None:
        assert failure is None
        return
    assert type(failure) is error
    assert failure is not None
    assert exit_code_of(failure) == code
    if isinstance(failure, ForbiddenToken):
        assert failure.origin is TokenOrigin.ENVIRONMENT
    if isinstance(failure, InvalidToken):
        assert failure.origin is TokenOrigin.ENVIRONMENT
    if isinstance(failure, UnsuccessfulStatus):
        assert (failure.status, failure.method, failure.path) == (
            status,
            "GET",
            "/deploy-status/x?***",
        )


def test_a_redirect_names_only_where_it_points() -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-0001"))
    answer = FakeApiAnswer(302, (("Location", "http://127.0.0.2:8080/p/echo?token=secret"),))
    failure = call_api(world, FakeApiClient(answer)).call(ApiRequest.parse("/x")).failure()
    assert isinstance(failure, RedirectNotFollowed)
    assert (failure.target, failure.url) == ("http://127.0.0.2:8080", API.value)
    assert "secret" not in repr(failure)


def test_a_rate_limit_keeps_its_retry_after() -> None:
    world = World(env=FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-0001"))
    answer = FakeApiAnswer(429, retry_after=3600.0)
    failure = call_api(world, FakeApiClient(answer)).call(ApiRequest.parse("/x")).failure()
    assert isinstance(failure, RateLimited)
    assert failure.retry_after == 3600.0
