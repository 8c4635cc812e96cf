"""Non-interactive token sources: the --token option (or stdin for `--token -`) and the env;
and the wrapper that says with -v which source gave the token."""

from __future__ import annotations

import os
from collections.abc import Mapping

from nanoctl.adapters.diagnostics import Diagnostics, TokenFound
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.domain.errors import MalformedToken, TokenFromTerminal
from nanoctl.domain.model import MAX_TOKEN_INPUT, Token, TokenOrigin
from nanoctl.domain.ports import TokenSource

ENV_TOKEN = "NANOSERVICES_TOKEN"
READ_FROM_STDIN = "-"


class EnvironmentTokenSource:
    """``NANOSERVICES_TOKEN``. Set but empty is an error, not "unset": in CI that is
    almost always a secret that did not reach the job, and saying so saves an hour."""

    origin = TokenOrigin.ENVIRONMENT

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        self._environ = environ

    def read(self) -> Token | None:
        value = self._environ.get(ENV_TOKEN)
        if value is None:
            return None
        return Token.parse(value, self.origin)


class FlagTokenSource:
    """``--token VALUE``, or ``--token -`` to read one token from standard input.

    ``value`` is the option exactly as given (None: not given); it becomes a Token only
    when read, so a malformed value is reported in order, after any warning about it.
    """

    __slots__ = ("_terminal", "_value")

    def __init__(self, value: str | None, terminal: Terminal) -> None:
        self._value = value
        self._terminal = terminal

    def __repr__(self) -> str:
        return f"FlagTokenSource(origin={self.origin.value!r})"

    @property
    def origin(self) -> TokenOrigin:
        return TokenOrigin.STDIN if self._value == READ_FROM_STDIN else TokenOrigin.FLAG

    def read(self) -> Token | None:
        if self._value is None:
            return None
        if self.origin is TokenOrigin.FLAG:
            return Token.parse(self._value, TokenOrigin.FLAG)
        return self._read_stdin()

    def _read_stdin(self) -> Token:
        if self._terminal.stdin_isatty:
            raise TokenFromTerminal()
        # Bounded, so a runaway pipe is not slurped into memory; generous, so whitespace
        # around the token (an editor's padding, a here-doc's blank lines) is trimmed in
        # full and the token is then judged by the 1 to 4096 characters rule.
        data = self._terminal.stdin.read(MAX_TOKEN_INPUT + 1)
        if len(data) > MAX_TOKEN_INPUT:
            raise MalformedToken("too_much_input", TokenOrigin.STDIN)
        return Token.parse(data, TokenOrigin.STDIN)


class AnnouncedTokenSource:
    """``source``, reporting (-v) that its token is the one in use as soon as it gives
    one: before any request, so the line is there when the API rejects it."""

    __slots__ = ("_diagnostics", "_source")

    def __init__(self, source: TokenSource, diagnostics: Diagnostics) -> None:
        self._source = source
        self._diagnostics = diagnostics

    def __repr__(self) -> str:
        return f"AnnouncedTokenSource({self._source!r})"

    @property
    def origin(self) -> TokenOrigin:
        return self._source.origin

    def read(self) -> Token | None:
        token = self._source.read()
        if token is not None:
            self._diagnostics.info(TokenFound(self._source.origin))
        return token
