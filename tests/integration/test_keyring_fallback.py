"""The key in the OS keyring, and the fallback to the key file: a keyring that raises,
hangs, is locked, has no real backend or is a plaintext file; keys reused, moved and
removed; logout asks the keyring only when the key is there.
Every fault is staged for real (files, modes, owners, a forked child as nobody, file size
limits, signals, concurrent processes); each error is checked for its words and for the
token in none of them, and the previous credential for being byte-identical.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import EncryptedFileStore
from nanoctl.adapters.store.keyring_keys import choose_key_store
from nanoctl.adapters.store.keys import KEY_FILE, FileKeyStore
from nanoctl.domain.events import Event
from nanoctl.domain.store_errors import (
    CorruptedStore,
    KeyringUnavailable,
    StorageError,
)
from nanoctl.entrypoints.words.errors import explain
from nanoctl.entrypoints.words.events import note
from tests.store_helpers import (
    TOKEN_A,
    TOKEN_B,
    assert_decrypts_to,
    credential,
    file_store,
    read_envelope,
    snapshot,
)

# --- the OS keyring ---------------------------------------------------------------------


class Recorder:
    """Diagnostics that keep every -v line, worded as the CLI words them."""

    def __init__(self) -> None:
        self.infos: list[str] = []

    def info(self, event: Event) -> None:
        self.infos.append(note(event))

    def debug(self, detail: str | Event) -> None:
        pass


class FakeBackend(KeyringBackend):
    """A keyring backend of the tests' own, with a real priority."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated


class MemoryKeyring(FakeBackend):
    """A working keyring that keeps entries in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("the keyring is locked")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class RaisingKeyring(FakeBackend):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus said no")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("D-Bus said no")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("D-Bus said no")


class HangingKeyring(FakeBackend):
    """Every call sleeps 30 s (or until the test releases it)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


@pytest.fixture
def install_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    import keyring

    previous = keyring.get_keyring()
    installed: list[KeyringBackend] = []

    def install(backend: KeyringBackend) -> None:
        installed.append(backend)
        keyring.set_keyring(backend)

    yield install
    for backend in installed:
        if isinstance(backend, HangingKeyring):
            backend.release.set()
    keyring.set_keyring(previous)


def keyring_store(
    directory: Path, diagnostics: Recorder | None = None, timeout: float = 3.0
) -> EncryptedFileStore:
    keys = choose_key_store(directory, use_keyring=True, diagnostics=diagnostics, timeout=timeout)
    return EncryptedFileStore(directory, keys, diagnostics)


def test_keyring_that_raises_falls_back_to_the_key_file_and_says_so(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(RaisingKeyring())
    report = Recorder()
    keyring_store(directory, report).save(credential(TOKEN_A))
    assert (directory / KEY_FILE).is_file()
    assert read_envelope(directory)["key_store"] == "file"
    assert any(
        "keyring cannot keep" in line and "RuntimeError" in line and str(directory) in line
        for line in report.infos
    ), report.infos
    assert not any("D-Bus said no" in line for line in report.infos)  # class name only
    assert_decrypts_to(directory, TOKEN_A)
    loaded = keyring_store(directory).load()  # the envelope says "file": no keyring call
    assert loaded is not None and loaded.token.reveal() == TOKEN_A


@pytest.mark.alone
def test_keyring_that_hangs_falls_back_within_the_bounded_time(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(HangingKeyring())
    report = Recorder()
    store = keyring_store(directory, report, timeout=0.5)
    started = time.monotonic()
    store.save(credential(TOKEN_A))
    assert time.monotonic() - started < 3.0
    assert (directory / KEY_FILE).is_file()
    assert any("did not answer within 0.5 s" in line for line in report.infos), report.infos
    started = time.monotonic()
    assert store.delete() is True  # the same run does not wait on the keyring again
    assert time.monotonic() - started < 0.4


def test_keyring_with_no_real_backend_is_not_used(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    from keyring.backends import null

    install_keyring(null.Keyring())
    report = Recorder()
    keyring_store(directory, report).save(credential(TOKEN_A))
    assert (directory / KEY_FILE).is_file()
    assert any("no usable backend" in line for line in report.infos), report.infos


def test_plaintext_file_keyring_is_not_trusted_with_the_key(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    class PlaintextKeyring(MemoryKeyring):
        """Stands for keyrings.alt's plaintext file backend."""

    backend = PlaintextKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    assert backend.entries == {}
    assert (directory / KEY_FILE).is_file()


def test_working_keyring_keeps_the_key_and_no_key_file_is_written(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    report = Recorder()
    store = keyring_store(directory, report)
    store.save(credential(TOKEN_A))
    assert not (directory / KEY_FILE).exists()
    assert read_envelope(directory)["key_store"] == "keyring"
    [(service, account)] = backend.entries
    assert service == "nanoctl"
    assert str(directory) in account  # one key per config directory
    assert len(base64.b64decode(backend.entries[(service, account)])) == 32
    assert "keyring" in store.key_location
    fresh = keyring_store(directory)
    loaded = fresh.load()
    assert loaded is not None and loaded.token.reveal() == TOKEN_A
    assert "OS keyring" in fresh.key_location
    assert fresh.delete() is True
    assert backend.entries == {}
    assert not (directory / CREDENTIAL_FILE).exists()
    assert fresh.delete() is False


def test_keyring_key_is_reused_on_replace_and_per_directory(
    tmp_path: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    first, second = tmp_path / "one", tmp_path / "two"
    keyring_store(first).save(credential(TOKEN_A))
    keys = dict(backend.entries)
    keyring_store(first).save(credential(TOKEN_B))
    assert backend.entries == keys
    keyring_store(second).save(credential(TOKEN_A))
    assert len(backend.entries) == 2
    assert_via_keyring = keyring_store(first).load()
    assert assert_via_keyring is not None and assert_via_keyring.token.reveal() == TOKEN_B


def test_keyring_keyed_credential_with_keyring_turned_off_is_a_storage_error(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(MemoryKeyring())
    keyring_store(directory).save(credential(TOKEN_A))
    store = EncryptedFileStore(directory, choose_key_store(directory, use_keyring=False))
    with pytest.raises(StorageError) as caught:
        store.load()
    assert type(caught.value) is KeyringUnavailable
    assert "keyring" in explain(caught.value).cause
    assert "nanoctl logout" in explain(caught.value).next_step


def test_locked_keyring_at_load_asks_to_unlock_or_logout(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    backend.locked = True
    before = snapshot(directory)
    with pytest.raises(StorageError) as caught:
        keyring_store(directory).load()
    assert type(caught.value) is KeyringUnavailable
    assert "it is locked" in explain(caught.value).cause
    assert "Unlock the keyring" in explain(caught.value).next_step
    assert "nanoctl logout" in explain(caught.value).next_step
    assert snapshot(directory) == before


def test_hanging_keyring_at_load_of_a_keyring_keyed_credential_is_bounded(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(MemoryKeyring())
    keyring_store(directory).save(credential(TOKEN_A))
    install_keyring(HangingKeyring())
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        keyring_store(directory, timeout=0.3).load()
    assert re.search(r"did not answer within 0\.3 s", str(explain(caught.value)))
    assert time.monotonic() - started < 3.0


def test_key_missing_from_the_keyring_is_corrupted(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    backend.entries.clear()
    with pytest.raises(CorruptedStore) as caught:
        keyring_store(directory).load()
    assert "key is missing" in str(explain(caught.value))


def test_key_moves_from_the_file_to_the_keyring_on_the_next_save(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    file_store(directory).save(credential(TOKEN_A))  # keyring off: key file
    backend = MemoryKeyring()
    install_keyring(backend)
    store = keyring_store(directory)
    loaded = store.load()  # still readable from the file
    assert loaded is not None and loaded.token.reveal() == TOKEN_A
    store.save(credential(TOKEN_B))
    assert not (directory / KEY_FILE).exists()
    assert len(backend.entries) == 1
    again = keyring_store(directory).load()
    assert again is not None and again.token.reveal() == TOKEN_B


def test_file_key_store_never_touches_the_keyring(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    store = EncryptedFileStore(directory, FileKeyStore(directory / KEY_FILE))
    store.save(credential(TOKEN_A))
    store.delete()
    assert backend.entries == {}


class CountingKeyring(MemoryKeyring):
    """A working keyring that counts every question asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return super().get_password(service, username)

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        super().delete_password(service, username)


def test_logout_of_a_file_keyed_or_empty_store_never_asks_the_keyring(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    """Asking the OS keyring costs a D-Bus round trip (or an unlock dialog): logout asks
    only where the stored credential says its key is."""
    install_keyring(RaisingKeyring())
    keyring_store(directory).save(credential(TOKEN_A))  # falls back to the key file
    counting = CountingKeyring()
    install_keyring(counting)
    assert keyring_store(directory).delete() is True
    assert not (directory / KEY_FILE).exists()
    assert keyring_store(directory).delete() is False  # nothing stored at all
    assert keyring_store(directory / "never-created").delete() is False
    assert counting.calls == 0


def test_logout_of_a_keyring_keyed_store_removes_the_keyring_entry(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    counting = CountingKeyring()
    install_keyring(counting)
    keyring_store(directory).save(credential(TOKEN_A))
    assert len(counting.entries) == 1
    assert keyring_store(directory).delete() is True
    assert counting.entries == {}
