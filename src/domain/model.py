"""Value objects of authentication: the token, the API it is for, who it belongs to."""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nanoctl.domain.errors import (
    InsecureApiUrl,
    InvalidApiUrl,
    InvalidProfileName,
    MalformedToken,
    TokenProblem,
)
from nanoctl.domain.origins import ProfileNameOrigin, TokenOrigin
from nanoctl.domain.token_shapes import token_shape

if TYPE_CHECKING:
    from nanoctl.domain.url_scope import UrlDifference

MAX_TOKEN_LENGTH = 4096
MAX_TOKEN_INPUT = 1024 * 1024
"""The most characters read from a pipe for one token, surrounding whitespace included:
enough for any token padded by any editor, and a runaway pipe is not slurped."""
PIPE_WAIT = 20.0
"""How long a pipe named as the token file may take to deliver it (a password manager
asking to unlock): bounded, so a writer that never writes cannot hold nanoctl."""
EXPIRY_WARNING = timedelta(days=7)
REDACTED = "[redacted]"
"""What is shown where a token would appear (``Token.redact``)."""
DEFAULT_API_URL = "https://runner.dac-us-east-1.deskree.com/public/deployment"
PROFILE_NAME_RULE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
"""A profile name: 1 to 32 lower-case letters, digits, ``_`` or ``-``, not starting with
``_`` or ``-``; it is a directory name, so it can hold no ``/``, ``.`` or upper case that a
case-insensitive file system would fold."""


class Value:
    """A small value, equal to another of its class with the same slots, shown by them.

    For values every run builds: defining a frozen dataclass costs about 1 ms at import
    (its generated methods are compiled then), a class of these costs nothing measurable.
    Its fields are not enforced read-only; nothing assigns them after ``__init__``.
    """

    __slots__: tuple[str, ...] = ()

    def _facts(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._facts() == other._facts()

    def __hash__(self) -> int:
        return hash(self._facts())

    def __repr__(self) -> str:
        facts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({facts})"


class Token:
    """An API token. Its value leaves this object only through ``reveal()``.

    ``repr``/``str`` never show it, and construction rejects anything that is not
    1 to 4096 visible ASCII characters without echoing the input.
    """

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        self._secret = secret

    @classmethod
    def parse(cls, raw: str, origin: TokenOrigin) -> Token:
        value = raw.strip()
        shape = token_shape(value)  # `NAME=…`, quotes, `Bearer …`: said as such
        if shape is not None:
            raise MalformedToken(shape[0], origin, variable=shape[1])
        problem = token_problem(value)
        if problem is not None:
            raise MalformedToken(problem, origin)
        return cls(value)

    def reveal(self) -> str:
        """The plain value, for the one place that must send or encrypt it."""
        return self._secret

    def masked(self) -> str:
        """A hint to recognise the token by: a short prefix and the last 4 characters."""
        value = self.reveal()
        if len(value) < 16:
            return "****" + value[-2:] if len(value) >= 8 else "****"
        return f"{value[:4]}…{value[-4:]}"

    def redact(self, text: str) -> str:
        """``text`` with this token replaced by ``[redacted]``: a name or a value shown to
        the user (a program, a username the API sent back) may be the token itself."""
        secret = self.reveal()
        return text.replace(secret, REDACTED) if secret in text else text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return hmac.compare_digest(self.reveal().encode(), other.reveal().encode())

    __hash__ = None  # type: ignore[assignment]  # equal by secret value: never a dict key

    def __repr__(self) -> str:
        return "Token('**********')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Token is not picklable")


def token_problem(value: str) -> TokenProblem | None:
    """Why ``value`` is not a token, or None if it is one: 1 to 4096 visible ASCII
    characters, which is also what an HTTP header can carry."""
    if not value:
        return "empty"
    if len(value) > MAX_TOKEN_LENGTH:
        return "too_long"
    if any(c in "\r\n" for c in value):
        return "several_lines"
    if not all("\x21" <= c <= "\x7e" for c in value):
        return "bad_characters"
    return None


class ApiUrl(Value):
    """The base URL of the Nanoservices API; may carry a path prefix."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    @classmethod
    def parse(cls, raw: str) -> ApiUrl:
        url = raw.strip()
        shown = masked_url(url)  # errors never carry its userinfo, query or fragment
        try:
            parts = urlsplit(url)
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as error:
            raise InvalidApiUrl(shown, "unparseable") from error
        if parts.scheme not in ("https", "http"):
            raise InvalidApiUrl(shown, "not_http")
        if not host:
            raise InvalidApiUrl(shown, "no_host")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise InvalidApiUrl(shown, "extras")
        if parts.scheme == "http" and not _is_loopback(host):
            raise InsecureApiUrl(shown)
        return cls(_normalised(url, parts.scheme))

    @property
    def loopback(self) -> bool:
        """On this machine (localhost, 127.0.0.0/8, ::1). Such an API is contacted
        directly, never through a proxy, as browsers do: a proxy would see a plain-http
        token, and a remote one would reach its own loopback, not ours."""
        return _is_loopback(urlsplit(self.value).hostname or "")

    def join(self, path: str) -> str:
        """Append ``path`` to the base without losing its prefix."""
        return f"{self.value}/{path.lstrip('/')}"

    def contains(self, url: str) -> bool:
        """Whether the absolute ``url`` lies under this API, where its token may go."""
        return self.difference(url) is None

    def difference(self, url: str) -> UrlDifference | None:
        """How the absolute ``url`` lies outside this API, or None when it lies under it
        (the rules are in ``url_scope``)."""
        from nanoctl.domain.url_scope import difference  # only a request for the user asks

        return difference(self.value, url)

    def __str__(self) -> str:
        return self.value


def _normalised(url: str, scheme: str) -> str:
    """``url`` with its scheme and host in lower case (RFC 3986: they are
    case-insensitive, so ``HTTP://LOCALHOST:8080/p`` is the API of ``http://localhost:8080/p``)
    and no trailing slash; the path keeps its case. One spelling per API, so that every
    comparison (a stored credential's URL, the profile bound to a URL) is plain equality."""
    rest = url.split("://", 1)[1]
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://{netloc.lower()}{slash}{path}".rstrip("/")


def masked_url(raw: str) -> str:
    """``raw`` as it may be shown: userinfo, query and fragment each replaced by ``***``.

    Textual, so that a URL too broken to parse is masked as well; anything up to the
    last ``@`` before the query counts as userinfo (a password may hold a ``/``).
    """
    rest = raw
    tail = ""
    for mark in ("#", "?"):
        if mark in rest:
            rest = rest[: rest.index(mark)]
            tail = f"{mark}***{tail}"
    start = rest.index("//") + 2 if "//" in rest else 0
    if "@" in rest[start:]:
        rest = f"{rest[:start]}***@{rest[rest.rindex('@') + 1 :]}"
    return rest + tail


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ProfileName(Value):
    """The name of a profile: a credential and the API URL it is bound to, side by side
    with the others (``default``, ``staging``, ``dev``). Ordered by name."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __lt__(self, other: ProfileName) -> bool:
        return self.value < other.value

    @classmethod
    def parse(cls, raw: str, origin: ProfileNameOrigin) -> ProfileName:
        if PROFILE_NAME_RULE.fullmatch(raw) is None:
            raise InvalidProfileName(raw, origin)
        return cls(raw)

    @property
    def is_default(self) -> bool:
        return self.value == DEFAULT_PROFILE

    def __str__(self) -> str:
        return self.value


DEFAULT_PROFILE = "default"


class Identity(Value):
    """Who a token belongs to, as the API reports it. Either part may be unknown."""

    __slots__ = ("username", "expires_at")  # noqa: RUF023 - the order its repr shows

    def __init__(self, username: str | None = None, expires_at: datetime | None = None) -> None:
        self.username = username
        self.expires_at = expires_at


class Credential(Value):
    """A token with what we know about it: the API it is for and whom it identifies."""

    __slots__ = ("token", "api_url", "identity", "saved_at")  # noqa: RUF023 - as above

    def __init__(
        self, token: Token, api_url: ApiUrl, identity: Identity, saved_at: datetime | None = None
    ) -> None:
        self.token = token
        self.api_url = api_url
        self.identity = identity
        self.saved_at = saved_at

    def knowing(self, identity: Identity) -> Credential:
        """This credential with what is now known of whom it identifies."""
        return Credential(self.token, self.api_url, identity, self.saved_at)


class Expiry(Value):
    """How a known expiry relates to now."""

    __slots__ = ("expires_at", "now")

    def __init__(self, expires_at: datetime | None, now: datetime) -> None:
        self.expires_at = expires_at
        self.now = now

    @property
    def known(self) -> bool:
        return self.expires_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= self.now

    @property
    def days_left(self) -> int | None:
        """Whole days until expiry, counting a started day (29.9 days left is 30);
        0 or negative once expired."""
        if self.expires_at is None:
            return None
        seconds = (self.expires_at - self.now).total_seconds()
        return math.ceil(seconds / 86400) if seconds > 0 else math.floor(seconds / 86400)

    @property
    def soon(self) -> bool:
        """Within the warning window, but not yet past."""
        return (
            self.expires_at is not None
            and not self.expired
            and self.expires_at - self.now <= EXPIRY_WARNING
        )
