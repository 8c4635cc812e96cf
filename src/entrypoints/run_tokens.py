"""The tokens a run has met, so that no profile name or URL equal to one is ever shown: a
token pasted where a name goes (``NANOCTL_PROFILE="$TOKEN"``) must not come back in a
status line, a -v line or an error, as no token file path does.

RunTokens starts with what the command line and the environment hold as given (the
--token value, NANOSERVICES_TOKEN) and learns the others as the use cases read them (a
token file, standard input, the prompt, the stored credential): the container hands its
``add`` to the sources and the store it announces (-v).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from nanoctl.domain.model import Token


class RunTokens:
    """Every token this run has met, in memory only (never written anywhere)."""

    __slots__ = ("_tokens",)

    def __init__(self, environ: Mapping[str, str], flag: str | None = None) -> None:
        given = [environ.get("NANOSERVICES_TOKEN"), None if flag == "-" else flag]
        self._tokens = [Token(value.strip()) for value in given if value and value.strip()]

    def __repr__(self) -> str:
        return f"RunTokens({len(self._tokens)} tokens)"

    def __iter__(self) -> Iterator[Token]:
        return iter(tuple(self._tokens))

    def add(self, token: Token) -> None:
        if not any(token == known for known in self._tokens):
            self._tokens.append(token)
