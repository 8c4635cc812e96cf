"""Where adapters report what they did, for `-v` and `-vvv`. Never given a secret.

A decision (``info``) is reported as an event of facts; the entrypoint words it, like an
error. Wire detail (``debug``) is a trace line, as ``curl -v`` prints one, or an event
when it needs words (a failure). Facts with no words, as the errors are: so they live in
the domain, which the adapters that report them and the entrypoint that words them (and
implements Diagnostics on its terminal) both import, and neither imports the other.
"""

from __future__ import annotations

from typing import Protocol

from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import KeyringFault


class Event:
    """A decision worth knowing with -v. Its facts are attributes; it has no words."""

    __slots__: tuple[str, ...] = ()

    def __repr__(self) -> str:
        facts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({facts})"


class Diagnostics(Protocol):
    def info(self, event: Event) -> None:
        """A decision worth knowing with -v: which source, which URL, where the key is."""
        ...

    def debug(self, detail: str | Event) -> None:
        """Wire-level detail shown with -vvv: method, URL, status, timing."""
        ...


class Warnings(Protocol):
    def warn(self, event: Event) -> None:
        """Something the user should know even without -v: one line on stderr."""
        ...


class Silent:
    """Diagnostics (and Warnings) that go nowhere: the default for library use and tests."""

    def info(self, event: Event) -> None:
        pass

    def debug(self, detail: str | Event) -> None:
        pass

    def warn(self, event: Event) -> None:
        pass


# --- where the token comes from ---------------------------------------------------------


class TokenFound(Event):
    """A token source gave the token this run uses (said before it is sent anywhere)."""

    __slots__ = ("origin",)

    def __init__(self, origin: TokenOrigin) -> None:
        self.origin = origin


# --- what the HTTP adapter decides ----------------------------------------------------


class Retrying(Event):
    """``attempt`` failed with ``error``; the next one starts after ``delay`` seconds."""

    __slots__ = ("attempt", "delay", "error", "max_attempts")

    def __init__(self, error: NanoctlError, delay: float, attempt: int, max_attempts: int) -> None:
        self.error = error
        self.delay = delay
        self.attempt = attempt
        self.max_attempts = max_attempts


class NoAnswer(Event):
    """An attempt got no HTTP answer within ``milliseconds``: ``error`` says why (-vvv)."""

    __slots__ = ("error", "milliseconds")

    def __init__(self, error: NanoctlError, milliseconds: int) -> None:
        self.error = error
        self.milliseconds = milliseconds


class RequestSent(Event):
    """A request made for the user (`nanoctl api`) is sent: ``method`` to ``url`` (its
    query masked), attempt ``attempt`` of at most ``max_attempts``."""

    __slots__ = ("attempt", "max_attempts", "method", "url")

    def __init__(self, method: str, url: str, attempt: int, max_attempts: int) -> None:
        self.method = method
        self.url = url
        self.attempt = attempt
        self.max_attempts = max_attempts


class AnswerArrived(Event):
    """Its answer's head arrived after ``milliseconds``: ``status`` and ``reason`` (masked)."""

    __slots__ = ("milliseconds", "reason", "status")

    def __init__(self, status: int, reason: str, milliseconds: int) -> None:
        self.status = status
        self.reason = reason
        self.milliseconds = milliseconds


# --- what the store decides --------------------------------------------------------------


class CredentialSaved(Event):
    __slots__ = ("key_location", "path")

    def __init__(self, path: str, key_location: str) -> None:
        self.path = path
        self.key_location = key_location


class CredentialRead(Event):
    __slots__ = ("key_location", "path")

    def __init__(self, path: str, key_location: str) -> None:
        self.path = path
        self.key_location = key_location


class CredentialRemoved(Event):
    """The credential at ``path`` was removed, with its key or without."""

    __slots__ = ("key_removed", "path")

    def __init__(self, path: str, *, key_removed: bool) -> None:
        self.path = path
        self.key_removed = key_removed


class LeftoverKeyRemoved(Event):
    """A key was removed although no credential was at ``path``."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class PreviousKeyKept(Event):
    """A replaced credential's key stays at ``key_location``: it could not be removed."""

    __slots__ = ("key_location",)

    def __init__(self, key_location: str) -> None:
        self.key_location = key_location


class KeyKeptInKeyring(Event):
    __slots__ = ("key_location",)

    def __init__(self, key_location: str) -> None:
        self.key_location = key_location


class KeyringNotUsed(Event):
    """The keyring could not keep a new key (``fault``); it went to ``fallback``."""

    __slots__ = ("fallback", "fault")

    def __init__(self, fault: KeyringFault, fallback: str) -> None:
        self.fault = fault
        self.fallback = fallback


class KeyringKeyLeft(Event):
    """A key could not be removed from the keyring at ``key_location`` (``fault``)."""

    __slots__ = ("fault", "key_location")

    def __init__(self, key_location: str, fault: KeyringFault) -> None:
        self.key_location = key_location
        self.fault = fault


# --- what the token sources notice ------------------------------------------------------


class TokenFileExposed(Event):
    """The token file ``path`` (from ``origin``) can be read by others: ``mode``'s bits."""

    __slots__ = ("mode", "origin", "path")

    def __init__(self, path: str, mode: int, origin: TokenOrigin) -> None:
        self.path = path
        self.mode = mode
        self.origin = origin
