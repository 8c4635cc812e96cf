"""When a failed attempt is tried again, and after how long.

Connection failures, 502/503/504 and 429 are retried up to ``max_attempts`` attempts in
all, with exponential backoff and jitter; a Retry-After up to ``retry_after_cap`` seconds
is honoured, a longer one fails at once. Nothing is slept past the call's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from nanoctl.adapters.http.failures import Failure


def _random() -> float:
    import random  # here: ~1 ms that only a retry needs

    return random.random()  # noqa: S311 - jitter, not cryptography


class RetryPolicy:
    """``sleep`` and ``jitter`` (a float in [0, 1)) are injected so tests wait for nothing."""

    __slots__ = ("backoff", "jitter", "max_attempts", "retry_after_cap", "sleep")

    def __init__(
        self,
        max_attempts: int = 3,
        retry_after_cap: float = 5.0,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = _random,
    ) -> None:
        self.max_attempts = max(1, int(max_attempts))
        self.retry_after_cap = max(0.0, float(retry_after_cap))
        self.backoff = max(0.0, float(backoff))
        self.sleep = sleep
        self.jitter = jitter

    def __repr__(self) -> str:
        return f"RetryPolicy(max_attempts={self.max_attempts})"

    def delay(self, failure: Failure, attempt: int, remaining: float) -> float | None:
        """How long to wait after ``attempt`` failed, or None to give up now;
        ``remaining`` is how long the call may still take."""
        if not failure.retryable or attempt >= self.max_attempts:
            return None
        if failure.retry_after is not None:
            if failure.retry_after > self.retry_after_cap:
                return None  # the server asked for longer than we are willing to wait
            delay = failure.retry_after
        else:
            delay = self.backoff * 2 ** (attempt - 1) * (0.5 + self.jitter())
        if delay >= remaining:
            return None  # never sleep past the deadline
        return delay


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.replace(".", "", 1).isdigit() and len(text) <= 12:
        return float(text)
    import email.utils  # here: only an HTTP-date Retry-After needs it (~3 ms)

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
