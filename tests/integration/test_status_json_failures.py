"""`status --json` when there is no usable credential (#10 item 15): stdout still carries
exactly one object, with the keys of a success (``logged_in`` and ``validated`` false, the
error's kind), the error object stays on stderr and the exit code is the documented one.

The installed console script runs against the reference API on 127.0.0.1 (and 127.0.0.2
as another API); no run may print a token (cli_harness).
"""

from __future__ import annotations

import json

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    UNKNOWN,
    credential_file,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl
from tests.integration.test_json_output import STATUS_KEYS, single_json_object

SUCCESS_KEYS = STATUS_KEYS  # a failure object has the keys of a success, and error


def failure(
    args: list[str], env: dict[str, str | None], code: int, kind: str, *, found: bool = False
) -> dict[str, object]:
    """``found``: a credential was found (#19: ``logged_in`` says so, and what is known of
    it stays in the object, its token hint included), only it cannot be used now."""
    result = run_nanoctl("status", "--json", *args, env=env)

    assert result.exit_code == code
    document = single_json_object(result.stdout)
    assert set(document) == SUCCESS_KEYS | {"error"}
    assert document["logged_in"] is found
    assert document["validated"] is False
    assert document["error"] == kind
    if found:
        assert str(document["token"]).startswith("nano…")
    else:
        assert document["token"] is None
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["kind"]) == (code, kind)
    return document


def test_not_logged_in_is_logged_in_false_on_stdout(server: ReferenceServer) -> None:
    document = failure([], url_env(server), 1, "not_logged_in")

    assert document["api_url"] == server.url
    assert document["expired"] is None


@pytest.mark.parametrize("offline", [[], ["--offline"]], ids=["checked", "offline"])
def test_an_expired_stored_token_is_expired_true(
    server: ReferenceServer, offline: list[str]
) -> None:
    expired_at = server.after(days=-2)
    store_credential(server.url, api.VALID, expired_at)

    document = failure(offline, url_env(server), 3, "expired_token", found=True)

    assert document["expired"] is True
    assert document["username"] == "ada"
    assert document["source"] == "stored"
    assert document["expires_at"] == expired_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert document["location"] == str(credential_file())


def test_a_rejected_environment_token_is_validated_false_and_names_its_source(
    server: ReferenceServer,
) -> None:
    document = failure([], url_env(server, UNKNOWN), 3, "invalid_token", found=True)

    assert document["expired"] is False
    assert document["source"] == "environment"


def test_the_api_down_is_one_object_with_its_kind(server: ReferenceServer) -> None:
    document = failure([], url_env(server, api.SERVER_ERROR), 4, "server_error", found=True)

    assert document["api_url"] == server.url


def test_a_damaged_store_is_one_object_with_its_kind(server: ReferenceServer) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    credential_file().write_bytes(b"{ truncated")

    failure([], url_env(server), 5, "corrupted_store")


def test_a_credential_for_another_api_is_one_object_and_nothing_is_sent(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    other_host_server.reset()

    document = failure(["--api-url", other_host_server.url], url_env(server), 1, "api_mismatch")

    assert document["api_url"] == other_host_server.url
    assert other_host_server.requests == []
