"""TLS is always verified (with the CA bundle the environment names); proxies from the
environment are honoured and NO_PROXY bypasses them, but an API on this machine is never
reached through one; ~/.netrc cannot replace the token.
RequestsTokenValidator against a real HTTP server on 127.0.0.1 (tools/reference_server.py);
nothing here mocks requests. Each failing test also checks that the token shows up nowhere
in the error: not in str(), repr(), its words, any chained exception or rendered traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as ref
from nanoctl.domain.api_errors import ApiUnreachable, TlsFailure
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.words.errors import explain
from reference_server import ReferenceServer
from tests.integration.cli_harness import url_env
from tests.integration.conftest import REMOTE_NAME, ForwardingProxy
from tests.integration.http_helpers import (
    Recorder,
    fail,
    free_port,
    make,
    token,
)
from tests.integration.in_process import run_nanoctl

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

PLAIN_PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
TLS_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


def remote_url(server: ReferenceServer) -> str:
    """``server`` under a name only the forwarding proxy resolves: an API elsewhere."""
    return server.url.replace("127.0.0.1", REMOTE_NAME)


@pytest.fixture
def no_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the NO_PROXY that tests/conftest.py sets for loopback."""
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


@pytest.mark.usefixtures("no_no_proxy")
@pytest.mark.parametrize("variable", PLAIN_PROXY_VARIABLES)
def test_a_plain_http_loopback_api_is_never_reached_through_a_proxy(
    reference_server: ReferenceServer,
    forwarding_proxy: ForwardingProxy,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    # Through the proxy the token would travel in clear: `GET http://127.0.0.1:…/login`.
    monkeypatch.setenv(variable, forwarding_proxy.url)
    identity = make(recorder).validate(token(ref.VALID), ApiUrl.parse(reference_server.url))
    assert identity.username == "ada"
    assert forwarding_proxy.seen == []
    assert len(reference_server.requests_with(ref.VALID)) == 1


@pytest.mark.usefixtures("no_no_proxy")
@pytest.mark.parametrize("variable", TLS_PROXY_VARIABLES)
def test_an_https_loopback_api_is_never_reached_through_a_proxy(
    tls_reference_server: ReferenceServer,
    forwarding_proxy: ForwardingProxy,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    # A proxy elsewhere would connect to its own loopback, not to this machine's.
    monkeypatch.setenv(variable, forwarding_proxy.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    api = ApiUrl.parse(tls_reference_server.url)
    identity = make(recorder).validate(token(ref.VALID), api)
    assert identity.username == "ada"
    assert forwarding_proxy.seen == []
    assert len(tls_reference_server.requests_with(ref.VALID)) == 1


@pytest.mark.usefixtures("no_no_proxy")
def test_https_proxy_from_the_environment_tunnels_tls_to_an_api_elsewhere(
    tls_reference_server: ReferenceServer,
    forwarding_proxy: ForwardingProxy,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", forwarding_proxy.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    api = ApiUrl.parse(remote_url(tls_reference_server))
    identity = make(recorder).validate(token(ref.VALID), api)
    assert identity.username == "ada"
    assert forwarding_proxy.seen == [("CONNECT", f"{REMOTE_NAME}:{tls_reference_server.port}")]
    assert len(tls_reference_server.requests_with(ref.VALID)) == 1


def test_no_proxy_bypasses_the_proxy(
    tls_reference_server: ReferenceServer,
    forwarding_proxy: ForwardingProxy,
    ca_bundle: Path,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", forwarding_proxy.url)
    monkeypatch.setenv("NO_PROXY", REMOTE_NAME)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    # Straight to a name only the proxy knows: not found, and the proxy saw nothing.
    error = fail(make(recorder, max_attempts=1), ref.VALID, remote_url(tls_reference_server))
    assert isinstance(error, ApiUnreachable)
    assert error.failure == "host_not_found"
    assert forwarding_proxy.seen == []


@pytest.mark.usefixtures("no_no_proxy")
def test_unreachable_proxy_is_reported_as_a_proxy_problem(
    tls_reference_server: ReferenceServer, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{free_port()}")
    error = fail(make(recorder, max_attempts=1), ref.VALID, remote_url(tls_reference_server))
    assert isinstance(error, ApiUnreachable)
    assert "proxy" in explain(error).cause
    assert tls_reference_server.requests == []


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_nanoctl_login_sends_a_loopback_api_nothing_through_a_proxy(
    server: ReferenceServer, forwarding_proxy: ForwardingProxy, variable: str
) -> None:
    env = {variable: forwarding_proxy.url, "NO_PROXY": None, "no_proxy": None}
    result = run_nanoctl("login", env={**url_env(server, ref.VALID), **env})

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert forwarding_proxy.seen == []
    assert len(server.requests_with(ref.VALID)) == 1


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
