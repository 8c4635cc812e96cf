"""Non-interactive token sources: the --token option (or stdin for `--token -`), the
--token-file option, and the environment (NANOSERVICES_TOKEN or NANOSERVICES_TOKEN_FILE);
and the wrapper that says with -v which source gave the token."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from nanoctl.domain.errors import ConflictingTokenSources, MalformedToken, TokenFromTerminal
from nanoctl.domain.events import Diagnostics, Silent, TokenFound, Warnings
from nanoctl.domain.model import MAX_TOKEN_INPUT, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import TokenSource

if TYPE_CHECKING:  # a run that reads no flag builds no terminal
    from nanoctl.adapters.terminal.terminal import Terminal

ENV_TOKEN = "NANOSERVICES_TOKEN"
ENV_TOKEN_FILE = "NANOSERVICES_TOKEN_FILE"
READ_FROM_STDIN = "-"


class EnvironmentTokenSource:
    """``NANOSERVICES_TOKEN``, or the file ``NANOSERVICES_TOKEN_FILE`` names; both set is
    a usage error. Set but empty (or blank) counts as unset, as gh treats an empty GH_TOKEN:
    in CI that is a secret that did not reach the job, and the login the user is told to
    run next must work. The entrypoint warns about it, once."""

    def __init__(
        self, environ: Mapping[str, str] = os.environ, warnings: Warnings | None = None
    ) -> None:
        self._environ = environ
        self._warnings = warnings or Silent()

    @property
    def origin(self) -> TokenOrigin:
        if self._set(ENV_TOKEN_FILE) is not None and self._set(ENV_TOKEN) is None:
            return TokenOrigin.ENVIRONMENT_FILE
        return TokenOrigin.ENVIRONMENT

    def read(self) -> Token | None:
        value = self._set(ENV_TOKEN)
        path = self._set(ENV_TOKEN_FILE)
        if value is not None and path is not None:
            raise ConflictingTokenSources(TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE)
        if path is not None:
            return _read_file(path, TokenOrigin.ENVIRONMENT_FILE, self._warnings)
        if value is None:
            return None
        return Token.parse(value, TokenOrigin.ENVIRONMENT)

    def _set(self, name: str) -> str | None:
        """The variable's value; None when it is unset, empty or blank."""
        value = self._environ.get(name)
        return value if value is not None and value.strip() else None


class FlagTokenSource:
    """``--token VALUE``, ``--token -`` to read one token from standard input, or
    ``--token-file PATH``; --token and --token-file together are a usage error.

    ``value`` and ``file`` are the options exactly as given (None: not given); they become
    a Token only when read, so a malformed value is reported in order, after any warning
    about it.
    """

    __slots__ = ("_file", "_terminal", "_value", "_warnings")

    def __init__(
        self,
        value: str | None,
        terminal: Terminal,
        file: str | None = None,
        warnings: Warnings | None = None,
    ) -> None:
        self._value = value
        self._terminal = terminal
        self._file = file
        self._warnings = warnings or Silent()

    def __repr__(self) -> str:
        return f"FlagTokenSource(origin={self.origin.value!r})"

    @property
    def origin(self) -> TokenOrigin:
        if self._value is None and self._file is not None:
            return TokenOrigin.FILE
        return TokenOrigin.STDIN if self._value == READ_FROM_STDIN else TokenOrigin.FLAG

    def read(self) -> Token | None:
        if self._value is not None and self._file is not None:
            raise ConflictingTokenSources(self.origin, TokenOrigin.FILE)
        if self._file is not None:
            return _read_file(self._file, TokenOrigin.FILE, self._warnings)
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


def _read_file(path: str, origin: TokenOrigin, warnings: Warnings) -> Token:
    # Imported here: a module every command would load (~0.2 ms) for the few runs that
    # name a token file.
    from nanoctl.adapters.terminal.token_file import read_token_file

    return read_token_file(path, origin, warnings)


class AnnouncedTokenSource:
    """``source``, reporting (-v) that its token is the one in use as soon as it gives
    one: before any request, so the line is there when the API rejects it. The token goes
    to ``seen`` too (the entrypoint's list of tokens never to show as a name)."""

    __slots__ = ("_diagnostics", "_seen", "_source")

    def __init__(
        self,
        source: TokenSource,
        diagnostics: Diagnostics,
        seen: Callable[[Token], None] | None = None,
    ) -> None:
        self._source = source
        self._diagnostics = diagnostics
        self._seen = seen

    def __repr__(self) -> str:
        return f"AnnouncedTokenSource({self._source!r})"

    @property
    def origin(self) -> TokenOrigin:
        return self._source.origin

    def read(self) -> Token | None:
        token = self._source.read()
        if token is not None:
            self._diagnostics.info(TokenFound(self._source.origin))
            if self._seen is not None:
                self._seen(token)
        return token
