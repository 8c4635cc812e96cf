"""Helpers for the HTTP validator tests: a validator with short limits whose retries cost
no wall time, a recorder of diagnostics, and checks that no token shows up in an error."""

from __future__ import annotations

import platform
import socket
import sys
import traceback
from typing import Any

import pytest

import reference_server as ref
from nanoctl.adapters.http.retries import RetryPolicy
from nanoctl.adapters.http.sending_rules import SendingRules
from nanoctl.adapters.http.transport import MAX_BODY, HttpLimits
from nanoctl.adapters.http.validator import RequestsTokenValidator
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.events import Event
from nanoctl.domain.model import ApiUrl, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words.errors import explain
from nanoctl.entrypoints.words.events import note

USER_AGENT = (
    f"nanoctl/0.1.0 (python {sys.version_info.major}.{sys.version_info.minor}; "
    f"{platform.system().lower()}-{platform.machine()})"
)
ALL_TOKENS = tuple(ref.TOKENS.values())


class Recorder:
    """Diagnostics and sleep in one: keeps every line and every requested pause."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.sleeps: list[float] = []

    def info(self, event: Event) -> None:
        self.lines.append(f"info: {note(event)}")

    def debug(self, detail: str | Event) -> None:
        self.lines.append(f"debug: {detail if isinstance(detail, str) else note(detail)}")

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)  # retries in tests cost no wall time


def make(
    recorder: Recorder,
    *,
    timeout: float = 5.0,
    deadline: float = 10.0,
    max_body: int = MAX_BODY,
    **retries: Any,
) -> RequestsTokenValidator:
    """A validator with short limits whose retries cost no wall time (``retries`` go to
    the RetryPolicy: max_attempts, retry_after_cap, backoff, sleep)."""
    policy: dict[str, Any] = {"sleep": recorder.sleep, "jitter": lambda: 0.5, **retries}
    return RequestsTokenValidator(
        SendingRules(
            USER_AGENT,
            limits=HttpLimits(timeout=timeout, deadline=deadline, max_body=max_body),
            retries=RetryPolicy(**policy),
            diagnostics=recorder,
        )
    )


def token(value: str) -> Token:
    return Token.parse(value, TokenOrigin.FLAG)


def rendered(error: BaseException) -> list[str]:
    """Every way an error can be shown, for it and everything chained to it."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), *(repr(arg) for arg in current.args)]
        if isinstance(current, NanoctlError):
            texts.append(str(explain(current)))
        current = current.__cause__ or current.__context__
    return texts


def assert_no_token_in(error: BaseException, *extra: str) -> None:
    for text in rendered(error):
        for secret in (*ALL_TOKENS, *extra):
            assert secret not in text, f"the token leaked into {type(error).__name__}"


def assert_clean(lines: list[str], *extra: str) -> None:
    for line in lines:
        for secret in (*ALL_TOKENS, *extra):
            assert secret not in line


def fail(validator: RequestsTokenValidator, value: str | Token, url: str) -> NanoctlError:
    """The domain error ``validate`` raises, after checking it leaks nothing."""
    credential = value if isinstance(value, Token) else token(value)
    with pytest.raises(NanoctlError) as caught:
        validator.validate(credential, ApiUrl.parse(url))
    error = caught.value
    assert_no_token_in(error, credential.reveal())
    # Our errors are raised outside except blocks: nothing foreign is even attached.
    assert error.__cause__ is None
    assert error.__context__ is None
    return error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
