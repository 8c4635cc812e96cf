"""The body of a 200 from ``GET {base}/login``, parsed into an Identity.

Tolerant where SPEC section 3 asks for it (field aliases, missing fields, unknown
fields), strict about types. Errors name only our field names: pydantic's own messages
quote the input, which is the server's to choose.
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

from nanoctl.domain.api_errors import (
    BadField,
    FieldProblem,
    MalformedBody,
    NotJson,
    UnexpectedResponse,
)
from nanoctl.domain.errors import InactiveToken
from nanoctl.domain.model import Identity

MAX_USERNAME_LENGTH = 320

# What a field that fails validation is said to be, by its name.
_FIELD_PROBLEMS: dict[str, FieldProblem] = {
    "active": "missing_or_not_boolean",
    "username": "not_a_string",
    "email": "not_a_string",
    "user": "not_a_string",
    "expires_at": "not_a_string",
    "exp": "not_a_number",
}


def _optional(schema: core_schema.CoreSchema) -> core_schema.TypedDictField:
    return core_schema.typed_dict_field(core_schema.nullable_schema(schema), required=False)


# What a 200 body may say; only ``active`` is required, unknown fields are ignored.
# Validated by pydantic-core, pydantic's engine, directly: a BaseModel would cost pydantic,
# pydantic.main, pydantic.types, annotated_types and a schema build, ~100 ms on every login.
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

        Raises UnusableExpiry (which field, why) when present but unusable.
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
        raise NotJson(url)
    if not isinstance(document, dict):
        raise MalformedBody(url, "not_an_object")
    # An inactive token is reported as such even when the rest of the body is odd.
    if document.get("active") is False:
        raise InactiveToken()
    response: LoginResponse | None = None
    problem: UnexpectedResponse | None = None
    try:
        response = LoginResponse.model_validate(document)
    except _PydanticValidationError as error:
        problem = _describe(error, url)
    if response is None:
        raise problem or MalformedBody(url, "undocumented_shape")
    if not response.active:  # pragma: no cover - answered above; kept for the reader
        raise InactiveToken()
    username = response.name()
    if username is not None:
        if len(username) > MAX_USERNAME_LENGTH:
            raise MalformedBody(url, "username_too_long")
        if any(_is_control(c) for c in username):
            raise MalformedBody(url, "username_control_characters")
    expires_at: datetime | None = None
    try:
        expires_at = response.expiry()
    except UnusableExpiry as unusable:
        problem = BadField(url, unusable.field, unusable.problem)
    if problem is not None:
        raise problem
    return Identity(username=username, expires_at=expires_at)


_NOT_JSON = object()

# Bidirectional overrides and isolates: they can make a name display as another.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _is_control(char: str) -> bool:
    """Characters that could drive a terminal or disguise the name when printed."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def _describe(error: _PydanticValidationError, url: str) -> BadField | None:
    """The first of our fields that failed validation (pydantic's own words quote the input)."""
    for detail in error.errors(include_input=False, include_url=False):
        location = detail.get("loc", ())
        if location and isinstance(location[0], str) and location[0] in _FIELD_PROBLEMS:
            return BadField(url, location[0], _FIELD_PROBLEMS[location[0]])
    return None


class UnusableExpiry(ValueError):
    """An expiry field that is there but cannot be a date."""

    def __init__(self, field: str, problem: FieldProblem) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem: FieldProblem = problem


def _parse_iso(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UnusableExpiry("expires_at", "not_iso_date") from None
    if moment.tzinfo is None:
        # No offset: the documented format is UTC ("Z"), so read it as UTC.
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise UnusableExpiry("expires_at", "out_of_range") from None


def _parse_unix(value: float) -> datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise UnusableExpiry("exp", "not_finite")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise UnusableExpiry("exp", "out_of_range") from None
