"""How nanoctl sends to the API, whichever request it is: who it says it is (User-Agent),
its limits and retries, where it reports (-v, -vvv), its clock. One object, built once by
the container, so a login's check and `nanoctl api` can never drift apart."""

from __future__ import annotations

import time
from collections.abc import Callable

from nanoctl.adapters.http.retries import RetryPolicy
from nanoctl.adapters.http.transport import HttpLimits
from nanoctl.domain.events import Diagnostics, Silent


class SendingRules:
    """How a client sends, whichever API it is bound to: who it says it is, its limits
    and retries, where it reports (-v, -vvv), its clock."""

    __slots__ = ("clock", "diagnostics", "limits", "retries", "user_agent")

    def __init__(
        self,
        user_agent: str,
        *,
        limits: HttpLimits | None = None,
        retries: RetryPolicy | None = None,
        diagnostics: Diagnostics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.limits = limits or HttpLimits()
        self.retries = retries or RetryPolicy()
        self.diagnostics: Diagnostics = diagnostics or Silent()
        self.clock = clock
