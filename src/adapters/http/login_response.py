"""The body of a 200 from ``GET {base}/login``, parsed into an Identity.

Tolerant where SPEC section 3 asks for it (field aliases, missing fields, unknown
fields), strict about types. Error messages are ours and name only our field names:
pydantic's own messages quote the input, which is the server's to choose.
"""

from __future__ import annotations

import contextlib
import json
import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic_core import SchemaValidator, core_schema
from pydantic_core import ValidationError as _PydanticValidationError

from nanoctl.domain.errors import InactiveToken, UnexpectedResponse
from nanoctl.domain.model import Identity

MAX_USERNAME_LENGTH = 320

_FIELD_PROBLEMS = {
    "active": "the field 'active' is missing or not a boolean",
    "username": "the field 'username' is not a string",
    "email": "the field 'email' is not a string",
    "user": "the field 'user' is not a string",
    "expires_at": "the field 'expires_at' is not a string",
    "exp": "the field 'exp' is not a number",
}


def _optional(schema: core_schema.CoreSchema) -> core_schema.TypedDictField:
    return core_schema.typed_dict_field(core_schema.nullable_schema(schema), required=False)


# What a 200 body may say; only ``active`` is required, unknown fields are ignored.
# Validated by pydantic-core, pydantic's engine, directly: it is already loaded (pydantic
# imports it), while a BaseModel costs pydantic.main, pydantic.types, annotated_types and
# a schema build, ~100 ms on every login.
_STRICT_STR = core_schema.str_schema(strict=True)
_LOGIN_RESPONSE = SchemaValidator(
    core_schema.typed_dict_schema(
        {
            "active": core_schema.typed_dict_field(core_schema.bool_schema(strict=True)),
            "username": _optional(_STRICT_STR),
            "email": _optional(_STRICT_STR),
            "user": _optional(_STRICT_STR),
            "expires_at": _optional(_STRICT_STR),
            "exp": _optional(
                core_schema.union_schema(
                    [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True)],
                    mode="left_to_right",
                )
            ),
        },
        extra_behavior="ignore",
    )
)


@dataclass(frozen=True)
class LoginResponse:
    """A validated 200 body."""

    active: bool
    username: str | None = None
    email: str | None = None
    user: str | None = None
    expires_at: str | None = None
    exp: int | float | None = None

    @classmethod
    def model_validate(cls, document: object) -> LoginResponse:
        return cls(**_LOGIN_RESPONSE.validate_python(document))

    def name(self) -> str | None:
        """The first non-blank of ``username``, ``email``, ``user``."""
        for candidate in (self.username, self.email, self.user):
            if candidate is not None and candidate.strip():
                return candidate.strip()
        return None

    def expiry(self) -> datetime | None:
        """``expires_at`` when present, else ``exp``; timezone-aware UTC.

        Raises ValueError (with a message of ours) when present but unusable.
        """
        if self.expires_at is not None and self.expires_at.strip():
            return _parse_iso(self.expires_at.strip())
        if self.exp is not None:
            return _parse_unix(self.exp)
        return None


def parse_login_response(body: bytes, url: str) -> Identity:
    """The identity in a 200 body from the API at ``url``.

    Raises InactiveToken for ``"active": false`` and UnexpectedResponse for anything
    that is not the documented shape: not JSON, not an object, wrong types, an
    unparseable expiry, a username with control characters.
    """
    # Every raise below happens outside an ``except`` block, so no foreign exception
    # (some carry the body, e.g. JSONDecodeError.doc) is chained to ours.
    document: object = _NOT_JSON
    # ValueError: JSONDecodeError, bad UTF-8, huge ints. RecursionError: deep nesting.
    with contextlib.suppress(ValueError, RecursionError):
        document = json.loads(body)
    if document is _NOT_JSON:
        raise UnexpectedResponse(url, "the body is not JSON")
    if not isinstance(document, dict):
        raise UnexpectedResponse(url, "the body is not a JSON object")
    # An inactive token is reported as such even when the rest of the body is odd.
    if document.get("active") is False:
        raise InactiveToken()
    response: LoginResponse | None = None
    problem = ""
    try:
        response = LoginResponse.model_validate(document)
    except _PydanticValidationError as error:
        problem = _describe(error)
    if response is None:
        raise UnexpectedResponse(url, problem)
    if not response.active:  # pragma: no cover - answered above; kept for the reader
        raise InactiveToken()
    username = response.name()
    if username is not None:
        if len(username) > MAX_USERNAME_LENGTH:
            raise UnexpectedResponse(url, "the username is implausibly long")
        if any(_is_control(c) for c in username):
            raise UnexpectedResponse(url, "the username contains control characters")
    expires_at: datetime | None = None
    try:
        expires_at = response.expiry()
    except ValueError as error:
        problem = str(error)  # ours: only _parse_iso/_parse_unix raise it, with our text
    if problem:
        raise UnexpectedResponse(url, problem)
    return Identity(username=username, expires_at=expires_at)


_NOT_JSON = object()

# Bidirectional overrides and isolates: they can make a name display as another.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _is_control(char: str) -> bool:
    """Characters that could drive a terminal or disguise the name when printed."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def _describe(error: _PydanticValidationError) -> str:
    for detail in error.errors(include_input=False, include_url=False):
        location = detail.get("loc", ())
        if location and isinstance(location[0], str) and location[0] in _FIELD_PROBLEMS:
            return _FIELD_PROBLEMS[location[0]]
    return "the body does not have the documented fields"


def _parse_iso(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("the field 'expires_at' is not an ISO 8601 date") from None
    if moment.tzinfo is None:
        # No offset: the documented format is UTC ("Z"), so read it as UTC.
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the field 'expires_at' is out of range") from None


def _parse_unix(value: float) -> datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("the field 'exp' is not a finite number")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError("the field 'exp' is out of range") from None
