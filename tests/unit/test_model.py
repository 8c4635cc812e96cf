"""The token and API URL value objects: what users type and what must never leak."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanoctl.domain.errors import InsecureApiUrl, InvalidApiUrl, MalformedToken, NanoctlError
from nanoctl.domain.model import ApiUrl, Token, masked_url
from nanoctl.domain.origins import TokenOrigin

SECRET = "nano_secret_value_1234"


def test_token_never_shows_in_repr_str_or_format() -> None:
    token = Token.parse(SECRET, TokenOrigin.FLAG)
    for text in (repr(token), str(token), f"{token}", f"{token!r}", repr([token])):
        assert SECRET not in text


def test_token_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Token.parse(SECRET, TokenOrigin.FLAG))


def test_masked_token_shows_only_a_prefix_and_the_last_four() -> None:
    assert Token.parse(SECRET, TokenOrigin.FLAG).masked() == "nano…1234"
    assert Token.parse("short", TokenOrigin.FLAG).masked() == "****"


@given(st.text(max_size=5000))
def test_any_input_is_a_token_or_a_malformed_error_that_does_not_echo_it(raw: str) -> None:
    try:
        token = Token.parse(raw, TokenOrigin.PROMPT)
    except MalformedToken as error:
        stripped = raw.strip()
        if len(stripped) >= 12:  # shorter strings can occur in any sentence
            assert stripped not in str(error)
    else:
        value = token.reveal()
        assert 1 <= len(value) <= 4096
        assert all(0x21 <= ord(c) <= 0x7E for c in value)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("https://api.example.com/public/deployment/", "https://api.example.com/public/deployment"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:1/x", "http://localhost:1/x"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_api_url_keeps_its_path_prefix(raw: str, want: str) -> None:
    url = ApiUrl.parse(raw)
    assert url.value == want
    assert url.join("login") == f"{want}/login"


@pytest.mark.parametrize(
    "spelling",
    [
        "http://LOCALHOST:8080/Public/P",
        "HTTP://localhost:8080/Public/P/",
        "Http://LocalHost:8080/Public/P",
    ],
)
def test_scheme_and_host_are_case_insensitive_the_path_is_not(spelling: str) -> None:
    url = ApiUrl.parse(spelling)
    assert url == ApiUrl.parse("http://localhost:8080/Public/P")
    assert url.value == "http://localhost:8080/Public/P"
    assert url != ApiUrl.parse("http://localhost:8080/public/p")


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("http://api.example.com", InsecureApiUrl),
        ("http://10.0.0.1", InsecureApiUrl),
        ("ftp://api.example.com", InvalidApiUrl),
        ("api.example.com", InvalidApiUrl),
        ("https://user:pw@api.example.com", InvalidApiUrl),
        ("https://api.example.com:99999", InvalidApiUrl),
        ("https://", InvalidApiUrl),
    ],
)
def test_unusable_api_urls_are_refused(raw: str, error: type[NanoctlError]) -> None:
    with pytest.raises(error):
        ApiUrl.parse(raw)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("https://user:pw@api.example.com/base", "https://***@api.example.com/base"),
        ("https://pw@api.example.com", "https://***@api.example.com"),
        ("https://u:p@ss@api.example.com", "https://***@api.example.com"),
        ("https://u:pa/ss@api.example.com/x", "https://***@api.example.com/x"),
        ("https://api.example.com/base?key=k1&b=2", "https://api.example.com/base?***"),
        ("https://api.example.com/base#key", "https://api.example.com/base#***"),
        ("https://api.example.com/b?k=1#f", "https://api.example.com/b?***#***"),
        ("https://api.example.com/b#f?k=1", "https://api.example.com/b#***"),
        ("u:pw@api.example.com/x", "***@api.example.com/x"),
        ("https://api.example.com/base", "https://api.example.com/base"),
    ],
)
def test_a_url_is_shown_with_its_userinfo_query_and_fragment_masked(raw: str, shown: str) -> None:
    assert masked_url(raw) == shown


@pytest.mark.parametrize(
    "raw",
    [
        "https://user:s3cret@api.example.com",
        "https://api.example.com/?key=s3cret",
        "https://api.example.com/#s3cret",
        "http://user:s3cret@api.example.com",
        "https://user:s3cret@api.example.com:port/",
        "ftp://user:s3cret@api.example.com",
    ],
)
def test_an_unusable_url_is_refused_without_its_secret_in_the_error(raw: str) -> None:
    with pytest.raises((InvalidApiUrl, InsecureApiUrl)) as caught:
        ApiUrl.parse(raw)
    for text in (str(caught.value), repr(caught.value), *map(str, caught.value.args)):
        assert "s3cret" not in text


@pytest.mark.parametrize(
    ("raw", "loopback"),
    [
        ("http://127.0.0.1:8080/x", True),
        ("http://127.8.9.10", True),
        ("http://localhost:1", True),
        ("http://[::1]:8080", True),
        ("https://api.example.com", False),
        ("https://10.0.0.1", False),
    ],
)
def test_an_api_url_knows_whether_it_is_on_this_machine(raw: str, loopback: bool) -> None:
    assert ApiUrl.parse(raw).loopback is loopback
