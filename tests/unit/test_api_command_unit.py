"""`nanoctl api` through cleo's ApplicationTester on fakes (#24): what its options send, how the
answer is written (masked across pieces, or byte for byte when declared binary), and the exit
code its status gives; no network."""

from __future__ import annotations

import json

from dependency_injector import providers

from tests.fakes import FakeApiAnswer, FakeApiClient
from tests.unit.cli_world import API, Cli

TOKEN = "env-token-0001-Zq"


def answering(cli: Cli, answer: FakeApiAnswer) -> FakeApiClient:
    client = FakeApiClient(answer)
    cli.container.api_client.override(providers.Object(client))
    cli.environ["NANOSERVICES_TOKEN"] = TOKEN
    return client


def test_the_options_make_the_request_sent(cli: Cli) -> None:
    client = answering(cli, FakeApiAnswer(202, pieces=[b'{"ok": true}']))

    code, out, err = cli.run("api -X POST /deploy/b-1 -f serviceName=web -H 'X-Trace: 1'")

    assert (code, out, err) == (0, '{"ok": true}', "")
    ((request, url, credential),) = client.sent
    assert (request.method, url) == ("POST", f"{API}/deploy/b-1")
    assert isinstance(request.body, bytes)
    assert json.loads(request.body) == {"serviceName": "web"}
    assert request.headers == (("X-Trace", "1"), ("Content-Type", "application/json"))
    assert credential.token.reveal() == TOKEN


def test_the_body_is_masked_across_the_pieces_it_arrives_in(cli: Cli) -> None:
    pieces = [b'{"echo": "Bearer env-tok', b"en-0001-", b'Zq", "n": 1}']
    answering(cli, FakeApiAnswer(200, pieces=pieces))
    assert cli.run("api /echo") == (0, '{"echo": "Bearer ***", "n": 1}', "")


def test_a_body_declared_binary_is_written_as_it_came(cli: Cli) -> None:
    body = [b"PK\x03\x04", TOKEN.encode()]
    answering(cli, FakeApiAnswer(200, (("Content-Type", "application/zip"),), body))
    code, out, _ = cli.run("api /archive.zip")
    assert (code, out) == (0, f"PK\x03\x04{TOKEN}")


def test_include_writes_the_head_and_another_status_is_exit_1(cli: Cli) -> None:
    headers = (("Content-Type", "application/json"), ("X-Echo", f"Bearer {TOKEN}"))
    answering(cli, FakeApiAnswer(404, headers, [b"{}"], reason="Not Found"))

    code, out, err = cli.run("api -i /deploy-status/x")

    assert code == 1
    assert out == "HTTP/1.1 404 Not Found\nContent-Type: application/json\nX-Echo: Bearer ***\n\n{}"
    assert err == (
        f"Error: HTTP 404 from GET /deploy-status/x. The path is relative to the API URL {API}.\n"
    )


def test_usage_errors_reach_no_client(cli: Cli) -> None:
    client = answering(cli, FakeApiAnswer())
    code, out, err = cli.run("api -H 'Host: elsewhere.test' /x")
    assert (code, out) == (2, "")
    assert err.startswith("Error: nanoctl sets the Host header itself")
    assert client.sent == []
