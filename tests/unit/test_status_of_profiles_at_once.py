"""`status --all` asks the APIs at once (#19 point 6), against fakes: a validator that
answers only once every profile's request has arrived proves it (asked one after the other,
the first would wait forever, so the barrier breaks and the test fails), and a profile whose
API is down keeps what is known of it."""

from __future__ import annotations

import threading

import pytest

from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.model import ApiUrl, Identity, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.status import StatusOfProfiles, at_once
from tests.fakes import FakeClock, FakeProfiles, FakeSecretStore, FakeTokenSource
from tests.unit.builders import ADA, API, OTHER_API, credential


class TogetherValidator:
    """Answers each token only when ``parties`` requests are waiting at the same time."""

    def __init__(self, parties: int, answers: dict[str, Identity | Exception]) -> None:
        self._barrier = threading.Barrier(parties, timeout=10)
        self._answers = answers

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        self._barrier.wait()  # BrokenBarrierError if the others never come
        answer = self._answers[token.reveal()]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_every_profiles_api_is_asked_at_the_same_time() -> None:
    profiles = FakeProfiles(
        {
            "default": FakeSecretStore(credential("default-token-01", api=API)),
            "dev": FakeSecretStore(credential("dev-token-0001", api=OTHER_API)),
            "qa": FakeSecretStore(credential("qa-token-00001", api=OTHER_API)),
        }
    )
    down = ApiUnreachable(OTHER_API.value, "timed_out")
    validator = TogetherValidator(
        3, {"default-token-01": ADA, "dev-token-0001": down, "qa-token-00001": ADA}
    )

    result = StatusOfProfiles(
        profiles, validator, FakeClock(), FakeTokenSource(TokenOrigin.ENVIRONMENT)
    ).check()

    default, dev, qa = result.profiles
    assert [p.profile.value for p in result.profiles] == ["default", "dev", "qa"]
    assert default.error is qa.error is None
    assert dev.error is down
    assert dev.report is not None  # what is known offline is kept
    assert (dev.report.identity, dev.report.location, dev.report.validated) == (
        ADA,
        "/fake/credentials",
        False,
    )


def test_at_once_keeps_the_order_and_passes_a_failure_on() -> None:
    assert at_once([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]

    def fails() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        at_once([lambda: 1, fails])
