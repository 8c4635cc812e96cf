"""``api.session()`` and ``api.request()`` (#24): a requests Session bound to the selected API,
through the documented import path, against the reference server on 127.0.0.1 with a second
one on 127.0.0.2 as "elsewhere". The token goes under the API URL only, nothing is followed,
the deadline and the retries are the CLI's, and it shows the token nowhere."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
import requests

import reference_server as ref
from nanoctl import api
from nanoctl.domain.api_errors import ApiUnreachable, BodyTooLarge
from nanoctl.domain.errors import CredentialForOtherApi, NotLoggedIn
from nanoctl.domain.request_errors import UrlOutsideApi
from reference_server import ReferenceServer
from tests.integration.cli_harness import store_credential


@pytest.fixture
def env_token(monkeypatch: pytest.MonkeyPatch, server: ReferenceServer) -> str:
    monkeypatch.setenv("NANOSERVICES_TOKEN", ref.VALID)
    monkeypatch.setenv("NANOSERVICES_API_URL", server.url)
    return ref.VALID


def paths(server: ReferenceServer) -> list[str]:
    return [request.path for request in server.requests]


def test_a_relative_path_is_joined_to_the_api_url_with_the_token(
    env_token: str, server: ReferenceServer
) -> None:
    with api.session() as session:
        answer = session.get("/deploy-status/web")
        joined = session.get("build-status/b-2")

    assert answer.status_code == 200
    assert answer.json()["serviceName"] == "web"
    assert joined.json() == {"id": "b-2", "status": "running"}
    assert paths(server) == [
        f"{server.prefix}/deploy-status/web",
        f"{server.prefix}/build-status/b-2",
    ]
    assert [request.bearer for request in server.requests] == [env_token, env_token]


def test_an_absolute_url_under_the_api_is_accepted(env_token: str, server: ReferenceServer) -> None:
    with api.session() as session:
        assert session.get(f"{server.url}/login").json()["username"] == "ada"


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda a, b: f"{b.url}/echo", id="another host"),
        pytest.param(lambda a, b: f"http://127.0.0.1:{b.port}{a.prefix}/echo", id="another port"),
        pytest.param(lambda a, b: f"{a.origin}/elsewhere/echo", id="outside the prefix"),
        pytest.param(lambda a, b: "/../../echo", id="climbing out"),
        pytest.param(lambda a, b: f"https://127.0.0.1:{a.port}{a.prefix}/echo", id="https"),
    ],
)
def test_a_request_for_anywhere_else_is_refused_before_anything_is_sent(
    env_token: str, server: ReferenceServer, other_host_server: ReferenceServer, where: object
) -> None:
    url = where(server, other_host_server)  # type: ignore[operator]
    with api.session() as session:
        with pytest.raises(UrlOutsideApi):
            session.get(url)
        with pytest.raises(UrlOutsideApi):
            session.post(url, json={"a": 1})

    assert server.requests == other_host_server.requests == []


def test_a_request_prepared_for_elsewhere_gets_no_token_and_is_not_sent(
    env_token: str, server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    elsewhere = f"{other_host_server.url}/echo"
    with api.session() as session:
        with pytest.raises(UrlOutsideApi):
            session.prepare_request(requests.Request("GET", elsewhere))
        with pytest.raises(UrlOutsideApi):
            session.send(requests.Request("GET", elsewhere).prepare())

    assert server.requests == other_host_server.requests == []


def test_a_redirect_comes_back_as_it_is_never_followed(
    env_token: str, server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    server.redirect_origin = other_host_server.origin
    with api.session() as session:
        answer = session.get("/redirect", allow_redirects=True)

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(other_host_server.origin)
    assert answer.next is None
    assert other_host_server.requests == []


def test_statuses_come_back_as_responses_for_the_caller_to_judge(
    env_token: str, server: ReferenceServer
) -> None:
    with api.session() as session:
        missing = session.get("/deploy-status/x")
    assert (missing.status_code, missing.json()) == (404, {"error": "no deployment named x"})
    with pytest.raises(requests.HTTPError) as raised:
        missing.raise_for_status()
    assert env_token not in str(raised.value)


def test_a_get_is_retried_as_logins_are_and_a_post_is_not(
    monkeypatch: pytest.MonkeyPatch, server: ReferenceServer
) -> None:
    monkeypatch.setenv("NANOSERVICES_TOKEN", ref.FLAKY)
    with api.session(api_url=server.url) as session:
        posted = session.post("/echo", data=b"once")
        assert posted.status_code == 503  # the first request per server run fails
        assert session.get("/deploy-status/web").status_code == 200
    assert [r.method for r in server.requests] == ["POST", "GET"]

    server.reset()
    with api.session(api_url=server.url) as session:
        assert session.get("/deploy-status/web").status_code == 200
    assert [r.method for r in server.requests] == ["GET", "GET"]  # 503, then the retry


def test_a_long_retry_after_is_not_waited_for(
    monkeypatch: pytest.MonkeyPatch, server: ReferenceServer
) -> None:
    monkeypatch.setenv("NANOSERVICES_TOKEN", ref.RATE_LIMITED_LONG)
    started = time.monotonic()
    answer = api.request("GET", "/deploy-status/web", api_url=server.url)
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "3600")
    assert len(server.requests) == 1
    assert time.monotonic() - started < 5


def test_a_head_that_never_comes_ends_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch, server: ReferenceServer
) -> None:
    monkeypatch.setenv("NANOSERVICES_TOKEN", ref.DRIP_HEADERS)
    monkeypatch.setenv("NANOCTL_HTTP_TIMEOUT", "0.5")
    server.drip_interval = 0.1
    started = time.monotonic()
    with api.session(api_url=server.url) as session, pytest.raises(ApiUnreachable) as raised:
        session.get("/deploy-status/web")
    assert raised.value.failure == "deadline_passed"  # #23: reached, but too slow
    assert time.monotonic() - started < 3  # the deadline: 3 x 0.5 s, retries included


def test_silence_while_the_body_arrives_ends_after_the_timeout(
    env_token: str, monkeypatch: pytest.MonkeyPatch, server: ReferenceServer
) -> None:
    monkeypatch.setenv("NANOCTL_HTTP_TIMEOUT", "0.5")
    started = time.monotonic()
    with api.session() as session, pytest.raises(ApiUnreachable):
        session.get("/stream?size=200000&pause=4")
    assert time.monotonic() - started < 3


def test_a_body_that_keeps_arriving_may_outlast_the_deadline(
    env_token: str, monkeypatch: pytest.MonkeyPatch, server: ReferenceServer
) -> None:
    monkeypatch.setenv("NANOCTL_HTTP_TIMEOUT", "0.4")  # a deadline of 1.2 s
    started = time.monotonic()
    with api.session() as session:
        answer = session.get("/stream?size=10&chunk=1&interval=0.2")
    assert answer.content == b"the quick "
    assert time.monotonic() - started > 1.2


def test_the_body_cap_is_kept_when_asked_for(env_token: str, server: ReferenceServer) -> None:
    with api.session(max_body=100_000) as session:
        assert len(session.get("/stream?size=100000").content) == 100_000
        with pytest.raises(BodyTooLarge):
            session.get("/stream?size=100001")
        streamed = session.get("/stream?size=300000", stream=True)
        with pytest.raises(BodyTooLarge):
            b"".join(streamed.iter_content(8192))


def test_request_is_the_one_call_form(env_token: str, server: ReferenceServer) -> None:
    answer = api.request("POST", "/deploy/BUILD", json={"serviceName": "web", "access": "public"})
    assert answer.status_code == 202
    assert answer.json()["deploymentId"] == "d-BUILD-1"
    streamed = api.request("GET", "/stream?size=70000", stream=True)
    assert len(b"".join(streamed.iter_content(None))) == 70_000


def test_its_repr_errors_and_logs_never_show_the_token(
    env_token: str,
    server: ReferenceServer,
    other_host_server: ReferenceServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    with api.session() as session:
        shown += [repr(session), repr(session.auth), str(session.__dict__)]
        session.get("/echo?header=1")
        for doomed in (f"{other_host_server.url}/x", f"{server.url}/stream?size=9&pause=30"):
            try:
                session.get(doomed, timeout=0.3)
            except Exception as error:  # every kind is looked at
                shown += [repr(error), str(error)]
    shown += [record.getMessage() for record in caplog.records]
    assert len(shown) > 5
    assert not [text for text in shown if env_token in text]


def test_the_session_selects_as_the_cli_does(
    server: ReferenceServer, other_host_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_credential(server.url, ref.VALID, server.after(days=30))
    store_credential(other_host_server.url, ref.VALID_EMAIL, server.after(days=30), profile="dev")

    with api.session(profile="dev") as session:
        session.get("/deploy-status/web")
    with api.session(api_url=other_host_server.url) as session:  # the profile bound to it
        session.get("/deploy-status/web")
    assert [r.bearer for r in other_host_server.requests] == [ref.VALID_EMAIL] * 2
    assert server.requests == []

    with pytest.raises(CredentialForOtherApi):
        api.session(profile="dev", api_url=server.url)
    monkeypatch.setenv("NANOCTL_PROFILE", "nobody")
    with pytest.raises(NotLoggedIn):
        api.session()
    assert server.requests == []


def test_the_readme_documents_session_and_request() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    python = readme[readme.index("## Using nanoctl from Python") :]
    assert "api.session(" in python
    assert "api.request(" in python
    assert {"session", "request"} <= set(api.__all__)
