"""What each answer of the API means: the identity in a 200 (every alias), the request
sent, the API's refusals (401, 403, inactive, a missing path), and bodies that are not
what the contract says (HTML, wrong types, over 1 MiB, a gzip bomb).
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, timedelta

import pytest

import reference_server as ref
from nanoctl.adapters.http.transport import MAX_BODY
from nanoctl.domain.api_errors import UnexpectedResponse
from nanoctl.domain.errors import ForbiddenToken, InactiveToken, InvalidToken
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.http_helpers import (
    USER_AGENT,
    Recorder,
    assert_clean,
    fail,
    make,
    token,
)

# --- startup ---------------------------------------------------------------------------


def test_importing_the_adapter_does_not_import_requests() -> None:
    code = (
        "import sys, nanoctl.adapters.http.validator\n"
        "loaded = sorted(m for m in ('requests', 'urllib3') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


# --- the happy answers --------------------------------------------------------------------


def test_valid_token_gives_the_username_and_expiry(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    assert identity.username == "ada"
    assert identity.expires_at == reference_server.after(days=30).replace(microsecond=0)
    assert identity.expires_at is not None and identity.expires_at.tzinfo is UTC
    assert len(reference_server.requests) == 1


@pytest.mark.parametrize(
    ("name", "username", "days"),
    [
        ("valid_email", "grace@example.com", 90),
        ("valid_user", "linus", None),
        ("anonymous", None, None),
        ("expiring_soon", "ada", 3),
        ("expired", "ada", -2),
    ],
)
def test_every_seeded_identity_is_read(
    reference_server: ReferenceServer,
    recorder: Recorder,
    name: str,
    username: str | None,
    days: int | None,
) -> None:
    identity = make(recorder).validate(token(ref.TOKENS[name]), ApiUrl.parse(reference_server.url))
    assert identity.username == username
    if days is None:
        assert identity.expires_at is None
    else:
        expected = reference_server.after(days=days).replace(microsecond=0)
        assert identity.expires_at is not None
        assert abs(identity.expires_at - expected) <= timedelta(seconds=1)
    assert_clean(recorder.lines)


def test_the_request_carries_bearer_accept_and_the_user_agent(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    (request,) = reference_server.requests
    assert request.method == "GET"
    assert request.path == "/public/deployment/login"
    assert request.header("Authorization") == f"Bearer {ref.VALID}"
    assert request.header("Accept") == "application/json"
    assert request.header("User-Agent") == USER_AGENT
    assert re.fullmatch(r"nanoctl/\S+ \(python \d+\.\d+; [^;()]+\)", USER_AGENT)


@pytest.mark.parametrize("suffix", ["", "/"])
def test_the_path_prefix_of_the_api_url_is_kept(recorder: Recorder, suffix: str) -> None:
    with ReferenceServer(prefix="/deep/er/prefix") as server:
        identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(server.url + suffix))
        assert identity.username == "ada"
        assert [r.path for r in server.requests] == ["/deep/er/prefix/login"]


def test_diagnostics_show_the_exchange_with_the_token_redacted(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    text = "\n".join(recorder.lines)
    assert f"GET {reference_server.url}/login (attempt 1 of 3)" in text
    assert "Authorization: Bearer [redacted]" in text
    assert re.search(r"< HTTP 200 in \d+ ms", text)
    assert_clean(recorder.lines)


# --- the API says no ---------------------------------------------------------------------


def test_inactive_token_is_reported_inactive(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.INACTIVE, reference_server.url)
    assert isinstance(error, InactiveToken)


def test_unknown_token_is_invalid_and_never_retried(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    unknown = "nano_unknown_Zx9Wv8Ut7"
    error = fail(make(recorder), unknown, reference_server.url)
    assert isinstance(error, InvalidToken)
    assert len(reference_server.requests) == 1
    assert recorder.sleeps == []


def test_forbidden_token_is_forbidden_and_never_retried(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.FORBIDDEN, reference_server.url)
    assert isinstance(error, ForbiddenToken)
    assert len(reference_server.requests) == 1


def test_a_missing_path_is_an_unexpected_response_naming_the_status(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    wrong = reference_server.url.replace("/public/deployment", "/not/the/api")
    error = fail(make(recorder), ref.VALID, wrong)
    assert isinstance(error, UnexpectedResponse)
    assert "HTTP 404" in explain(error).cause


# --- bodies that are not what the contract says --------------------------------------------


def test_html_body_is_an_unexpected_response(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.NOT_JSON, reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert "text/html" in explain(error).cause


def test_wrong_types_are_an_unexpected_response(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.WRONG_TYPES, reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert "'active'" in explain(error).cause


@pytest.mark.parametrize("name", ["huge", "huge_unsized"])
def test_a_2_mib_body_is_refused_past_the_1_mib_cap(
    reference_server: ReferenceServer, recorder: Recorder, name: str
) -> None:
    started = time.monotonic()
    error = fail(make(recorder), ref.TOKENS[name], reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert "larger than 1 MiB" in explain(error).cause
    assert time.monotonic() - started < 5


def test_a_gzip_bomb_is_refused_without_inflating_it(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    ref.gzip_bomb()  # build the bomb on the server side before measuring
    validator = make(recorder)
    tracemalloc.start()
    try:
        error = fail(validator, ref.GZIP_BOMB, reference_server.url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, UnexpectedResponse)
    assert "larger than 1 MiB" in explain(error).cause
    # 64 MiB if it had been inflated; the cap keeps it near 1 MiB (plus a chunk).
    assert peak < 16 * 1024 * 1024


def test_the_body_cap_is_configurable(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    assert MAX_BODY == 1024 * 1024
    error = fail(make(recorder, max_body=10), ref.VALID, reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert "larger than 10 bytes" in explain(error).cause
