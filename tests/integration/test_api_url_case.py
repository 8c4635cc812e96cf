"""Scheme and host of the API URL are case-insensitive (RFC 3986), its path is not (#10 item
10): a credential stored for one spelling is the credential of every other spelling of the
same API, and is still refused for another path.

The installed console script runs against the reference API on 127.0.0.1 (as localhost);
no run may print a token (cli_harness).
"""

from __future__ import annotations

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import one_line, store_credential
from tests.integration.in_process import run_nanoctl


@pytest.mark.parametrize(
    ("stored_as", "asked_as"),
    [
        pytest.param("http://localhost:{port}", "http://LOCALHOST:{port}", id="host"),
        pytest.param("http://localhost:{port}", "HTTP://localhost:{port}", id="scheme"),
        pytest.param("HTTP://LocalHost:{port}", "http://localhost:{port}", id="stored-upper"),
    ],
)
def test_a_credential_stored_for_one_spelling_of_scheme_and_host_is_used_for_another(
    server: ReferenceServer, stored_as: str, asked_as: str
) -> None:
    prefix = "/public/deployment"
    store_credential(stored_as.format(port=server.port) + prefix, api.VALID, server.after(days=30))
    server.reset()
    asked = asked_as.format(port=server.port) + prefix

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": asked})

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == (
        f"✓ Logged in to http://localhost:{server.port}{prefix} as ada"
    )
    assert len(server.requests_with(api.VALID)) == 1


def test_the_path_stays_case_sensitive(server: ReferenceServer) -> None:
    stored = f"http://localhost:{server.port}/public/deployment"
    store_credential(stored, api.VALID, server.after(days=30))
    server.reset()
    asked = f"http://localhost:{server.port}/Public/Deployment"

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": asked})

    assert result.exit_code == 1
    assert one_line(result).startswith(
        f"Error: The stored credential of profile default is for {stored}, "
        f"not {asked} (from NANOSERVICES_API_URL);"
    )
    assert server.requests == []
