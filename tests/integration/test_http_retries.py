"""Retries: Retry-After honoured up to its cap, a flaky 503 retried, persistent failures
retried with growing backoff up to max_attempts, a 500 never retried.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import reference_server as ref
from nanoctl.adapters.http.retries import retry_after_seconds
from nanoctl.domain.api_errors import RateLimited, ServerError
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.http_helpers import (
    Recorder,
    assert_clean,
    fail,
    make,
    token,
)

# --- rate limits, server errors and retries -----------------------------------------------


def test_retry_after_of_one_second_is_honoured_then_rate_limited(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.RATE_LIMITED, reference_server.url)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 1
    assert recorder.sleeps == [1.0, 1.0]
    assert len(reference_server.requests) == 3
    assert sum("Retrying in 1.0 s" in line for line in recorder.lines) == 2


def test_retry_after_of_an_hour_fails_at_once_with_a_hint(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    error = fail(make(recorder), ref.RATE_LIMITED_LONG, reference_server.url)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 3600
    assert "Try again in 1 h" in explain(error).next_step
    assert recorder.sleeps == []
    assert len(reference_server.requests) == 1  # urllib3 did not wait and retry either
    assert time.monotonic() - started < 5


def test_retry_after_longer_than_the_deadline_is_not_slept(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder, deadline=0.8), ref.RATE_LIMITED, reference_server.url)
    assert isinstance(error, RateLimited)
    assert recorder.sleeps == []
    assert len(reference_server.requests) == 1


def test_retry_after_is_honoured_for_real_with_the_default_sleep(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    validator = make(recorder, sleep=time.sleep, max_attempts=2)
    error = fail(validator, ref.RATE_LIMITED, reference_server.url)
    assert isinstance(error, RateLimited)
    assert 0.9 <= time.monotonic() - started < 8
    assert len(reference_server.requests) == 2


def test_flaky_503_succeeds_on_the_second_attempt(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    identity = make(recorder).validate(token(ref.FLAKY), ApiUrl.parse(reference_server.url))
    assert identity.username == "ada"
    assert len(reference_server.requests) == 2
    assert len(recorder.sleeps) == 1
    assert any(line.startswith("info:") and "HTTP 503" in line for line in recorder.lines)
    assert "attempt 2 of 3" in "\n".join(recorder.lines)
    assert_clean(recorder.lines)


def test_persistent_503_is_retried_with_growing_backoff_then_a_server_error(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.UNAVAILABLE, reference_server.url)
    assert isinstance(error, ServerError)
    assert error.status == 503
    assert len(reference_server.requests) == 3
    assert len(recorder.sleeps) == 2
    assert recorder.sleeps[0] < recorder.sleeps[1]


def test_max_attempts_bounds_the_requests(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    fail(make(recorder, max_attempts=1), ref.UNAVAILABLE, reference_server.url)
    assert len(reference_server.requests) == 1


def test_500_is_a_server_error_and_not_retried(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.SERVER_ERROR, reference_server.url)
    assert isinstance(error, ServerError)
    assert error.status == 500
    assert len(reference_server.requests) == 1


def test_retry_after_as_an_http_date() -> None:
    soon = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= (retry_after_seconds(format_datetime(soon, usegmt=True)) or 0) <= 31
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
