"""RequestsTokenValidator against a real HTTP server on 127.0.0.1: every answer the API
can give, every fault the network can throw, and every requests/urllib3 trap.

Nothing here mocks requests. Each failing test also checks that the token shows up
nowhere in the error: not in str(), not in repr(), not in any chained exception or
rendered traceback.
"""

from __future__ import annotations

import platform
import re
import socket
import subprocess
import sys
import time
import traceback
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

import reference_server as ref
from nanoctl.adapters.diagnostics import Event
from nanoctl.adapters.http.failures import classify
from nanoctl.adapters.http.retries import RetryPolicy, retry_after_seconds
from nanoctl.adapters.http.transport import MAX_BODY, BearerAuth, HttpLimits
from nanoctl.adapters.http.validator import RequestsTokenValidator
from nanoctl.domain.errors import (
    ApiUnreachable,
    ForbiddenToken,
    InactiveToken,
    InvalidToken,
    MalformedToken,
    NanoctlError,
    RateLimited,
    ServerError,
    TlsFailure,
    UnexpectedResponse,
)
from nanoctl.domain.model import ApiUrl, Token, TokenOrigin
from nanoctl.entrypoints.messages.errors import explain
from nanoctl.entrypoints.messages.verbose import note
from reference_server import ReferenceServer

USER_AGENT = (
    f"nanoctl/0.1.0 (python {sys.version_info.major}.{sys.version_info.minor}; "
    f"{platform.system().lower()}-{platform.machine()})"
)
ALL_TOKENS = tuple(ref.TOKENS.values())


# --- helpers --------------------------------------------------------------------------


class Recorder:
    """Diagnostics and sleep in one: keeps every line and every requested pause."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.sleeps: list[float] = []

    def info(self, event: Event) -> None:
        self.lines.append(f"info: {note(event)}")

    def debug(self, detail: str | Event) -> None:
        self.lines.append(f"debug: {detail if isinstance(detail, str) else note(detail)}")

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)  # retries in tests cost no wall time


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def make(
    recorder: Recorder,
    *,
    timeout: float = 5.0,
    deadline: float = 10.0,
    max_body: int = MAX_BODY,
    **retries: Any,
) -> RequestsTokenValidator:
    """A validator with short limits whose retries cost no wall time (``retries`` go to
    the RetryPolicy: max_attempts, retry_after_cap, backoff, sleep)."""
    policy: dict[str, Any] = {"sleep": recorder.sleep, "jitter": lambda: 0.5, **retries}
    return RequestsTokenValidator(
        USER_AGENT,
        limits=HttpLimits(timeout=timeout, deadline=deadline, max_body=max_body),
        retries=RetryPolicy(**policy),
        diagnostics=recorder,
    )


def token(value: str) -> Token:
    return Token.parse(value, TokenOrigin.FLAG)


def rendered(error: BaseException) -> list[str]:
    """Every way an error can be shown, for it and everything chained to it."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), *(repr(arg) for arg in current.args)]
        if isinstance(current, NanoctlError):
            texts.append(str(explain(current)))
        current = current.__cause__ or current.__context__
    return texts


def assert_no_token_in(error: BaseException, *extra: str) -> None:
    for text in rendered(error):
        for secret in (*ALL_TOKENS, *extra):
            assert secret not in text, f"the token leaked into {type(error).__name__}"


def assert_clean(lines: list[str], *extra: str) -> None:
    for line in lines:
        for secret in (*ALL_TOKENS, *extra):
            assert secret not in line


def fail(validator: RequestsTokenValidator, value: str | Token, url: str) -> NanoctlError:
    """The domain error ``validate`` raises, after checking it leaks nothing."""
    credential = value if isinstance(value, Token) else token(value)
    with pytest.raises(NanoctlError) as caught:
        validator.validate(credential, ApiUrl.parse(url))
    error = caught.value
    assert_no_token_in(error, credential.reveal())
    # Our errors are raised outside except blocks: nothing foreign is even attached.
    assert error.__cause__ is None
    assert error.__context__ is None
    return error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


# --- slow, dripping and broken connections ---------------------------------------------------


def test_slow_server_times_out_after_the_read_timeout(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    error = fail(make(recorder, timeout=0.3, max_attempts=1), ref.SLOW, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "timed out" in explain(error).cause
    assert time.monotonic() - started < 4


def test_slow_server_is_cut_by_the_deadline_even_with_a_long_timeout(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    started = time.monotonic()
    error = fail(make(recorder, timeout=30, deadline=0.5), ref.SLOW, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "timed out" in explain(error).cause
    assert time.monotonic() - started < 4


def test_slow_drip_is_cut_off_by_the_total_deadline(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    # One byte every 0.4 s never trips a read timeout; only the deadline stops it.
    started = time.monotonic()
    error = fail(make(recorder, timeout=5, deadline=1.5), ref.DRIP, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "timed out" in explain(error).cause
    assert time.monotonic() - started < 8


def test_headers_dripped_byte_by_byte_are_cut_off_by_the_total_deadline(
    reference_server: ReferenceServer, recorder: Recorder
) -> None:
    # While requests reads the headers none of our code runs: the watchdog has to cut it.
    started = time.monotonic()
    error = fail(make(recorder, timeout=5, deadline=1.5), ref.DRIP_HEADERS, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "timed out" in explain(error).cause
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


# --- TLS -----------------------------------------------------------------------------------


def test_untrusted_certificate_is_a_tls_failure(
    tls_reference_server: ReferenceServer, recorder: Recorder
) -> None:
    error = fail(make(recorder), ref.VALID, tls_reference_server.url)
    assert isinstance(error, TlsFailure)
    assert tls_reference_server.url in explain(error).cause
    assert tls_reference_server.requests == []  # the token was never sent
    assert recorder.sleeps == []


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"])
def test_a_ca_bundle_from_the_environment_is_trusted(
    tls_reference_server: ReferenceServer,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, str(ca_bundle))
    identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(tls_reference_server.url))
    assert identity.username == "ada"


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_an_empty_ca_bundle_variable_does_not_turn_verification_off(
    tls_reference_server: ReferenceServer,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    # Old requests treated CURL_CA_BUNDLE="" as "do not verify".
    monkeypatch.setenv(variable, "")
    error = fail(make(recorder), ref.VALID, tls_reference_server.url)
    assert isinstance(error, TlsFailure)


def test_a_missing_ca_bundle_is_named(
    tls_reference_server: ReferenceServer,
    tmp_path: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "nope.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(missing))
    error = fail(make(recorder), ref.VALID, tls_reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert str(missing) in explain(error).cause and "REQUESTS_CA_BUNDLE" in explain(error).cause


def test_certificate_for_another_name_is_a_tls_failure(
    tls_reference_server: ReferenceServer,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Trusted CA, but the certificate names 127.0.0.1/localhost, not 127.0.0.2.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    with ReferenceServer(host="127.0.0.2", ssl_context=tls_reference_server.ssl_context) as other:
        error = fail(make(recorder), ref.VALID, other.url)
    assert isinstance(error, TlsFailure)


# --- proxies and netrc: the environment is honoured, but cannot replace the token -------------


def test_http_proxy_from_the_environment_is_used(
    reference_server: ReferenceServer,
    forwarding_proxy: Any,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", forwarding_proxy.url)
    identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    assert identity.username == "ada"
    assert forwarding_proxy.seen == [("GET", f"{reference_server.url}/login")]
    assert len(reference_server.requests) == 1


def test_https_proxy_from_the_environment_tunnels_tls(
    tls_reference_server: ReferenceServer,
    forwarding_proxy: Any,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", forwarding_proxy.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    api = ApiUrl.parse(tls_reference_server.url)
    identity = make(recorder).validate(token(ref.VALID), api)
    assert identity.username == "ada"
    assert forwarding_proxy.seen == [("CONNECT", f"127.0.0.1:{tls_reference_server.port}")]


def test_no_proxy_bypasses_the_proxy(
    reference_server: ReferenceServer,
    forwarding_proxy: Any,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forwarding_proxy.url)  # NO_PROXY covers 127.0.0.1
    make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    assert forwarding_proxy.seen == []


def test_unreachable_proxy_is_reported_as_a_proxy_problem(
    reference_server: ReferenceServer, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    error = fail(make(recorder, max_attempts=1), ref.VALID, reference_server.url)
    assert isinstance(error, ApiUnreachable)
    assert "proxy" in explain(error).cause
    assert reference_server.requests == []


def test_a_netrc_entry_for_the_host_does_not_replace_the_token(
    reference_server: ReferenceServer,
    isolated_home: Path,
    recorder: Recorder,
) -> None:
    netrc = isolated_home / ".netrc"
    netrc.write_text("machine 127.0.0.1\n  login mallory\n  password hunter2\n")
    netrc.chmod(0o600)

    # The trap is real: plain requests with the header replaces it with netrc's Basic.
    import requests

    url = f"{reference_server.url}/login"
    requests.get(url, headers={"Authorization": f"Bearer {ref.VALID}"}, timeout=5).close()
    sent = reference_server.requests[0].header("Authorization")
    assert sent is not None and sent.startswith("Basic ")
    reference_server.reset()

    identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    assert identity.username == "ada"
    (request,) = reference_server.requests
    assert request.header("Authorization") == f"Bearer {ref.VALID}"


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
