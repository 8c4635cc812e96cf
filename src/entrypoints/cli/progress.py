"""One transient line while the API is being asked, at a terminal only.

After Enter at the prompt, or `login -t -`, nothing else would show until the API answers
(up to the deadline, 30 s by default): "Checking the token with https://…" says what is
happening, and is erased when the answer comes, so what follows reads as it would
without it. Never where it would be read later or by a program: not into a pipe or a
file, not in CI, not with -q, --json or -v (whose lines it would get in the way of).
``shows_progress`` is that rule, in one place; agent mode (issue #25) switches it off
there too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from nanoctl.entrypoints.settings import running_in_ci
from nanoctl.entrypoints.words.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.model import ApiUrl, Identity, Token
    from nanoctl.domain.ports import TokenValidator
    from nanoctl.entrypoints.invocation import Invocation


def shows_progress(invocation: Invocation) -> bool:
    """Whether this run may show the transient line: a command line whose stderr is a
    terminal someone watches (not CI, not a coding agent), without -q, -v or --json."""
    io = invocation.io
    if io is None or running_in_ci(invocation.environ):
        return False
    from nanoctl.entrypoints.cli.terminal_lines import (
        agent_of,
        stream_of,
        terminal_width,
        wants_json,
    )

    if agent_of(io).on:  # an agent reads a transcript: a line erased there is noise (#25)
        return False
    if io.output.is_quiet() or io.is_verbose() or wants_json(io):
        return False
    return terminal_width(stream_of(io.error_output)) is not None


class CheckingLine:
    """The TokenValidator ``validator``, showing on the terminal ``stream`` which API it is
    asking while it asks; ``secrets``: the run's tokens, never shown in the URL. Several
    profiles asked at once (`status --all`) share the one line."""

    def __init__(self, validator: TokenValidator, stream: TextIO, secrets: Iterable[Token]) -> None:
        self._validator = validator
        self._stream = stream
        self._secrets = secrets
        self._lock = threading.Lock()
        self._asking: list[str] = []
        self._shown = 0

    @classmethod
    def for_run(
        cls, validator: TokenValidator, invocation: Invocation, secrets: Iterable[Token]
    ) -> TokenValidator:
        """``validator``, showing the line while it asks when this run may (the container's
        validator; the Python API's, with no terminal, is ``validator`` itself)."""
        if invocation.io is None or not shows_progress(invocation):
            return validator
        # Here: cleo's outputs, which only a command line has loaded.
        from nanoctl.entrypoints.cli.terminal_lines import stream_of

        stream = stream_of(invocation.io.error_output)
        return validator if stream is None else cls(validator, stream, secrets)

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        url = Context(secrets=tuple(self._secrets)).shown(api_url.value)
        with self._lock:
            self._asking.append(url)
            self._draw()
        try:
            return self._validator.validate(token, api_url)
        finally:
            with self._lock:
                self._asking.remove(url)
                self._draw()

    def _draw(self) -> None:
        """The line for what is being asked now (erased when nothing is), within the
        terminal's width: a line that wrapped could not be erased."""
        from nanoctl.entrypoints.cli.terminal_lines import terminal_width

        text = checking(self._asking)
        width = terminal_width(self._stream) or 0
        if len(text) + _ECHO >= width:
            text = checking(["the API"] * len(self._asking)) if self._asking else ""
            if len(text) + _ECHO >= width:
                text = ""
        # What was there goes, and the ^C a terminal echoes after it when Ctrl-C is typed.
        cleared = self._shown + _ECHO if self._shown else 0
        try:
            self._stream.write("\r" + text.ljust(cleared) + "\r" + text)
            self._stream.flush()
        except (OSError, ValueError):  # the terminal went away: nothing to erase then
            return
        self._shown = len(text)


_ECHO = len("^C")
"""What a terminal echoes of a Ctrl-C typed while the line shows: erased with it."""


def checking(urls: list[str]) -> str:
    """'Checking the token with https://…' ('' when nothing is being asked)."""
    if not urls:
        return ""
    if len(urls) == 1:
        return f"Checking the token with {urls[0]}…"
    return f"Checking {len(urls)} tokens, each with its API…"
