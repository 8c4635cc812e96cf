"""The ports the use cases depend on. Adapters implement them; tests fake them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from nanoctl.domain.model import ApiUrl, Credential, Identity, ProfileName, Token
from nanoctl.domain.origins import TokenOrigin

if TYPE_CHECKING:  # only `nanoctl api` loads its request (every command loads the ports)
    from nanoctl.domain.api_request import ApiRequest


class TokenSource(Protocol):
    """One place a token can come from: a flag, stdin, a file, the environment, a prompt."""

    @property
    def origin(self) -> TokenOrigin:
        """Where its token comes from (which option, variable or file), for the words;
        read-only."""
        ...

    def read(self) -> Token | None:
        """The token, or None when this source has none to give.

        Raises MalformedToken for a value that is not a token, Cancelled when the
        user aborts, NoTokenAvailable when it would have to prompt without a terminal.
        """
        ...


class TokenValidator(Protocol):
    """Asks the API whom a token belongs to."""

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        """The identity behind ``token``.

        Raises TokenRejected (invalid, inactive, expired, forbidden) when the API says
        no, ApiUnavailable when the API cannot be used.
        """
        ...


class SecretStore(Protocol):
    """Keeps at most one credential, encrypted, across runs."""

    @property
    def location(self) -> str:
        """Where the credential lives, for humans (a path)."""
        ...

    @property
    def key_location(self) -> str:
        """Where the encryption key lives, for humans (keyring name or path)."""
        ...

    def load(self) -> Credential | None:
        """The stored credential, or None when nothing is stored.

        Raises StorageError when something is stored but cannot be used safely.
        Never modifies what is stored.
        """
        ...

    def save(self, credential: Credential) -> None:
        """Replace the stored credential atomically; on failure the old one survives."""
        ...

    def delete(self) -> bool:
        """Remove the credential and its key; True when there was something to remove."""
        ...

    def holds_credential(self) -> bool:
        """Whether a credential is stored, told without reading it: no lock, no key, no
        keyring (which could ask for a desktop unlock). Never raises."""
        ...


class Profiles(Protocol):
    """The profiles side by side, each with a store of its own."""

    def names(self) -> list[ProfileName]:
        """The profiles that hold a credential (or what is left of one), ``default`` first,
        then by name; told from directory entries, without reading any credential.
        Never raises."""
        ...

    def store_of(self, name: ProfileName) -> SecretStore:
        """The store of profile ``name`` (built, not read: nothing is touched on disk)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class ReplaceConfirmation(Protocol):
    """Asks the user whether a stored credential may be replaced."""

    @property
    def can_ask(self) -> bool:
        """Whether someone can be asked at all (a terminal, no -n); read-only."""
        ...

    def confirm_replace(self, current: Credential) -> bool:
        """True only on an explicit yes; False when declined or when nobody can be asked.

        Raises Cancelled when the user aborts the question.
        """
        ...


OutputMasking = Literal["off", "not_at_terminal", "always"]
"""Where the program `nanoctl exec` runs has the token hidden in its output (stdout and
stderr): ``not_at_terminal`` (the default) in each one nobody watches at a terminal (a
log, a pipe, a file, an agent's tool call), ``always`` at a terminal too, ``off`` in none."""


class CommandRunner(Protocol):
    """Runs another program with a credential, the way `nanoctl exec` hands it over."""

    def run(self, command: Sequence[str], credential: Credential, masking: OutputMasking) -> int:
        """Run ``command`` (a program and its arguments) with the credential's token and API
        URL in its environment, never in its arguments, on this process's standard streams;
        wait for it. Where ``masking`` says, its output reaches them with every form of the
        token (``masking.token_forms``) replaced by ``***`` as it streams, none of it held
        past the program's end. Its exit status as a shell reports it: its own code, or
        128+N when signal N ended it.

        Raises CommandNotFound or CommandNotExecutable when it cannot be started.
        """
        ...


class ApiAnswer(Protocol):
    """The API's answer to a request made for the user: its head at once, its body as it
    arrives. Closed by ``close()``, read or not."""

    @property
    def status(self) -> int: ...

    @property
    def reason(self) -> str:
        """The reason phrase (``OK``, ``Not Found``), as the server sent it."""
        ...

    @property
    def version(self) -> str:
        """``HTTP/1.1``: the protocol of the status line."""
        ...

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """Every header as received, in order, a repeated name repeated."""
        ...

    @property
    def retry_after(self) -> float | None:
        """The seconds its Retry-After asks to wait (None: none, or unreadable)."""
        ...

    def chunks(self) -> Iterator[bytes]:
        """The body, decoded (gzip, deflate), as it arrives: any size, never all in memory.

        Raises ApiUnreachable when the connection is cut, or silent for longer than the
        timeout.
        """
        ...

    def close(self) -> None:
        """Let go of the connection (a body not read is dropped)."""
        ...


class ApiClient(Protocol):
    """Sends requests made for the user to the platform's API (`nanoctl api`)."""

    def send(self, request: ApiRequest, url: str, credential: Credential) -> ApiAnswer:
        """Send ``request`` to ``url`` (under ``credential.api_url``) with the credential's
        token, never following a redirect; its answer once its head has arrived, whatever
        its status. A GET or HEAD is sent again as a login's request is (no answer, 429,
        502, 503, 504; Retry-After honoured), within the deadline; the answer of the last
        attempt is returned.

        Raises ApiUnavailable when no answer came within the deadline, UrlOutsideApi for a
        ``url`` not under the API (nothing is sent), InputUnusable when the body's file
        cannot be read.
        """
        ...
