"""Where the credential's encryption key lives: the OS keyring when a real one answers, else a file.

The key is 32 random bytes, never derived from machine facts. A credential records
the *place* of its key (``"file"`` or ``"keyring"``) so that loading reads the key
from where it was put, whatever is preferred today. ``keyring`` is imported
lazily and every call into it runs in a daemon thread with a deadline: a keyring
that raises, hangs or is locked never blocks a login, it only moves new keys to
the file (said on ``-v``).
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from nanoctl.adapters.diagnostics import Diagnostics, Silent
from nanoctl.adapters.store.private_files import (
    ensure_directory,
    open_directory,
    read_private,
    remove,
    write_private,
)
from nanoctl.domain.errors import CorruptedStore, KeyringUnavailable

KeyPlace = Literal["file", "keyring"]
KEY_PLACES: tuple[KeyPlace, ...] = ("file", "keyring")
KEY_SIZE = 32
KEY_FILE = "credentials.key"
SERVICE = "nanoctl"
KEYRING_LOCATION = f"the OS keyring (service {SERVICE!r})"

_T = TypeVar("_T")


class KeyStore(Protocol):
    """Keeps the one encryption key of a credential store. Never logs the key."""

    @property
    def location(self) -> str:
        """Where a new key goes, for humans."""
        ...

    def location_of(self, place: KeyPlace) -> str:
        """Where a key recorded as being at ``place`` lives, for humans."""
        ...

    def get(self, place: KeyPlace) -> bytes | None:
        """The key kept at ``place``; None when there is none.

        Raises StorageError when the place cannot be read (e.g. keyring locked).
        """
        ...

    def get_or_create(self) -> tuple[KeyPlace, bytes]:
        """The key at the preferred place, created there (randomly) when missing.

        An existing, sound key is reused, never replaced: a credential encrypted
        with it must stay readable if the caller's next write fails.
        """
        ...

    def delete(self, place: KeyPlace | None = None) -> bool:
        """Remove the key from ``place`` (None: from everywhere); True when one existed."""
        ...


def choose_key_store(
    directory: Path,
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
    report = diagnostics or Silent()
    file = FileKeyStore(directory / KEY_FILE)
    if not use_keyring:
        return file
    account = f"encryption-key:{os.path.abspath(directory)}"
    return KeyringKeyStore(account, fallback=file, diagnostics=report, timeout=timeout)


def _decode_key(text: bytes | str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_SIZE:
        raise CorruptedStore(
            f"The encryption key in {where} is damaged, so the stored credential "
            "cannot be decrypted.",
            "Run `nanoctl logout` to remove both, then log in again.",
        )
    return key


def _sound_key(raw: bytes | str | None) -> bytes | None:
    """An existing key to reuse, or None when there is none or it is damaged (a damaged
    key unlocks nothing, so it may be replaced)."""
    if raw is None:
        return None
    try:
        return _decode_key(raw if isinstance(raw, bytes) else str(raw), "the key store")
    except CorruptedStore:
        return None


def _new_key() -> bytes:
    return os.urandom(KEY_SIZE)  # the OS CSPRNG, as secrets uses, minus importing `random`


def _encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


class FileKeyStore:
    """The key in its own 0600 file (base64 text), next to the credential."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def __repr__(self) -> str:
        return f"FileKeyStore({str(self._path)!r})"

    @property
    def location(self) -> str:
        return str(self._path)

    def location_of(self, place: KeyPlace) -> str:
        return KEYRING_LOCATION if place == "keyring" else self.location

    def get(self, place: KeyPlace) -> bytes | None:
        if place == "keyring":
            raise KeyringUnavailable(
                f"The stored credential's encryption key is in {KEYRING_LOCATION}, "
                "which is turned off for this run (NANOCTL_KEYRING=0).",
                "Unset NANOCTL_KEYRING to use the keyring again, or run `nanoctl logout` "
                "and log in again to keep a new key in a file.",
            )
        dir_fd = open_directory(self._path.parent)
        if dir_fd is None:
            return None
        try:
            raw = read_private(dir_fd, self._path.name, self._path)
        finally:
            os.close(dir_fd)
        return None if raw is None else _decode_key(raw, str(self._path))

    def get_or_create(self) -> tuple[KeyPlace, bytes]:
        dir_fd = ensure_directory(self._path.parent)
        try:
            existing = _sound_key(read_private(dir_fd, self._path.name, self._path))
            if existing is not None:
                return "file", existing
            key = _new_key()
            data = (_encode_key(key) + "\n").encode("ascii")
            write_private(dir_fd, self._path.name, data, self._path, "the encryption key")
            return "file", key
        finally:
            os.close(dir_fd)

    def delete(self, place: KeyPlace | None = None) -> bool:
        if place == "keyring":
            return False
        dir_fd = open_directory(self._path.parent, check=False)
        if dir_fd is None:
            return False
        try:
            return remove(dir_fd, self._path.name, self._path, "the encryption key")
        finally:
            os.close(dir_fd)


class _KeyringFailure(Exception):
    """The keyring could not be used; ``reason`` says why, for humans (no secrets)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        self._failure: str | None = None
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
            raise KeyringUnavailable(
                f"The stored credential's encryption key is in {KEYRING_LOCATION}, "
                f"which cannot be used now: {failure.reason}.",
                "Unlock the keyring (or start its service) and try again, or run "
                "`nanoctl logout` and log in again.",
            ) from None
        if raw is None:
            return None
        self._last = "keyring"
        return _decode_key(str(raw), KEYRING_LOCATION)

    def get_or_create(self) -> tuple[KeyPlace, bytes]:
        def get_or_put(keyring: Any) -> bytes:
            existing = _sound_key(keyring.get_password(self._service, self._account))
            if existing is not None:
                return existing
            key = _new_key()
            keyring.set_password(self._service, self._account, _encode_key(key))
            if keyring.get_password(self._service, self._account) != _encode_key(key):
                raise _KeyringFailure("it did not keep the key it was given")
            return key

        try:
            key = self._call(get_or_put)
        except _KeyringFailure as failure:
            self._diagnostics.info(
                f"The OS keyring cannot keep the encryption key ({failure.reason}); "
                f"using the key file {self._fallback.location} instead."
            )
            place, key = self._fallback.get_or_create()
            self._last = place
            return place, key
        self._diagnostics.info(f"The encryption key is kept in {KEYRING_LOCATION}.")
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
            from keyring.errors import PasswordDeleteError

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
                self._diagnostics.info(
                    f"Could not remove the encryption key from {KEYRING_LOCATION} "
                    f"({failure.reason}); without the credential file it unlocks nothing."
                )
            return False

    # --- talking to the keyring ---------------------------------------------------------

    def _call(self, operation: Callable[[Any], _T]) -> _T:
        """Run ``operation(backend)`` on a real backend within the deadline."""
        if self._failure is not None:
            raise _KeyringFailure(self._failure)

        def run() -> _T:
            import keyring

            backend = keyring.get_keyring()
            if not _is_real_backend(backend):
                raise _KeyringFailure(f"no usable backend, only {_backend_name(backend)}")
            self._backend = _backend_name(backend)
            return operation(backend)

        try:
            return _bounded(run, self._timeout)
        except _KeyringFailure as failure:
            self._failure = failure.reason
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
        raise _KeyringFailure(f"it did not answer within {timeout:g} s")
    if errors:
        error = errors[0]
        if isinstance(error, _KeyringFailure):
            raise error
        if type(error).__name__ == "KeyringLocked":
            raise _KeyringFailure("it is locked")
        # the class name only: a backend's message could quote what it was given
        raise _KeyringFailure(f"it failed with {type(error).__name__}")
    return outcome[0]


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_real_backend(backend: Any) -> bool:
    """A backend that keeps secrets protected: not fail/null/empty chainer/plaintext."""
    from keyring.backends import chainer, fail, null

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
