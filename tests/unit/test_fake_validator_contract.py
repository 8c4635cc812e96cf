"""The in-memory fake honours the same TokenValidator contract as the HTTP validator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nanoctl.domain.model import ApiUrl
from tests.contracts.token_validator import Subject, TokenValidatorContract, catalogue
from tests.fakes import FakeTokenValidator

START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
API = ApiUrl.parse("https://api.example.test/public/deployment")


class TestFakeTokenValidatorContract(TokenValidatorContract):
    @pytest.fixture
    def subject(self) -> Subject:
        return Subject(FakeTokenValidator(catalogue(START, API)), API, START)
