"""Small working in-memory implementations of the ports, with state to assert on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

from nanoctl.domain.api_request import ApiRequest
from nanoctl.domain.errors import InvalidToken
from nanoctl.domain.events import Event
from nanoctl.domain.model import ApiUrl, Credential, Identity, ProfileName, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import OutputMasking
from nanoctl.domain.store_errors import StorageError


class FakeTokenSource:
    def __init__(self, origin: TokenOrigin, value: str | None = None) -> None:
        self.origin = origin
        self._value = value
        self.reads = 0
        self.error: Exception | None = None

    def read(self) -> Token | None:
        self.reads += 1
        if self.error is not None:
            raise self.error
        return None if self._value is None else Token.parse(self._value, self.origin)


class FakeTokenValidator:
    """Answers from a table: token value -> identity or the error to raise.

    Tokens not in the table are invalid; every token seen is recorded.
    """

    def __init__(self, answers: Mapping[str, Identity | Exception]) -> None:
        self._answers = dict(answers)
        self.seen: list[tuple[str, str]] = []

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        self.seen.append((token.reveal(), api_url.value))
        answer = self._answers.get(token.reveal(), InvalidToken())
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeSecretStore:
    def __init__(self, credential: Credential | None = None) -> None:
        self.credential = credential
        self.load_error: StorageError | None = None
        self.save_error: StorageError | None = None
        self.saves = 0

    @property
    def location(self) -> str:
        return "/fake/credentials"

    @property
    def key_location(self) -> str:
        return "/fake/key"

    def load(self) -> Credential | None:
        if self.load_error is not None:
            raise self.load_error
        return self.credential

    def save(self, credential: Credential) -> None:
        if self.save_error is not None:
            raise self.save_error
        self.saves += 1
        self.credential = credential

    def delete(self) -> bool:
        had = self.holds_credential()
        self.credential = None
        self.load_error = None
        return had

    def holds_credential(self) -> bool:
        return self.credential is not None or self.load_error is not None


class CountingStore(FakeSecretStore):
    """A FakeSecretStore that counts its loads (each is a decryption, maybe a keyring call)."""

    def __init__(self, credential: Credential | None = None) -> None:
        super().__init__(credential)
        self.loads = 0

    def load(self) -> Credential | None:
        self.loads += 1
        return super().load()


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


class FakeReplaceConfirmation:
    """Answers ``answer``; ``can_ask`` False is -n or no terminal (then nobody is asked and
    the answer is no)."""

    def __init__(
        self, answer: bool | Callable[[Credential], bool] = False, *, can_ask: bool = True
    ) -> None:
        self._answer = answer
        self.can_ask = can_ask
        self.asked: list[Credential] = []

    def confirm_replace(self, current: Credential) -> bool:
        if not self.can_ask:
            return False
        self.asked.append(current)
        return self._answer(current) if callable(self._answer) else self._answer


class FakeCommandRunner:
    """Runs nothing: records each command with the credential it was handed (and the
    masking asked for, in ``maskings``), and answers with ``status`` (or raises ``error``,
    as a program that does not start)."""

    def __init__(self, status: int = 0) -> None:
        self.status = status
        self.error: Exception | None = None
        self.runs: list[tuple[list[str], Credential]] = []
        self.maskings: list[OutputMasking] = []

    def run(self, command: Sequence[str], credential: Credential, masking: OutputMasking) -> int:
        if self.error is not None:
            raise self.error
        self.runs.append((list(command), credential))
        self.maskings.append(masking)
        return self.status


class RecordingWarnings:
    """Warnings kept as events, to assert on what an adapter warned about."""

    def __init__(self) -> None:
        self.events: list[object] = []

    def warn(self, event: Event) -> None:
        self.events.append(event)


class FakeProfiles:
    """Profiles as a table: name -> its store. Listed as the real ones are: those whose
    store holds something, ``default`` first, then by name."""

    def __init__(self, stores: Mapping[str, FakeSecretStore] | None = None) -> None:
        self.stores: dict[str, FakeSecretStore] = dict(stores or {})

    def names(self) -> list[ProfileName]:
        held = [name for name, store in self.stores.items() if store.holds_credential()]
        ordered = sorted(held, key=lambda name: (name != "default", name))
        return [ProfileName(name) for name in ordered]

    def store_of(self, name: ProfileName) -> FakeSecretStore:
        return self.stores.setdefault(name.value, FakeSecretStore())


class FakeApiAnswer:
    """An ApiAnswer with a fixed head and body (in ``pieces``, as it would arrive)."""

    def __init__(
        self,
        status: int = 200,
        headers: Sequence[tuple[str, str]] = (("Content-Type", "application/json"),),
        pieces: Sequence[bytes] = (b"{}",),
        *,
        reason: str = "OK",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.reason = reason
        self.version = "HTTP/1.1"
        self.headers = tuple(headers)
        self.retry_after = retry_after
        self.pieces = list(pieces)
        self.closed = False

    def chunks(self) -> Iterator[bytes]:
        yield from self.pieces

    def close(self) -> None:
        self.closed = True


class FakeApiClient:
    """Sends nothing: records each request with its URL and credential, and answers with
    ``answer`` (or raises ``error``)."""

    def __init__(self, answer: FakeApiAnswer | None = None) -> None:
        self.answer = answer or FakeApiAnswer()
        self.error: Exception | None = None
        self.sent: list[tuple[ApiRequest, str, Credential]] = []

    def send(self, request: ApiRequest, url: str, credential: Credential) -> FakeApiAnswer:
        if self.error is not None:
            raise self.error
        self.sent.append((request, url, credential))
        return self.answer
