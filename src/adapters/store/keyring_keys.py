"""The encryption key in the OS keyring (the ``keyring`` package), else in the key file.

``keyring`` is imported lazily (~100 ms, and a D-Bus connection on Linux) and every call
into it runs in a daemon thread with a deadline: a keyring that raises, hangs or is
locked never blocks a login, it only moves new keys to the file (said on ``-v``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nanoctl.adapters.store.keys import (
    KEY_FILE,
    KEYRING_LOCATION,
    SERVICE,
    FileKeyStore,
    KeyPlace,
    KeyStore,
    decode_key,
    encode_key,
    new_key,
    sound_key,
)
from nanoctl.adapters.store.store_directory import StoreDirectory, store_directory
from nanoctl.domain.events import (
    Diagnostics,
    KeyKeptInKeyring,
    KeyringKeyLeft,
    KeyringNotUsed,
    Silent,
)
from nanoctl.domain.store_errors import KeyringFault, KeyringUnavailable

_T = TypeVar("_T")


def choose_key_store(
    directory: Path | StoreDirectory,
    use_keyring: bool,
    diagnostics: Diagnostics | None = None,
    timeout: float = 3.0,
) -> KeyStore:
    """The key store for a credential in ``directory``.

    ``use_keyring`` is the user's choice (``NANOCTL_KEYRING``, read by the
    entrypoint). With it, keys go to the OS keyring when it has a real backend and
    answers within ``timeout`` seconds, else to ``<directory>/credentials.key``.
    Nothing is probed here: the keyring is asked only when a key is needed.
    """
    place = store_directory(directory)
    file = FileKeyStore(place.path / KEY_FILE, place)
    if not use_keyring:
        return file
    account = f"encryption-key:{os.path.abspath(place.path)}"
    return KeyringKeyStore(account, fallback=file, diagnostics=diagnostics, timeout=timeout)


class _KeyringFailure(Exception):
    """The keyring could not be used; ``fault`` says why (no secrets)."""

    def __init__(self, fault: KeyringFault) -> None:
        super().__init__(fault.problem)
        self.fault = fault


class KeyringKeyStore:
    """New keys in the OS keyring (``keyring`` package), else in ``fallback``.

    The keyring is used only when its backend is a real one: not ``fail``, not
    ``null``, not a chainer with nothing to chain, not a plaintext file. Each
    call is bounded by ``timeout``; once the keyring failed or timed out, this
    instance stops asking it (one slow keyring costs at most one timeout per run).
    """

    def __init__(
        self,
        account: str,
        fallback: FileKeyStore,
        diagnostics: Diagnostics | None = None,
        timeout: float = 3.0,
        service: str = SERVICE,
    ) -> None:
        self._account = account
        self._fallback = fallback
        self._diagnostics = diagnostics or Silent()
        self._timeout = timeout
        self._service = service
        self._failure: KeyringFault | None = None
        self._backend: str | None = None
        self._last: KeyPlace | None = None

    def __repr__(self) -> str:
        return f"KeyringKeyStore(service={self._service!r}, fallback={self._fallback!r})"

    @property
    def location(self) -> str:
        if self._last is not None:
            return self.location_of(self._last)
        if self._failure is not None:
            return self._fallback.location
        return f"{KEYRING_LOCATION}, or {self._fallback.location} without a usable keyring"

    def location_of(self, place: KeyPlace) -> str:
        return KEYRING_LOCATION if place == "keyring" else self._fallback.location

    # --- the KeyStore operations ------------------------------------------------------

    def get(self, place: KeyPlace) -> bytes | None:
        if place == "file":
            return self._fallback.get("file")
        try:
            raw = self._call(lambda keyring: keyring.get_password(self._service, self._account))
        except _KeyringFailure as failure:
            raise KeyringUnavailable(KEYRING_LOCATION, failure.fault) from None
        if raw is None:
            return None
        self._last = "keyring"
        return decode_key(str(raw), KEYRING_LOCATION)

    def get_or_create(self) -> tuple[KeyPlace, bytes]:
        def get_or_put(keyring: Any) -> bytes:
            existing = sound_key(keyring.get_password(self._service, self._account))
            if existing is not None:
                return existing
            key = new_key()
            keyring.set_password(self._service, self._account, encode_key(key))
            if keyring.get_password(self._service, self._account) != encode_key(key):
                raise _KeyringFailure(KeyringFault("lost_key"))
            return key

        try:
            key = self._call(get_or_put)
        except _KeyringFailure as failure:
            self._diagnostics.info(KeyringNotUsed(failure.fault, self._fallback.location))
            place, key = self._fallback.get_or_create()
            self._last = place
            return place, key
        self._diagnostics.info(KeyKeptInKeyring(KEYRING_LOCATION))
        self._last = "keyring"
        return "keyring", key

    def delete(self, place: KeyPlace | None = None) -> bool:
        removed = False
        if place in (None, "file"):
            removed = self._fallback.delete("file")
        if place in (None, "keyring"):
            removed = self._delete_from_keyring() or removed
        if place is None or place == self._last:
            self._last = None
        return removed

    def _delete_from_keyring(self) -> bool:
        def delete(keyring: Any) -> bool:
            from keyring.errors import PasswordDeleteError  # keyring: only when asked

            if keyring.get_password(self._service, self._account) is None:
                return False
            try:
                keyring.delete_password(self._service, self._account)
            except PasswordDeleteError:
                return False
            return True

        try:
            return self._call(delete)
        except _KeyringFailure as failure:
            if self._backend is not None:  # a real keyring that failed: worth saying
                self._diagnostics.info(KeyringKeyLeft(KEYRING_LOCATION, failure.fault))
            return False

    # --- talking to the keyring ---------------------------------------------------------

    def _call(self, operation: Callable[[Any], _T]) -> _T:
        """Run ``operation(backend)`` on a real backend within the deadline."""
        if self._failure is not None:
            raise _KeyringFailure(self._failure)

        def run() -> _T:
            import keyring  # ~100 ms and a D-Bus connection: only when a key is needed

            backend = keyring.get_keyring()
            if not _is_real_backend(backend):
                raise _KeyringFailure(KeyringFault("no_backend", _backend_name(backend)))
            self._backend = _backend_name(backend)
            return operation(backend)

        try:
            return _bounded(run, self._timeout)
        except _KeyringFailure as failure:
            self._failure = failure.fault
            raise


def _bounded(function: Callable[[], _T], timeout: float) -> _T:
    """``function()`` in a daemon thread; _KeyringFailure if it raises or overruns."""
    outcome: list[_T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # reported to the caller, never lost
            errors.append(error)
        finally:
            done.set()

    threading.Thread(target=target, name="nanoctl-keyring", daemon=True).start()
    if not done.wait(timeout):
        raise _KeyringFailure(KeyringFault("timeout", f"{timeout:g}"))
    if errors:
        error = errors[0]
        if isinstance(error, _KeyringFailure):
            raise error
        if type(error).__name__ == "KeyringLocked":
            raise _KeyringFailure(KeyringFault("locked"))
        # the class name only: a backend's message could quote what it was given
        raise _KeyringFailure(KeyringFault("raised", type(error).__name__))
    return outcome[0]


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_real_backend(backend: Any) -> bool:
    """A backend that keeps secrets protected: not fail/null/empty chainer/plaintext."""
    from keyring.backends import chainer, fail, null  # keyring: only when a key is needed

    if isinstance(backend, chainer.ChainerBackend):
        return any(_is_real_backend(inner) for inner in backend.backends)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    cls = type(backend)
    if cls.__module__.startswith("keyrings.alt.file") or "plaintext" in cls.__name__.lower():
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority raises is not viable
        return False
