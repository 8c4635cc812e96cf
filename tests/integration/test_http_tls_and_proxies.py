"""TLS is always verified (with the CA bundle the environment names); proxies from the
environment are honoured and NO_PROXY bypasses them; ~/.netrc cannot replace the token.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import reference_server as ref
from nanoctl.domain.errors import (
    ApiUnreachable,
    TlsFailure,
)
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.messages.errors import explain
from reference_server import ReferenceServer
from tests.integration.http_helpers import (
    Recorder,
    fail,
    free_port,
    make,
    token,
)

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
