"""`nanoctl logout`, end to end: it removes the credential and its key, is idempotent,
never asks the API, and warns when NANOSERVICES_TOKEN still authenticates.

nanoctl runs through its entry point in the test's process (in_process); no run may print
a token (cli_harness).
"""

from __future__ import annotations

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_LOGGED_IN_LINE,
    credential_file,
    key_file,
    one_line,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl

# --- 8. logout ---------------------------------------------------------------------------------


def test_logout_removes_the_credential_then_says_nothing_is_stored_and_status_exits_1(
    server: ReferenceServer,
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    assert credential_file().exists()

    first = run_nanoctl("logout", env=url_env(server))

    assert first.exit_code == 0
    assert first.stdout_lines == [
        f"Logged out: removed the stored credential ({credential_file()})."
    ]
    assert first.stderr == ""
    assert not credential_file().exists()
    assert not key_file().exists()

    again = run_nanoctl("logout", env=url_env(server))

    assert again.exit_code == 0
    assert again.stdout_lines == [f"Not logged in: nothing stored at {credential_file()}."]
    assert again.stderr == ""
    assert server.requests == []  # logging out never asks the API

    status = run_nanoctl("status", env=url_env(server))

    assert status.exit_code == 1
    assert one_line(status) == NOT_LOGGED_IN_LINE


def test_logout_with_nanoservices_token_set_warns_that_it_still_authenticates(
    server: ReferenceServer,
) -> None:
    result = run_nanoctl("logout", env=url_env(server, api.VALID))

    assert result.exit_code == 0
    assert result.stdout_lines == [f"Not logged in: nothing stored at {credential_file()}."]
    assert result.stderr_lines == [
        "Warning: NANOSERVICES_TOKEN is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    ]
    assert server.requests == []
