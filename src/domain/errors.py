"""Every failure nanoctl can report, as one hierarchy.

Each class carries a stable ``kind`` (for ``--json`` and scripts), a one-line
``message`` naming the cause and a ``hint`` naming the next step. Messages are
written by us, never copied from a foreign exception, so they cannot carry the
token. The mapping from class to exit code lives in the entrypoint, in one table.
"""

from __future__ import annotations

TOKEN_PAGE = "https://atomic.deskree.com/auth/access/token"


class NanoctlError(Exception):
    """Base of every error nanoctl reports to a user."""

    kind = "error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


# --- exit 2: the user asked for something we cannot do -----------------------


class UsageError(NanoctlError):
    kind = "usage"


class MalformedToken(UsageError):
    kind = "malformed_token"

    def __init__(self, reason: str, origin: str) -> None:
        super().__init__(
            f"The token from {origin} is malformed: {reason}.",
            "Copy the whole token again; it is 1 to 4096 visible ASCII characters.",
        )


class NoTokenAvailable(UsageError):
    kind = "no_token"

    def __init__(self, *, ci: bool, no_interaction: bool = False) -> None:
        if ci:
            hint = (
                "In CI, store the token as a secret and expose it as NANOSERVICES_TOKEN, "
                "or pipe it to `nanoctl login --token -`."
            )
        else:
            hint = (
                "Set NANOSERVICES_TOKEN, pipe it to `nanoctl login --token -`, "
                "or run `nanoctl login` in a terminal."
            )
        cause = (
            "No token given, and --no-interaction forbids prompting for one."
            if no_interaction
            else "No token given and no terminal to prompt for one."
        )
        super().__init__(cause, hint)


class InsecureApiUrl(UsageError):
    kind = "insecure_api_url"

    def __init__(self, url: str) -> None:
        super().__init__(
            f"Refusing to send the token over plain HTTP to {url}.",
            "Use an https:// API URL (plain http is allowed only for loopback addresses).",
        )


class InvalidApiUrl(UsageError):
    kind = "invalid_api_url"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"The API URL {url!r} is not usable: {reason}.",
            "Pass a full URL such as https://api.example.com/base with --api-url "
            "or NANOSERVICES_API_URL.",
        )


# --- exit 1: nothing to work with -------------------------------------------


class NotLoggedIn(NanoctlError):
    kind = "not_logged_in"

    def __init__(self, message: str = "You are not logged in.", hint: str = "") -> None:
        super().__init__(
            message,
            hint or "Run `nanoctl login`, or set NANOSERVICES_TOKEN.",
        )


class CredentialForOtherApi(NotLoggedIn):
    """The stored credential was created for another API; it is never sent elsewhere."""

    kind = "api_mismatch"

    def __init__(self, stored_url: str, current_url: str) -> None:
        super().__init__(
            f"The stored credential is for {stored_url}, not {current_url}; it was not sent.",
            f"Run `nanoctl login --api-url {current_url}` to log in there, "
            f"or use --api-url {stored_url}.",
        )


# --- exit 3: the API said no --------------------------------------------------


class TokenRejected(NanoctlError):
    kind = "rejected"


class InvalidToken(TokenRejected):
    kind = "invalid_token"

    def __init__(self) -> None:
        super().__init__(
            "The API rejected the token as invalid.",
            f"Create a new token on {TOKEN_PAGE} and log in again.",
        )


class InactiveToken(TokenRejected):
    kind = "inactive_token"

    def __init__(self) -> None:
        super().__init__(
            "The token is no longer active (revoked or expired).",
            f"Create a new token on {TOKEN_PAGE} and log in again.",
        )


class ExpiredToken(TokenRejected):
    kind = "expired_token"

    def __init__(self, who: str, when: str) -> None:
        super().__init__(
            f"The token{who} expired on {when}.",
            f"Create a new token on {TOKEN_PAGE} and run `nanoctl login`.",
        )


class ForbiddenToken(TokenRejected):
    kind = "forbidden_token"

    def __init__(self) -> None:
        super().__init__(
            "The token is valid but lacks permission to log in (HTTP 403).",
            f"Create a token with access to the platform on {TOKEN_PAGE}.",
        )


# --- exit 4: the API could not be used ----------------------------------------


class ApiUnavailable(NanoctlError):
    kind = "api_unavailable"


class ApiUnreachable(ApiUnavailable):
    kind = "unreachable"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"Could not reach the API at {url}: {reason}.",
            "Check your network; NANOSERVICES_API_URL or --api-url sets the API URL.",
        )


class TlsFailure(ApiUnavailable):
    kind = "tls"

    def __init__(self, url: str) -> None:
        super().__init__(
            f"TLS verification failed for {url}: the certificate is not trusted.",
            "If you are behind a proxy with its own CA, point REQUESTS_CA_BUNDLE at its "
            "certificate; otherwise check NANOSERVICES_API_URL.",
        )


class RateLimited(ApiUnavailable):
    kind = "rate_limited"

    def __init__(self, url: str, retry_after: float | None) -> None:
        when = _after(retry_after) if retry_after is not None else "in a minute"
        super().__init__(
            f"The API at {url} is rate limiting requests (HTTP 429).",
            f"Try again {when}.",
        )
        self.retry_after = retry_after


class ServerError(ApiUnavailable):
    kind = "server_error"

    def __init__(self, url: str, status: int) -> None:
        super().__init__(
            f"The API at {url} failed with HTTP {status}.",
            "This is a problem on the server side; try again in a few minutes.",
        )
        self.status = status


class UnexpectedResponse(ApiUnavailable):
    kind = "unexpected_response"

    def __init__(self, url: str, what: str) -> None:
        super().__init__(
            f"Unexpected response from the API at {url}: {what}.",
            "Check that NANOSERVICES_API_URL points at the Nanoservices API.",
        )


def _after(seconds: float) -> str:
    """'in 5 s', 'in 3 min', 'in 2 h' — when a rate limit lifts, for humans."""
    if seconds < 90:
        return f"in {max(1, round(seconds))} s"
    if seconds < 3600:
        return f"in {round(seconds / 60)} min"
    return f"in {round(seconds / 3600)} h"


# --- exit 5: the local credential store --------------------------------------


class StorageError(NanoctlError):
    kind = "storage"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(
            message,
            hint or "Run `nanoctl logout` to clear the stored credential, then log in again.",
        )


class CorruptedStore(StorageError):
    kind = "corrupted_store"


class UnsafeStore(StorageError):
    kind = "unsafe_store"


class StoreWriteFailed(StorageError):
    kind = "store_write_failed"


class NewerStoreFormat(StorageError):
    """Written by a newer nanoctl: upgrading fixes it, so it is never overwritten."""

    kind = "newer_store_format"


class KeyringUnavailable(StorageError):
    """The key is in the OS keyring, which is locked or not running right now."""

    kind = "keyring_unavailable"


# --- exit 130 ------------------------------------------------------------------


class Cancelled(NanoctlError):
    kind = "cancelled"

    def __init__(self) -> None:
        super().__init__("Authentication cancelled.")


# --- exit 1: our own fault ------------------------------------------------------


class InternalError(NanoctlError):
    kind = "internal"
