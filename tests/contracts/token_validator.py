"""Reusable contract of ``nanoctl.domain.ports.TokenValidator``: every implementation, fake
or real, must pass it. Subclass ``TokenValidatorContract`` in a ``Test*`` class and provide
a ``subject`` fixture: a validator whose API answers the reference server's seeded tokens
(tools/reference_server.py) as that server does, relative to ``start``.

``catalogue()`` is that behaviour as a FakeTokenValidator table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import reference_server as ref
from nanoctl.domain.api_errors import ApiUnavailable, ServerError
from nanoctl.domain.errors import ForbiddenToken, InactiveToken, InvalidToken, NanoctlError
from nanoctl.domain.model import ApiUrl, Identity, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import TokenValidator
from nanoctl.entrypoints.words.errors import explain
from tests import leaks

UNKNOWN = "nano_contract_unknown_Hq4Zt8"  # well-formed; no API has heard of it
leaks.register(UNKNOWN)


class Subject:
    """A validator under contract, the API it asks, and the moment the API's answers are
    relative to ("expires in 30 days" is ``start`` + 30 days, to the second)."""

    def __init__(self, validator: TokenValidator, api_url: ApiUrl, start: datetime) -> None:
        self.validator = validator
        self.api_url = api_url
        self.start = start

    def at(self, days: float) -> datetime:
        return after(self.start, days)

    def validate(self, value: str) -> Identity:
        return self.validator.validate(Token.parse(value, TokenOrigin.FLAG), self.api_url)


def after(start: datetime, days: float) -> datetime:
    """``days`` after ``start``, to the second, as the API writes an expiry."""
    return (start + timedelta(days=days)).replace(microsecond=0)


def catalogue(start: datetime, api_url: ApiUrl) -> dict[str, Identity | Exception]:
    """What the reference server answers for the tokens the contract uses."""
    return {
        ref.VALID: Identity("ada", after(start, 30)),
        ref.ANONYMOUS: Identity(),
        ref.EXPIRED: Identity("ada", after(start, -2)),
        ref.INACTIVE: InactiveToken(),
        ref.FORBIDDEN: ForbiddenToken(),
        ref.SERVER_ERROR: ServerError(api_url.value, 500),
    }


class TokenValidatorContract:
    """What use cases rely on: an identity for a good token, the API's refusal as a
    TokenRejected, its failure as an ApiUnavailable, and never the token in an error."""

    @pytest.fixture
    def subject(self) -> Subject:
        raise NotImplementedError("subclasses provide a validator and its API")

    def test_a_valid_token_gives_its_user_and_expiry(self, subject: Subject) -> None:
        identity = subject.validate(ref.VALID)
        assert identity == Identity("ada", subject.at(30))
        assert identity.expires_at is not None
        assert identity.expires_at.utcoffset() == timedelta(0)

    def test_a_token_the_api_says_nothing_about_is_valid_with_both_unknown(
        self, subject: Subject
    ) -> None:
        assert subject.validate(ref.ANONYMOUS) == Identity(None, None)

    def test_a_past_expiry_is_reported_not_judged(self, subject: Subject) -> None:
        """Whether an expired token may be used is the use case's decision."""
        assert subject.validate(ref.EXPIRED) == Identity("ada", subject.at(-2))

    @pytest.mark.parametrize(
        ("value", "rejection"),
        [
            pytest.param(UNKNOWN, InvalidToken, id="unknown"),
            pytest.param(ref.INACTIVE, InactiveToken, id="inactive"),
            pytest.param(ref.FORBIDDEN, ForbiddenToken, id="forbidden"),
        ],
    )
    def test_a_refused_token_is_rejected_as_the_api_said(
        self, subject: Subject, value: str, rejection: type[NanoctlError]
    ) -> None:
        with pytest.raises(rejection):
            subject.validate(value)

    def test_a_failing_api_is_unavailable_and_named_by_its_url(self, subject: Subject) -> None:
        with pytest.raises(ApiUnavailable) as caught:
            subject.validate(ref.SERVER_ERROR)
        assert isinstance(caught.value, ServerError)
        assert caught.value.status == 500
        assert caught.value.url == subject.api_url.value

    @pytest.mark.parametrize("value", [UNKNOWN, ref.INACTIVE, ref.FORBIDDEN, ref.SERVER_ERROR])
    def test_no_error_carries_the_token(self, subject: Subject, value: str) -> None:
        with pytest.raises(NanoctlError) as caught:
            subject.validate(value)
        for text in (str(caught.value), repr(caught.value), str(explain(caught.value))):
            assert value not in text

    def test_each_answer_is_for_the_token_asked(self, subject: Subject) -> None:
        first = subject.validate(ref.VALID)
        with pytest.raises(InvalidToken):
            subject.validate(UNKNOWN)
        assert subject.validate(ref.VALID) == first
