"""The reference server beyond /login (tools/reference_api.py, #24): the canned answers of the
real API's calls and the endpoints `nanoctl api`'s tests use, for a client other than ours."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

import reference_server as ref
from reference_api import binary_block, stream_bytes
from reference_server import ReferenceServer


def ask(
    server: ReferenceServer,
    method: str,
    path: str,
    token: str | None = ref.VALID,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    connection.request(method, f"{server.prefix}{path}", body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def test_a_deployment_status_and_an_unknown_one(server: ReferenceServer) -> None:
    status, headers, body = ask(server, "GET", "/deploy-status/my-service")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert json.loads(body)["serviceName"] == "my-service"
    status, _, body = ask(server, "GET", "/deploy-status/x")
    assert (status, json.loads(body)) == (404, {"error": "no deployment named x"})


def test_a_build_status_and_the_package_list_in_both_formats(server: ReferenceServer) -> None:
    assert ask(server, "GET", "/build-status/BUILD")[2] == b'{"id": "BUILD", "status": "succeeded"}'
    assert ask(server, "GET", "/build-status/nope")[0] == 404
    status, _, body = ask(server, "GET", "/package-list?searchTerm=auth&format=json")
    assert (status, json.loads(body)) == (200, [{"name": "nanoservices-auth", "version": "1.0.0"}])
    status, headers, body = ask(server, "GET", "/package-list?searchTerm=nano&format=text")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode().splitlines() == [
        "nanoservices-auth",
        "nanoservices-cli",
        "nanoservices-http",
    ]
    assert ask(server, "GET", "/package-list?format=xml")[0] == 400


def test_a_deploy_takes_a_json_body_of_service_name_and_access(server: ReferenceServer) -> None:
    good = json.dumps({"serviceName": "web", "access": "public"}).encode()
    json_type = {"Content-Type": "application/json"}
    status, _, body = ask(server, "POST", "/deploy/BUILD", body=good, headers=json_type)
    assert status == 202
    assert json.loads(body) == {
        "deploymentId": "d-BUILD-1",
        "buildId": "BUILD",
        "serviceName": "web",
        "access": "public",
    }
    assert ask(server, "POST", "/deploy/BUILD", body=good)[0] == 415
    bad = json.dumps({"serviceName": "web", "access": "everyone"}).encode()
    assert ask(server, "POST", "/deploy/BUILD", body=bad, headers=json_type)[0] == 400


@pytest.mark.parametrize(
    ("token", "status", "retry_after"),
    [
        (None, 401, None),
        ("nano_unknown_Vz3Qp8Lk", 401, None),
        (ref.EXPIRED, 401, None),
        (ref.INACTIVE, 401, None),
        (ref.FORBIDDEN, 403, None),
        (ref.RATE_LIMITED, 429, "1"),
        (ref.RATE_LIMITED_LONG, 429, "3600"),
        (ref.SERVER_ERROR, 500, None),
        (ref.UNAVAILABLE, 503, None),
        (ref.REFLECT, 200, None),
    ],
)
def test_every_endpoint_follows_the_token_table(
    server: ReferenceServer, token: str | None, status: int, retry_after: str | None
) -> None:
    got, headers, _ = ask(server, "GET", "/deploy-status/web", token)
    assert (got, headers.get("Retry-After")) == (status, retry_after)


def test_the_flaky_token_fails_once_then_is_served(server: ReferenceServer) -> None:
    assert ask(server, "GET", "/deploy-status/web", ref.FLAKY)[0] == 503
    assert ask(server, "GET", "/deploy-status/web", ref.FLAKY)[0] == 200


def test_echo_sends_the_request_back_authorization_included(server: ReferenceServer) -> None:
    status, _, body = ask(server, "PUT", "/echo?a=1", body=b"hello", headers={"X-Mine": "yes"})
    echoed = json.loads(body)
    assert status == 200
    assert echoed["method"] == "PUT"
    assert (echoed["path"], echoed["query"]) == (f"{server.prefix}/echo", "a=1")
    assert echoed["headers"]["Authorization"] == f"Bearer {ref.VALID}"
    assert echoed["headers"]["X-Mine"] == "yes"
    assert (echoed["body"], echoed["body_size"]) == ("hello", 5)


def test_echo_in_another_charset_type_header_and_pieces(server: ReferenceServer) -> None:
    _, headers, body = ask(server, "GET", "/echo?charset=utf-16")
    assert headers["Content-Type"] == "application/json; charset=utf-16"
    assert ref.VALID in body.decode("utf-16")
    _, headers, _ = ask(server, "GET", "/echo?type=application/octet-stream&header=1")
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["X-Echoed-Authorization"] == f"Bearer {ref.VALID}"
    _, headers, body = ask(server, "GET", "/echo?type=&split=64")
    assert "Content-Type" not in headers
    assert headers["Transfer-Encoding"] == "chunked"
    assert ref.VALID in body.decode()


def test_a_chunked_request_body_is_read(server: ReferenceServer) -> None:
    chunks = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    headers = {"Transfer-Encoding": "chunked"}
    _, _, body = ask(server, "POST", "/echo", body=chunks, headers=headers)
    assert json.loads(body)["body"] == "hello world"


@pytest.mark.parametrize("binary", [False, True])
def test_the_stream_is_the_size_asked_chunked(server: ReferenceServer, binary: bool) -> None:
    kind = "binary" if binary else "text"
    status, headers, body = ask(server, "GET", f"/stream?size=200000&kind={kind}")
    assert status == 200
    assert headers["Transfer-Encoding"] == "chunked"
    assert body == stream_bytes(200_000, binary=binary)
    if binary:
        assert set(binary_block()) == set(range(256))
        assert headers["Content-Type"] == "application/octet-stream"


def test_the_stream_carries_the_token_when_asked(server: ReferenceServer) -> None:
    _, _, body = ask(server, "GET", "/stream?size=1000&token_every=300")
    assert body.count(ref.VALID.encode()) == 3
    assert len(body) == 1000


def test_redirects_point_elsewhere_or_to_this_api(server: ReferenceServer) -> None:
    status, headers, _ = ask(server, "GET", "/redirect?to=other")
    target = urlsplit(headers["Location"])
    assert (status, target.hostname, target.port) == (302, "127.0.0.2", server.port)
    assert target.query == f"token={ref.VALID}"
    server.redirect_origin = "http://127.0.0.3:1"
    assert ask(server, "GET", "/redirect")[1]["Location"].startswith("http://127.0.0.3:1/")
    _, headers, _ = ask(server, "GET", "/redirect?to=same")
    assert headers["Location"].startswith(f"{server.prefix}/deploy-status/web?")


def test_any_status_is_answered(server: ReferenceServer) -> None:
    assert ask(server, "DELETE", "/status/418")[0] == 418
    status, headers, _ = ask(server, "GET", "/status/429?retry_after=7")
    assert (status, headers["Retry-After"]) == (429, "7")
    assert ask(server, "GET", "/nowhere")[0] == 404
    assert ask(server, "POST", "/login")[0] == 405
