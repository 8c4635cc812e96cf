"""Redirects are never followed (they could carry the token elsewhere) and their body is
never read; the target is shown without its query, credentials or the token.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import reference_server as ref
from nanoctl.domain.api_errors import UnexpectedResponse
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.http_helpers import (
    Recorder,
    fail,
    make,
)

# --- redirects -------------------------------------------------------------------------


def test_redirect_to_another_host_is_not_followed(
    reference_server: ReferenceServer, other_host_server: ReferenceServer, recorder: Recorder
) -> None:
    reference_server.redirect_target = f"{other_host_server.url}/login"
    error = fail(make(recorder), ref.REDIRECT, reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert f"redirect to {other_host_server.url}/login" in explain(error).cause
    assert other_host_server.requests == []  # the token never went there
    assert len(reference_server.requests) == 1


def test_default_redirect_target_on_127_0_0_2_is_not_followed(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.REDIRECT, reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert (
        f"http://127.0.0.2:{reference_server.port}/public/deployment/login" in explain(error).cause
    )


def test_redirect_location_is_shown_without_query_or_token(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    reference_server.redirect_target = (
        f"https://user:pw@evil.example/{ref.REDIRECT}/x?token={ref.REDIRECT}#frag"
    )
    error = fail(make(recorder), ref.REDIRECT, reference_server.url)
    assert "https://evil.example/[redacted]/x" in explain(error).cause
    assert "user" not in explain(error).cause and "pw@" not in explain(error).cause


def test_a_redirect_carrying_a_gzip_bomb_is_reported_without_reading_its_body(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    # requests reads the whole body of a 3xx even with allow_redirects=False.
    ref.gzip_bomb()
    validator = make(recorder)
    tracemalloc.start()
    try:
        error = fail(validator, ref.REDIRECT_BOMB, reference_server.url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, UnexpectedResponse)
    assert "HTTP 302 redirect to http://127.0.0.2:" in explain(error).cause
    assert peak < 16 * 1024 * 1024


def test_https_to_http_redirect_is_not_followed(
    tls_reference_server: ReferenceServer,
    reference_server: ReferenceServer,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    tls_reference_server.redirect_target = f"{reference_server.url}/login"
    error = fail(make(recorder), ref.REDIRECT, tls_reference_server.url)
    assert isinstance(error, UnexpectedResponse)
    assert f"redirect to {reference_server.url}/login" in explain(error).cause
    assert reference_server.requests == []
