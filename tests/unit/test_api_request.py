"""`nanoctl api`'s request as a value (#24): where it may go, and what its options make of it,
all decided before anything is read or sent."""

from __future__ import annotations

import json

import pytest

from nanoctl.domain.api_request import ApiRequest, InputFile, target_url
from nanoctl.domain.model import ApiUrl
from nanoctl.domain.request_errors import (
    FieldsWithInput,
    ForbiddenHeader,
    InvalidMethod,
    MalformedField,
    MalformedHeader,
    UrlOutsideApi,
)
from nanoctl.domain.url_scope import UrlDifference

API = ApiUrl.parse("http://127.0.0.1:8765/public/deployment")
TLS_API = ApiUrl.parse("https://api.example.test/base")


@pytest.mark.parametrize(
    ("url", "difference"),
    [
        pytest.param("http://127.0.0.1:8765/public/deployment/x", None, id="under"),
        pytest.param("http://127.0.0.1:8765/public/deployment", None, id="the API URL itself"),
        pytest.param("http://127.0.0.1:8765/public/deployment/", None, id="with a slash"),
        pytest.param("HTTP://127.0.0.1:8765/public/deployment/x", None, id="scheme in capitals"),
        pytest.param("http://127.0.0.1:8765/public/deployment/a/../b?q=1", None, id="dots inside"),
        pytest.param("http://127.0.0.1:8765/public/deployment-x", "path", id="a longer segment"),
        pytest.param("http://127.0.0.1:8765/public", "path", id="above"),
        pytest.param("http://127.0.0.1:8765/public/deployment/../x", "path", id="climbs out"),
        pytest.param("http://127.0.0.1:8765/public/deployment/..", "path", id="climbs to the top"),
        pytest.param("http://127.0.0.1:8765/public/deployment/%2e%2e/x", "path", id="%2e%2e"),
        pytest.param("http://127.0.0.1:8765/public/deployment/..%2f..%2fx", "path", id="%2f"),
        pytest.param("http://127.0.0.1:8765/public/deployment/..\\..\\x", "path", id="backslash"),
        pytest.param("http://127.0.0.1:8765/public/Deployment/x", "path", id="path case"),
        pytest.param("http://127.0.0.2:8765/public/deployment/x", "host", id="another host"),
        pytest.param("http://localhost:8765/public/deployment/x", "host", id="another name"),
        pytest.param("https://127.0.0.1:8765/public/deployment/x", "scheme", id="https"),
        pytest.param("ftp://127.0.0.1:8765/public/deployment/x", "scheme", id="ftp"),
        pytest.param("http://127.0.0.1:8766/public/deployment/x", "port", id="another port"),
        pytest.param("http://127.0.0.1/public/deployment/x", "port", id="the default port"),
        pytest.param("http://a:b@127.0.0.1:8765/public/deployment/x", "userinfo", id="userinfo"),
        pytest.param("http://127.0.0.1:99999/public/deployment", "unparseable", id="bad port"),
    ],
)
def test_a_url_lies_under_the_api_url_or_says_how_it_does_not(
    url: str, difference: UrlDifference | None
) -> None:
    assert API.difference(url) == difference
    assert API.contains(url) is (difference is None)


def test_a_default_port_written_or_not_is_the_same_port() -> None:
    assert TLS_API.contains("https://API.example.test:443/base/x")
    assert TLS_API.difference("https://api.example.test:8443/base/x") == "port"


def test_an_api_url_without_a_path_holds_every_path_of_its_host() -> None:
    root = ApiUrl.parse("https://api.example.test")
    assert root.contains("https://api.example.test/anything/at/all")
    assert root.contains("https://api.example.test/../x")  # a server resolves it to /x


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/deploy-status/web", "http://127.0.0.1:8765/public/deployment/deploy-status/web"),
        ("deploy-status/web", "http://127.0.0.1:8765/public/deployment/deploy-status/web"),
        ("/login", "http://127.0.0.1:8765/public/deployment/login"),
        (
            "/package-list?searchTerm=a",
            "http://127.0.0.1:8765/public/deployment/package-list?searchTerm=a",
        ),
        (
            "http://127.0.0.1:8765/public/deployment/login",
            "http://127.0.0.1:8765/public/deployment/login",
        ),
    ],
)
def test_a_path_is_joined_to_the_api_url_keeping_its_prefix(path: str, url: str) -> None:
    assert target_url(API, path) == url


@pytest.mark.parametrize(
    ("path", "difference"),
    [
        ("http://127.0.0.2:8765/public/deployment/x", "host"),
        ("//127.0.0.2:8765/public/deployment/x", "host"),
        ("/../../admin", "path"),
        ("../x", "path"),
        ("https://127.0.0.1:8765/public/deployment/x", "scheme"),
    ],
)
def test_a_target_outside_the_api_is_refused_with_the_url_masked(
    path: str, difference: UrlDifference
) -> None:
    with pytest.raises(UrlOutsideApi) as raised:
        ApiRequest.parse(f"{path}?key=secret-value").url_under(API)
    assert raised.value.difference == difference
    assert raised.value.api_url == API.value
    assert "secret-value" not in repr(raised.value)
    assert raised.value.url.endswith("?***")


def test_the_method_is_get_without_a_body_and_post_with_one() -> None:
    assert ApiRequest.parse("/x").method == "GET"
    assert ApiRequest.parse("/x", input_file="body.json").method == "POST"
    assert ApiRequest.parse("/x", fields=["a=1"]).method == "POST"
    assert ApiRequest.parse("/x", method="delete").method == "DELETE"
    assert ApiRequest.parse("/x", method="PUT", input_file="-").body == InputFile("-")


@pytest.mark.parametrize(
    "method", ["GE T", "GET\nX", "", "PO/ST", "G3T", "nano_valid_ada_7Kq2xR9mZ4"]
)
def test_a_method_that_is_no_http_method_is_refused_unshown(method: str) -> None:
    with pytest.raises(InvalidMethod) as raised:
        ApiRequest.parse("/x", method=method)
    assert repr(raised.value) == "InvalidMethod()"


def test_fields_make_a_json_object_of_strings_sent_as_json() -> None:
    request = ApiRequest.parse("/deploy/BUILD", fields=["serviceName=web", "access=public", "n=1="])
    assert request.method == "POST"
    assert isinstance(request.body, bytes)
    assert json.loads(request.body) == {"serviceName": "web", "access": "public", "n": "1="}
    assert request.headers == (("Content-Type", "application/json"),)


def test_a_content_type_given_with_fields_is_kept() -> None:
    request = ApiRequest.parse(
        "/x", headers=["content-type: application/vnd.x+json"], fields=["a=b"]
    )
    assert request.headers == (("content-type", "application/vnd.x+json"),)


def test_with_get_the_fields_are_query_parameters_in_order() -> None:
    request = ApiRequest.parse(
        "/package-list", method="GET", fields=["searchTerm=a b", "format=json", "tag=x", "tag=y"]
    )
    assert request.body is None
    assert request.path == "/package-list?searchTerm=a+b&format=json&tag=x&tag=y"
    assert request.typed == "/package-list"
    with_query = ApiRequest.parse("/p?x=1#top", method="HEAD", fields=["y=2"])
    assert with_query.path == "/p?x=1&y=2#top"


@pytest.mark.parametrize(
    ("header", "want"),
    [
        ("Accept: application/json", ("Accept", "application/json")),
        ("X-Empty:", ("X-Empty", "")),
        ("X-Colons: a:b:c ", ("X-Colons", "a:b:c")),
        ("  X-Padded  :  v", ("X-Padded", "v")),
    ],
)
def test_headers_are_name_colon_value(header: str, want: tuple[str, str]) -> None:
    assert ApiRequest.parse("/x", headers=[header]).headers == (want,)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("nano_valid_ada_7Kq2xR9mZ4", "no_colon"),
        (": value", "bad_name"),
        ("Bad Name: value", "bad_name"),
        ("X-Split: a\r\nInjected: b", "line_break"),
    ],
)
def test_a_malformed_header_is_refused_without_its_value(header: str, problem: str) -> None:
    with pytest.raises(MalformedHeader) as raised:
        ApiRequest.parse("/x", headers=[header])
    assert raised.value.problem == problem
    assert "value" not in repr(raised.value)
    assert "nano_valid" not in repr(raised.value)


@pytest.mark.parametrize("name", ["Authorization", "authorization", "HOST", "Host"])
def test_authorization_and_host_cannot_be_set(name: str) -> None:
    with pytest.raises(ForbiddenHeader) as raised:
        ApiRequest.parse("/x", headers=[f"{name}: Bearer other-token-1234"])
    assert raised.value.name in ("Authorization", "Host")
    assert "other-token" not in repr(raised.value)


@pytest.mark.parametrize(
    ("field", "problem"),
    [("nano_valid_ada_7Kq2xR9mZ4", "no_equals"), ("=value", "empty_key")],
)
def test_a_malformed_field_is_refused_without_its_value(field: str, problem: str) -> None:
    with pytest.raises(MalformedField) as raised:
        ApiRequest.parse("/x", fields=[field])
    assert raised.value.problem == problem
    assert "nano_valid" not in repr(raised.value)


def test_a_key_given_twice_in_a_json_body_is_refused() -> None:
    with pytest.raises(MalformedField) as raised:
        ApiRequest.parse("/x", fields=["a=1", "a=2"])
    assert (raised.value.problem, raised.value.key) == ("repeated_key", "a")


def test_fields_and_input_together_are_refused() -> None:
    with pytest.raises(FieldsWithInput):
        ApiRequest.parse("/x", fields=["a=1"], input_file="body.json")


def test_only_get_and_head_without_a_streamed_body_are_retried() -> None:
    assert ApiRequest.parse("/x").retried
    assert ApiRequest.parse("/x", method="HEAD").retried
    assert not ApiRequest.parse("/x", method="POST").retried
    assert not ApiRequest.parse("/x", method="GET", input_file="-").retried


def test_the_path_is_shown_as_typed_with_its_query_masked() -> None:
    request = ApiRequest.parse("/package-list?searchTerm=secret", method="GET", fields=["a=b"])
    assert request.shown_path == "/package-list?***"
