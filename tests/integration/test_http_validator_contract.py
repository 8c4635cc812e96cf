"""RequestsTokenValidator honours the TokenValidator contract against the reference API."""

from __future__ import annotations

import pytest

from nanoctl.adapters.http.retries import RetryPolicy
from nanoctl.adapters.http.sending_rules import SendingRules
from nanoctl.adapters.http.transport import HttpLimits
from nanoctl.adapters.http.validator import RequestsTokenValidator
from nanoctl.domain.model import ApiUrl
from reference_server import ReferenceServer
from tests.contracts.token_validator import Subject, TokenValidatorContract


class TestRequestsTokenValidatorContract(TokenValidatorContract):
    @pytest.fixture
    def subject(self, reference_server: ReferenceServer) -> Subject:
        validator = RequestsTokenValidator(
            SendingRules(
                "nanoctl-contract",
                limits=HttpLimits(timeout=5.0, deadline=10.0),
                retries=RetryPolicy(sleep=lambda seconds: None),
            )
        )
        return Subject(validator, ApiUrl.parse(reference_server.url), reference_server.started_at)
