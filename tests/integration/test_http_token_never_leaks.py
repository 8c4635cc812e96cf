"""The token never reaches the wire unsendable, and never shows in an error or a
diagnostic line, even when a foreign exception quotes it.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

import pytest

import reference_server as ref
from nanoctl.adapters.http.failures import classify
from nanoctl.adapters.http.transport import BearerAuth
from nanoctl.domain.api_errors import NotJson
from nanoctl.domain.errors import MalformedToken, NanoctlError
from nanoctl.domain.model import ApiUrl, Token
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.http_helpers import (
    ALL_TOKENS,
    Recorder,
    assert_clean,
    assert_no_token_in,
    fail,
    make,
    token,
)

# --- tokens that must never reach the wire, and foreign errors that quote them -------------


@pytest.mark.parametrize(
    "raw",
    [
        "nano_valid\r\nX-Injected: nano_crlf_Wq3Er5",
        "nano_valid_nön_ascii_Ty7",
        "nano_space Ux4Kd9Lr",
    ],
)
def test_an_unsendable_token_is_refused_before_any_request(
    reference_server: ReferenceServer, recorder: Recorder, raw: str
) -> None:
    smuggled = Token(raw)  # bypasses Token.parse, as a buggy caller might
    error = fail(make(recorder), smuggled, reference_server.url)
    assert isinstance(error, MalformedToken)
    for part in raw.split():
        assert part not in str(error)
        assert part not in str(explain(error))
    assert reference_server.requests == []


def test_a_foreign_error_quoting_the_token_is_reworded() -> None:
    import requests

    secret = "nano_secret_in_header_Kp2Lm4"
    try:
        requests.Request(
            "GET", "http://127.0.0.1/x", headers={"Authorization": f"Bearer {secret}\n"}
        ).prepare()
    except requests.exceptions.InvalidHeader as foreign:
        assert secret in str(foreign)  # the trap: requests quotes the header value
        failure = classify(foreign, "http://127.0.0.1")
    else:  # pragma: no cover
        pytest.fail("requests accepted a header with a newline")
    assert_no_token_in(failure.error, secret)


def test_the_auth_handler_and_the_validator_do_not_show_the_token(recorder: Recorder) -> None:
    auth = BearerAuth(token(ref.VALID))
    assert ref.VALID not in repr(auth)
    assert ref.VALID not in repr(make(recorder))


def test_no_token_leaks_into_any_diagnostic_line_across_all_behaviours(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    reference_server.slow_seconds = 0.1
    reference_server.drip_seconds = 0.2
    reference_server.drip_interval = 0.01
    validator = make(recorder, timeout=2, deadline=3)
    for value in ALL_TOKENS:
        try:
            validator.validate(token(value), ApiUrl.parse(reference_server.url))
        except NanoctlError as error:
            assert_no_token_in(error)
    assert_clean(recorder.lines)


# --- an API that sends the token back ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "want"),
    [
        pytest.param(ref.REFLECT, "[redacted]", id="username is the token"),
        pytest.param(ref.REFLECT_EMAIL, "ci+[redacted]@example.com", id="email holds it"),
    ],
)
def test_a_token_the_api_sends_back_as_the_username_is_redacted(
    reference_server: ReferenceServer, recorder: Recorder, value: str, want: str
) -> None:
    identity = make(recorder).validate(token(value), ApiUrl.parse(reference_server.url))
    assert identity.username == want


def test_a_token_the_api_sends_back_as_the_content_type_is_redacted(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.REFLECT_CONTENT_TYPE, reference_server.url)
    assert isinstance(error, NotJson)
    assert error.content_type == "text/[redacted]"
