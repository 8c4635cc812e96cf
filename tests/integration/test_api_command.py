"""`nanoctl api` (#24), in-process against the reference server on 127.0.0.1 (a second one on
127.0.0.2 is "elsewhere"): the request its options make, where it may go, what each answer
does to the exit code and the one line on stderr, and the -v lines. Masking is in
test_api_masking.py; streaming, memory and closed streams (real processes) in
test_api_streaming.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import reference_server as ref
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_LOGGED_IN_LINE,
    TOKEN_PAGE,
    UPDATE_ENV,
    Result,
    one_line,
    store_credential,
    url_env,
)
from tests.integration.conftest import ForwardingProxy
from tests.integration.in_process import run_nanoctl

MY_SERVICE = {
    "serviceName": "my-service",
    "status": "deploying",
    "access": "private",
    "buildId": "b-2",
    "url": "https://my-service.nanoservices.test",
}


def api(server: ReferenceServer, *args: str, token: str = ref.VALID, **kw: object) -> Result:
    return run_nanoctl("api", *args, env=url_env(server, token), **kw)  # type: ignore[arg-type]


def echoed(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.stderr
    value: dict[str, object] = json.loads(result.stdout)
    return value


# --- the answer on stdout, the exit code --------------------------------------------------


def test_a_deployment_status_is_written_as_the_api_sent_it(server: ReferenceServer) -> None:
    result = api(server, "/deploy-status/my-service")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == MY_SERVICE
    ((request,),) = [server.requests]
    assert (request.method, request.path) == ("GET", f"{server.prefix}/deploy-status/my-service")
    assert request.bearer == ref.VALID


def test_the_path_keeps_the_api_urls_prefix_as_login_does(server: ReferenceServer) -> None:
    result = api(server, "login")
    assert json.loads(result.stdout)["username"] == "ada"
    assert [r.path for r in server.requests] == [f"{server.prefix}/login"]


def test_another_status_is_exit_1_with_one_line_and_the_body_still_written(
    server: ReferenceServer,
) -> None:
    result = api(server, "/deploy-status/x")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "no deployment named x"}
    assert one_line(result) == (
        f"Error: HTTP 404 from GET /deploy-status/x. "
        f"The path is relative to the API URL {server.url}."
    )


def test_silent_drops_the_body_not_the_line(server: ReferenceServer) -> None:
    result = api(server, "--silent", "/deploy-status/x")
    assert (result.exit_code, result.stdout) == (1, "")
    assert one_line(result).startswith("Error: HTTP 404 from GET /deploy-status/x.")
    assert (api(server, "--silent", "/deploy-status/web").exit_code, server.requests != []) == (
        0,
        True,
    )


@pytest.mark.parametrize("status", [400, 409, 418, 422])
def test_every_other_status_is_exit_1_naming_method_and_path(
    server: ReferenceServer, status: int
) -> None:
    result = api(server, "-X", "DELETE", f"/status/{status}")
    assert (result.exit_code, json.loads(result.stdout)) == (1, {"status": status})
    assert one_line(result) == f"Error: HTTP {status} from DELETE /status/{status}."


def test_a_post_with_fields_sends_a_json_object_of_strings(server: ReferenceServer) -> None:
    result = api(
        server, "-X", "POST", "/deploy/BUILD", "-f", "serviceName=web", "-f", "access=public"
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "deploymentId": "d-BUILD-1",
        "buildId": "BUILD",
        "serviceName": "web",
        "access": "public",
    }
    sent = echoed(api(server, "/echo", "-f", "serviceName=web", "-f", "n=1"))
    assert sent["method"] == "POST"  # a body makes it a POST
    assert json.loads(str(sent["body"])) == {"serviceName": "web", "n": "1"}
    assert sent["headers"]["Content-Type"] == "application/json"  # type: ignore[index]


def test_with_get_the_fields_are_query_parameters(server: ReferenceServer) -> None:
    result = api(server, "-X", "GET", "/package-list", "-f", "searchTerm=auth", "-f", "format=text")
    assert (result.exit_code, result.stdout) == (0, "nanoservices-auth\n")
    sent = echoed(api(server, "-X", "get", "/echo?x=1", "-f", "a=b c"))
    assert (sent["method"], sent["query"], sent["body"]) == ("GET", "x=1&a=b+c", "")


def test_the_input_file_or_standard_input_is_the_raw_body(
    server: ReferenceServer, tmp_path: Path
) -> None:
    body = tmp_path / "body.bin"
    body.write_bytes(b'{"raw": true}\x00\xff')
    sent = echoed(
        api(server, "--input", str(body), "-H", "Content-Type: application/x-thing", "/echo")
    )
    assert (sent["method"], sent["body_size"]) == ("POST", 15)
    assert sent["headers"]["Content-Type"] == "application/x-thing"  # type: ignore[index]

    for spelling in (["--input", "-"], ["--input=-"]):
        sent = echoed(api(server, "-X", "PUT", *spelling, "/echo", stdin=b"from a pipe"))
        assert (sent["method"], sent["body"]) == ("PUT", "from a pipe")


def test_headers_given_with_h_reach_the_api(server: ReferenceServer) -> None:
    sent = echoed(api(server, "-H", "X-Trace: 42", "-H", "Accept: text/plain", "/echo"))
    headers = sent["headers"]
    assert (headers["X-Trace"], headers["Accept"]) == ("42", "text/plain")  # type: ignore[index]


def test_head_writes_no_body_and_include_shows_the_head(server: ReferenceServer) -> None:
    result = api(server, "-X", "HEAD", "-i", "/status/204")
    assert result.exit_code == 0
    assert result.stdout_lines[0] == "HTTP/1.1 204 No Content"
    assert result.stdout.endswith("\n\n")


def test_include_writes_the_status_line_and_headers_first(server: ReferenceServer) -> None:
    result = api(server, "-i", "/deploy-status/web")
    head, body = result.stdout.split("\n\n", 1)
    lines = head.splitlines()
    assert lines[0] == "HTTP/1.1 200 OK"
    assert "Content-Type: application/json" in lines
    assert json.loads(body)["serviceName"] == "web"


def test_an_absolute_url_under_the_api_is_used(server: ReferenceServer) -> None:
    result = api(server, f"{server.url}/build-status/BUILD")
    assert result.stdout == '{"id": "BUILD", "status": "succeeded"}'


def test_the_api_url_option_selects_the_api(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    result = run_nanoctl(
        "api", "--api-url", other_host_server.url, "/login", env=url_env(server, ref.VALID)
    )
    assert result.exit_code == 0
    assert server.requests == []
    assert [r.bearer for r in other_host_server.requests] == [ref.VALID]


# --- where the token may go: nothing is sent elsewhere -----------------------------------


@pytest.mark.parametrize(
    ("where", "what"),
    [
        pytest.param(lambda a, b: f"{b.url}/echo", "it is on another host", id="another host"),
        pytest.param(
            lambda a, b: f"//127.0.0.2:{a.port}{a.prefix}/x", "it is on another host", id="//"
        ),
        pytest.param(
            lambda a, b: f"http://127.0.0.1:{b.port}{a.prefix}/x",
            "it is on another port",
            id="port",
        ),
        pytest.param(
            lambda a, b: f"https://127.0.0.1:{a.port}{a.prefix}/x",
            "it has another scheme",
            id="https",
        ),
        pytest.param(
            lambda a, b: "/../../echo", "its path is outside /public/deployment", id="climbing out"
        ),
        pytest.param(
            lambda a, b: f"{a.origin}/public/deployment-x",
            "its path is outside /public/deployment",
            id="a longer segment",
        ),
    ],
)
def test_a_url_outside_the_api_is_a_usage_error_and_nothing_is_sent(
    server: ReferenceServer, other_host_server: ReferenceServer, where: object, what: str
) -> None:
    target = where(server, other_host_server)  # type: ignore[operator]
    result = api(server, target)
    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == (
        f"Error: {target} is not under the API URL {server.url} (from NANOSERVICES_API_URL): "
        f"{what}. The token goes only to that API, so nothing was sent. Give a path relative "
        "to it (`nanoctl api /deploy-status/NAME`); to call another API, select it with "
        "--api-url or --profile."
    )
    assert server.requests == other_host_server.requests == []


def test_the_query_of_a_refused_url_is_not_shown(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    result = api(server, f"{other_host_server.url}/echo?key=s3cr3t-value")
    assert result.exit_code == 2
    assert "s3cr3t" not in result.stderr
    assert f"{other_host_server.url}/echo?*** is not under" in result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["-H", "Authorization: Bearer other-token-1234"],
            "Error: nanoctl sets the Authorization header itself: it carries the current "
            "credential, and only to the API. Leave out -H Authorization.",
        ),
        (
            ["-H", "host: 127.0.0.2"],
            "Error: nanoctl sets the Host header itself: it names the host the request goes "
            "to, which is the API URL's. Leave out -H Host.",
        ),
        (
            ["-H", ref.VALID_EMAIL],
            "Error: A header given to -H is not `Name: value`: it has no colon (it is not "
            "shown). Write it as -H 'Name: value', e.g. -H 'Accept: application/json'.",
        ),
        (
            ["-f", ref.VALID_EMAIL],
            "Error: A field given to -f is not `key=value`: it has no `=` (it is not shown). "
            "Write it as -f key=value, e.g. -f serviceName=web.",
        ),
        (
            ["-f", "a=1", "-f", "a=2"],
            "Error: A field given to -f is not `key=value`: the key a is given twice, and a "
            "JSON object holds it once. Write it as -f key=value, e.g. -f serviceName=web.",
        ),
        (
            ["-f", "a=1", "--input", "body.json"],
            "Error: -f and --input both give the body of the request; nanoctl will not guess "
            "which one to send. Put the fields in the file given to --input, or leave out "
            "--input.",
        ),
        (
            ["-X", "GE T"],
            "Error: The value given to -X is not an HTTP method (not shown). Give one such as "
            "GET, POST, PUT, PATCH or DELETE.",
        ),
        (
            ["--input", "./missing.json"],
            "Error: The file ./missing.json given to --input does not exist. Check its path.",
        ),
    ],
)
def test_usage_errors_send_nothing(server: ReferenceServer, args: list[str], line: str) -> None:
    result = api(server, *args, "/echo")
    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == line
    assert server.requests == []


# --- the token rejected, the API unusable ----------------------------------------------------


def test_a_rejected_token_is_exit_3_with_the_usual_next_step(server: ReferenceServer) -> None:
    result = api(server, "/deploy-status/web", token="nano_unknown_Vz3Qp8Lk")
    assert (result.exit_code, result.stdout) == (3, '{"error": "invalid token"}')
    assert one_line(result) == (
        "Error: The API rejected the token in NANOSERVICES_TOKEN as invalid. "
        f"Create a new token on {TOKEN_PAGE} {UPDATE_ENV}"
    )


def test_a_forbidden_request_is_exit_3_naming_the_request(server: ReferenceServer) -> None:
    result = api(server, "-X", "POST", "/deploy/b-1", "-f", "a=b", token=ref.FORBIDDEN)
    assert result.exit_code == 3
    assert one_line(result) == (
        "Error: The token in NANOSERVICES_TOKEN lacks permission for POST /deploy/b-1 "
        f"(HTTP 403). Create a token with access to the platform on {TOKEN_PAGE} {UPDATE_ENV}"
    )


def test_a_server_error_is_exit_4(server: ReferenceServer) -> None:
    result = api(server, "/deploy-status/web", token=ref.SERVER_ERROR)
    assert result.exit_code == 4
    assert one_line(result) == (
        f"Error: The API at {server.url} failed with HTTP 500. "
        "This is a problem on the server side; try again in a few minutes."
    )
    assert len(server.requests) == 1  # a 500 is not one of the statuses retried


def test_a_long_rate_limit_is_exit_4_at_once_saying_when(server: ReferenceServer) -> None:
    result = api(server, "/deploy-status/web", token=ref.RATE_LIMITED_LONG)
    assert result.exit_code == 4
    assert one_line(result) == (
        f"Error: The API at {server.url} is rate limiting requests (HTTP 429). Try again in 1 h."
    )
    assert len(server.requests) == 1


def test_a_get_is_retried_and_a_post_is_not(server: ReferenceServer) -> None:
    posted = api(server, "-X", "POST", "/echo", token=ref.FLAKY)
    assert (posted.exit_code, len(server.requests)) == (4, 1)  # 503 the first time
    server.reset()
    got = api(server, "-v", "/deploy-status/web", token=ref.FLAKY)
    assert (got.exit_code, [r.method for r in server.requests]) == (0, ["GET", "GET"])
    assert any("Retrying in" in line for line in got.stderr_lines)


def test_a_persistent_503_is_exit_4_after_three_attempts(server: ReferenceServer) -> None:
    result = api(server, "/deploy-status/web", token=ref.UNAVAILABLE)
    assert (result.exit_code, len(server.requests)) == (4, 3)
    assert result.stdout == '{"error": "unavailable"}'  # the last answer's body


def test_a_redirect_is_not_followed_and_names_only_the_host(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    server.redirect_origin = other_host_server.origin
    result = api(server, "/redirect")
    assert (result.exit_code, result.stdout) == (4, "")
    assert one_line(result) == (
        f"Error: Unexpected response from the API at {server.url}: HTTP 302 redirect to "
        f"{other_host_server.origin}, which nanoctl does not follow. "
        "Check that NANOSERVICES_API_URL points at the Nanoservices API."
    )
    assert other_host_server.requests == []
    same = api(server, "-i", "/redirect?to=same")
    assert same.exit_code == 4
    assert "Location: /***?***" in same.stdout_lines
    assert len(server.requests) == 2


def test_an_unreachable_api_is_exit_4(down_url: str) -> None:
    result = run_nanoctl(
        "api", "/login", env={"NANOSERVICES_API_URL": down_url, "NANOSERVICES_TOKEN": ref.VALID}
    )
    assert result.exit_code == 4
    assert one_line(result).startswith(f"Error: Could not reach the API at {down_url}: ")


# --- the credential: as every command finds it -----------------------------------------------


def test_the_stored_credential_of_the_selected_profile_is_used(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(server.url, ref.VALID, server.after(days=30))
    store_credential(other_host_server.url, ref.VALID_EMAIL, server.after(days=30), profile="dev")

    assert run_nanoctl("api", "/login").exit_code == 0
    assert run_nanoctl("api", "--profile", "dev", "/login").exit_code == 0

    assert [r.bearer for r in server.requests] == [ref.VALID]
    assert [r.bearer for r in other_host_server.requests] == [ref.VALID_EMAIL]


def test_a_profiles_token_never_goes_to_another_api(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(other_host_server.url, ref.VALID_EMAIL, server.after(days=30), profile="dev")
    result = run_nanoctl("api", "--profile", "dev", "--api-url", server.url, "/login")
    assert result.exit_code == 1
    assert "it was not sent" in one_line(result)
    assert server.requests == other_host_server.requests == []


def test_not_logged_in_and_expired_send_nothing(server: ReferenceServer) -> None:
    result = run_nanoctl("api", "/login", env={"NANOSERVICES_API_URL": server.url})
    assert (result.exit_code, one_line(result)) == (1, NOT_LOGGED_IN_LINE)
    store_credential(server.url, ref.VALID, server.after(days=-1))
    expired = run_nanoctl("api", "/login", env={"NANOSERVICES_API_URL": server.url})
    assert expired.exit_code == 3
    assert server.requests == []


# --- -v and -vvv ---------------------------------------------------------------------------


def test_verbose_shows_method_url_and_status(server: ReferenceServer) -> None:
    result = api(server, "-v", "/deploy-status/web")
    assert result.exit_code == 0
    assert result.stderr_lines[:3] == [
        f"nanoctl: API URL: {server.url} (from NANOSERVICES_API_URL)",
        "nanoctl: token source: NANOSERVICES_TOKEN",
        f"nanoctl: GET {server.url}/deploy-status/web",
    ]
    assert re.fullmatch(r"nanoctl: HTTP 200 OK in \d+ ms", result.stderr_lines[3])
    assert len(result.stderr_lines) == 4


def test_debug_shows_the_headers_with_the_authorization_masked(server: ReferenceServer) -> None:
    result = api(server, "-vvv", "/echo?header=1")
    lines = result.stderr_lines
    assert "nanoctl: > GET /public/deployment/echo?***" in lines
    assert "nanoctl: > Authorization: Bearer [redacted]" in lines
    assert "nanoctl: < X-Echoed-Authorization: Bearer ***" in lines
    assert any(line.startswith("nanoctl: < Content-Type: application/json") for line in lines)


# --- the help page -------------------------------------------------------------------------


def test_the_help_page_shows_the_examples_and_the_options() -> None:
    result = run_nanoctl("api", "--help")
    assert result.exit_code == 0
    for text in (
        "nanoctl api /deploy-status/my-service",
        "nanoctl api -X POST /deploy/B1 -f access=public",  # #23: fits 60 columns
        "-X, --method=METHOD",
        "-H, --header=HEADER",
        "-f, --field=FIELD",
        "--input=PATH",  # #23: what the value is
        "-i, --include",
        "--silent",
        "--api-url=URL",
    ):
        assert text in result.stdout, text


# --- the network rules of every command ------------------------------------------------------


def test_a_tls_api_is_verified_with_the_ca_bundle_the_environment_names(
    tls_reference_server: ReferenceServer, ca_bundle: Path
) -> None:
    env = url_env(tls_reference_server, ref.VALID)
    untrusted = run_nanoctl("api", "/deploy-status/web", env=env)
    assert untrusted.exit_code == 4
    assert "TLS verification failed" in one_line(untrusted)
    assert tls_reference_server.requests == []

    trusted = run_nanoctl("api", "/deploy-status/web", env={**env, "SSL_CERT_FILE": str(ca_bundle)})
    assert (trusted.exit_code, json.loads(trusted.stdout)["serviceName"]) == (0, "web")


def test_a_loopback_api_is_never_reached_through_a_proxy(
    server: ReferenceServer, forwarding_proxy: ForwardingProxy
) -> None:
    proxies = {name: forwarding_proxy.url for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY")}
    result = run_nanoctl("api", "/login", env={**url_env(server, ref.VALID), **proxies})
    assert result.exit_code == 0
    assert forwarding_proxy.seen == []
    assert len(server.requests) == 1


def test_plain_http_off_loopback_is_refused_before_anything(server: ReferenceServer) -> None:
    result = run_nanoctl(
        "api", "--api-url", "http://api.example.test/p", "/login", env=url_env(server, ref.VALID)
    )
    assert result.exit_code == 2
    assert one_line(result).startswith("Error: Refusing to send the token over plain HTTP")


def test_a_stored_token_about_to_expire_is_warned_about(server: ReferenceServer) -> None:
    store_credential(server.url, ref.EXPIRING_SOON, server.after(days=3))
    result = run_nanoctl("api", "/deploy-status/web", env={"NANOSERVICES_API_URL": server.url})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["serviceName"] == "web"
    assert one_line(result).startswith("Warning: the token expires ")


def test_quiet_still_writes_the_answer_and_the_error(server: ReferenceServer) -> None:
    result = run_nanoctl("-q", "api", "/deploy-status/x", env=url_env(server, ref.VALID))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "no deployment named x"}
    assert one_line(result).startswith("Error: HTTP 404 from GET /deploy-status/x.")


def test_not_modified_is_a_success_not_a_redirect(server: ReferenceServer) -> None:
    result = api(server, "-i", "/status/304")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_lines[0] == "HTTP/1.1 304 Not Modified"
