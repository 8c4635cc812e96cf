"""The 200 body of GET /login: aliases, expiry formats, tolerance, and hostile input."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanoctl.adapters.http.login_response import parse_login_response
from nanoctl.domain.api_errors import UnexpectedResponse
from nanoctl.domain.errors import InactiveToken, NanoctlError
from nanoctl.domain.model import Identity
from nanoctl.entrypoints.words.errors import explain

URL = "http://127.0.0.1:1/base"


def parse(document: object) -> Identity:
    return parse_login_response(json.dumps(document).encode(), URL)


def failure(document: object) -> UnexpectedResponse:
    with pytest.raises(UnexpectedResponse) as caught:
        parse(document)
    return caught.value


# --- field aliases ---------------------------------------------------------------------


def test_username_is_read_from_username() -> None:
    assert parse({"active": True, "username": "ada"}).username == "ada"


def test_username_falls_back_to_email_then_user() -> None:
    assert parse({"active": True, "email": "grace@example.com"}).username == "grace@example.com"
    assert parse({"active": True, "user": "linus"}).username == "linus"


def test_username_wins_over_email_and_user() -> None:
    body = {"active": True, "username": "ada", "email": "grace@example.com", "user": "linus"}
    assert parse(body).username == "ada"


def test_null_or_blank_username_falls_back_to_the_next_alias() -> None:
    assert parse({"active": True, "username": None, "email": "g@x.io"}).username == "g@x.io"
    assert parse({"active": True, "username": "  ", "user": "linus"}).username == "linus"


# --- expiry --------------------------------------------------------------------------


def test_expires_at_with_z_is_utc() -> None:
    identity = parse({"active": True, "expires_at": "2027-01-31T00:00:00Z"})
    assert identity.expires_at == datetime(2027, 1, 31, tzinfo=UTC)
    assert identity.expires_at.utcoffset() == timedelta(0)


def test_expires_at_with_an_offset_is_converted_to_utc() -> None:
    identity = parse({"active": True, "expires_at": "2027-01-31T02:00:00+02:00"})
    assert identity.expires_at == datetime(2027, 1, 31, tzinfo=UTC)
    assert identity.expires_at is not None and identity.expires_at.tzinfo is UTC


def test_expires_at_with_fractional_seconds_and_negative_offset() -> None:
    identity = parse({"active": True, "expires_at": "2027-01-30T19:00:00.250-05:00"})
    assert identity.expires_at == datetime(2027, 1, 31, 0, 0, 0, 250000, tzinfo=UTC)


def test_expires_at_without_offset_is_read_as_utc() -> None:
    identity = parse({"active": True, "expires_at": "2027-01-31T00:00:00"})
    assert identity.expires_at == datetime(2027, 1, 31, tzinfo=UTC)


def test_exp_as_integer_unix_seconds() -> None:
    identity = parse({"active": True, "exp": 1801353600})
    assert identity.expires_at == datetime(2027, 1, 31, tzinfo=UTC)


def test_exp_as_float_unix_seconds() -> None:
    identity = parse({"active": True, "exp": 1801353600.5})
    assert identity.expires_at == datetime(2027, 1, 31, 0, 0, 0, 500000, tzinfo=UTC)
    assert identity.expires_at.tzinfo is UTC


def test_expires_at_wins_over_exp() -> None:
    identity = parse({"active": True, "expires_at": "2027-01-31T00:00:00Z", "exp": 0})
    assert identity.expires_at == datetime(2027, 1, 31, tzinfo=UTC)


def test_missing_username_and_expiry_are_unknown_not_an_error() -> None:
    assert parse({"active": True}) == Identity(username=None, expires_at=None)


def test_unknown_fields_are_ignored() -> None:
    body = {"active": True, "username": "ada", "scopes": ["deploy"], "meta": {"x": 1}}
    assert parse(body).username == "ada"


def test_an_expired_but_active_token_is_returned_for_the_use_case_to_judge() -> None:
    past = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    identity = parse({"active": True, "username": "ada", "expires_at": past})
    assert identity.expires_at is not None and identity.expires_at < datetime.now(UTC)


# --- refusals ----------------------------------------------------------------------


def test_active_false_is_an_inactive_token() -> None:
    with pytest.raises(InactiveToken):
        parse({"active": False, "username": "ada"})


def test_active_false_wins_over_other_oddities() -> None:
    with pytest.raises(InactiveToken):
        parse({"active": False, "username": 42, "exp": "soon"})


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"<html>Sign in</html>", "the body is not JSON"),
        (b"", "the body is not JSON"),
        (b"\xff\xfe\x00garbage", "the body is not JSON"),
        (b"[1, 2]", "the body is not a JSON object"),
        (b'"active"', "the body is not a JSON object"),
        (b"null", "the body is not a JSON object"),
        (b"[" * 100_000, "the body is not JSON"),
        (b'{"active": true, "exp": ' + b"9" * 5000 + b"}", "the body is not JSON"),
    ],
)
def test_bodies_that_are_not_a_json_object(body: bytes, what: str) -> None:
    with pytest.raises(UnexpectedResponse) as caught:
        parse_login_response(body, URL)
    assert what in explain(caught.value).cause


@pytest.mark.parametrize(
    ("document", "what"),
    [
        ({}, "the field 'active' is missing or not a boolean"),
        ({"active": "yes", "username": 42}, "the field 'active' is missing or not a boolean"),
        ({"active": 1}, "the field 'active' is missing or not a boolean"),
        ({"active": "true"}, "the field 'active' is missing or not a boolean"),
        ({"active": True, "username": 42}, "the field 'username' is not a string"),
        ({"active": True, "email": ["a"]}, "the field 'email' is not a string"),
        ({"active": True, "user": {"name": "x"}}, "the field 'user' is not a string"),
        ({"active": True, "expires_at": 1801353600}, "the field 'expires_at' is not a string"),
        ({"active": True, "exp": "1801353600"}, "the field 'exp' is not a number"),
        ({"active": True, "exp": True}, "the field 'exp' is not a number"),
        ({"active": True, "expires_at": "next tuesday"}, "not an ISO 8601 date"),
        ({"active": True, "exp": 10**30}, "the field 'exp' is out of range"),
        ({"active": True, "exp": -(10**20)}, "the field 'exp' is out of range"),
        ({"active": True, "username": "ada\x1b[2J"}, "control characters"),
        ({"active": True, "username": "ad\u202ea"}, "control characters"),
        ({"active": True, "username": "a" * 1000}, "implausibly long"),
    ],
)
def test_wrong_types_and_values_are_unexpected_responses(document: object, what: str) -> None:
    error = failure(document)
    assert what in explain(error).cause
    assert URL in explain(error).cause


def test_non_finite_exp_is_refused() -> None:
    for body in (b'{"active": true, "exp": NaN}', b'{"active": true, "exp": Infinity}'):
        with pytest.raises(UnexpectedResponse) as caught:
            parse_login_response(body, URL)
        assert "not a finite number" in explain(caught.value).cause


def test_an_error_never_quotes_the_offending_value() -> None:
    secret = "nano_valid_ada_7Kq2xR9mZ4"
    for document in (
        {"active": secret},
        {"active": True, "username": [secret]},
        {"active": True, "expires_at": secret},
        {"active": True, "exp": secret},
    ):
        error = failure(document)
        assert secret not in str(error)
        assert secret not in repr(error)
        assert secret not in str(explain(error))
        assert error.__context__ is None
        assert error.__cause__ is None


# --- properties: whatever the server sends -----------------------------------------------

_MESSAGE = re.compile(
    r"Unexpected response from the API at http://127\.0\.0\.1:1/base: "
    r"(the body is not JSON|the body is not a JSON object"
    r"|the field '(active|username|email|user|expires_at|exp)' [A-Za-z0-9 ]+"
    r"|the username [a-z ]+|the body does not have the documented fields)\."
)


def _check(body: bytes) -> None:
    try:
        identity = parse_login_response(body, URL)
    except NanoctlError as error:
        assert isinstance(error, (UnexpectedResponse, InactiveToken))
        if isinstance(error, UnexpectedResponse):
            cause = explain(error).cause
            assert _MESSAGE.fullmatch(cause), cause
        assert error.__context__ is None
    else:
        assert isinstance(identity, Identity)
        if identity.expires_at is not None:
            assert identity.expires_at.utcoffset() == timedelta(0)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=512))
def test_any_bytes_give_an_identity_or_a_domain_error(body: bytes) -> None:
    _check(body)


# String values all carry a marker no message of ours contains, so "the message does not
# contain any string value" is a sharp check, not a coincidence of short strings.
_MARK = "zq\u00df"
_values = st.text(max_size=20).map(lambda text: _MARK + text)
_keys = st.sampled_from(["active", "username", "email", "user", "expires_at", "exp"]) | _values
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _values
)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=5),
    max_leaves=12,
)


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings_in(item)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings_in(v)]]
    return []


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _json, max_size=7) | _json)
def test_any_json_gives_an_identity_or_a_domain_error_that_quotes_nothing(
    document: object,
) -> None:
    body = json.dumps(document).encode()
    _check(body)
    try:
        parse_login_response(body, URL)
    except NanoctlError as error:
        rendered = f"{error} {error!r} {explain(error)}"
        for value in _strings_in(document):
            if value.startswith(_MARK):
                assert value not in rendered
        assert _MARK not in rendered


@settings(max_examples=200)
@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(9998, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
    ),
    st.sampled_from(["username", "email", "user"]),
)
def test_any_valid_expiry_round_trips_as_utc(moment: datetime, alias: str) -> None:
    identity = parse({"active": True, alias: "ada", "expires_at": moment.isoformat()})
    assert identity.username == "ada"
    assert identity.expires_at == moment
    assert identity.expires_at is not None and identity.expires_at.tzinfo is UTC
