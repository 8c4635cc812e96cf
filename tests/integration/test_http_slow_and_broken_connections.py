"""Slow, dripping and broken connections: the read timeout, the total deadline (even for
headers dripped byte by byte), a reset mid-body, a refused port, an unknown host.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

import time

import reference_server as ref
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.cli_harness import run_nanoctl, url_env
from tests.integration.http_helpers import (
    Recorder,
    fail,
    free_port,
    make,
    token,
)

# --- slow, dripping and broken connections ---------------------------------------------------


def test_slow_server_times_out_after_the_read_timeout(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    error = fail(make(recorder, timeout=0.3, max_attempts=1), ref.SLOW, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    # #23: reached, but too slow; not "Could not reach the API … timed out"
    assert explain(error).cause == (
        f"The API at {reference_server.url} was reached but did not answer within 0.3 s."
    )
    assert time.monotonic() - started < 4


def test_slow_server_is_cut_by_the_deadline_even_with_a_long_timeout(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    error = fail(make(recorder, timeout=30, deadline=0.5), ref.SLOW, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "within 0.5 s." in explain(error).cause
    assert "Could not reach" not in explain(error).cause
    assert time.monotonic() - started < 4


def test_slow_drip_is_cut_off_by_the_total_deadline(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    # One byte every 0.4 s never trips a read timeout; only the deadline stops it.
    started = time.monotonic()
    error = fail(make(recorder, timeout=5, deadline=1.5), ref.DRIP, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert explain(error).cause == (
        f"The API at {reference_server.url} did not finish answering within 1.5 s."
    )
    assert time.monotonic() - started < 8


def test_headers_dripped_byte_by_byte_are_cut_off_by_the_total_deadline(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    # While requests reads the headers none of our code runs: the watchdog has to cut it.
    started = time.monotonic()
    error = fail(make(recorder, timeout=5, deadline=1.5), ref.DRIP_HEADERS, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert explain(error).cause == (
        f"The API at {reference_server.url} did not finish answering within 1.5 s."
    )
    assert time.monotonic() - started < 8


def test_the_deadline_watchdog_does_not_disturb_a_fast_answer(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    validator = make(recorder, deadline=0.3)
    for _ in range(3):
        identity = validator.validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
        assert identity.username == "ada"
    time.sleep(0.4)  # the watchdogs' timers have expired or been cancelled: nothing breaks
    assert validator.validate(token(ref.VALID), ApiUrl.parse(reference_server.url))


def test_reset_mid_body_is_reported_as_a_cut_connection(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.RESET, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "the connection was cut mid-response" in explain(error).cause
    assert len(reference_server.requests) == 3  # a cut is worth retrying


def test_refused_connection_is_unreachable_and_retried(recorder: Recorder) -> None:
    url = f"http://127.0.0.1:{free_port()}/public/deployment"
    error = fail(make(recorder), ref.VALID, url)
    assert isinstance(error, ApiUnreachable)
    assert "connection refused" in explain(error).cause
    assert url in explain(error).cause
    assert len(recorder.sleeps) == 2


def test_unknown_host_is_unreachable_quickly_and_not_retried(recorder: Recorder) -> None:
    started = time.monotonic()
    error = fail(make(recorder), ref.VALID, "https://nanoctl-test.invalid/public/deployment")
    assert isinstance(error, ApiUnreachable)
    assert "host not found" in explain(error).cause
    assert recorder.sleeps == []
    assert time.monotonic() - started < 5


def test_a_lower_timeout_makes_nanoctl_give_up_on_a_dripping_api_sooner(
    reference_server: ReferenceServer,
) -> None:
    # The whole body takes ~8 s, a byte every 0.2 s (no read ever times out). With a
    # 1 s timeout the deadline is 3 s; a deadline that stayed at 30 s would let it finish.
    reference_server.drip_interval = 0.2
    reference_server.drip_seconds = 8
    result = run_nanoctl(
        "login", env={**url_env(reference_server, ref.DRIP), "NANOCTL_HTTP_TIMEOUT": "1"}
    )

    assert result.exit_code == 4
    assert result.stderr_lines == [
        f"Error: The API at {reference_server.url} did not finish answering within 3 s. "
        "Try again later, or give it longer with NANOCTL_HTTP_TIMEOUT (the seconds each read "
        "may wait; nanoctl gives up after 3 times that)."
    ]


def test_a_connection_that_is_not_made_in_time_is_the_one_that_could_not_reach() -> None:
    """The connect timeout (a host that drops packets) is the network's; a read timeout
    is the API's, reached but slow."""
    import requests

    from nanoctl.adapters.http.failures import classify

    connect = classify(requests.exceptions.ConnectTimeout(), "https://x", 10.0).error
    read = classify(requests.exceptions.ReadTimeout(), "https://x", 10.0).error
    assert (
        explain(connect).cause == "Could not reach the API at https://x: the connection timed out."
    )
    assert explain(read).cause == "The API at https://x was reached but did not answer within 10 s."
