"""The SecretStore: the credential, encrypted (see ``envelope``), in a private file.

``<dir>/credentials.json`` (0600, in a 0700 directory) holds the envelope; the random
key lives in the OS keyring or in ``<dir>/credentials.key`` (see ``keys`` and
``keyring_keys``), and the envelope says which. Writers serialise on
``<dir>/.credentials.lock`` (flock) and replace files atomically; readers take the lock
shared.
"""

from __future__ import annotations

import os
from pathlib import Path

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.envelope import decode_envelope, seal, unseal
from nanoctl.adapters.store.file_lock import locked
from nanoctl.adapters.store.keys import KEY_FILE, KeyPlace, KeyStore
from nanoctl.adapters.store.private_files import (
    entry_exists,
    read_private,
    remove,
    remove_stale_temporaries,
    write_private,
)
from nanoctl.adapters.store.store_directory import StoreDirectory, store_directory
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.events import (
    CredentialRead,
    CredentialRemoved,
    CredentialSaved,
    Diagnostics,
    LeftoverKeyRemoved,
    PreviousKeyKept,
    Silent,
)
from nanoctl.domain.model import Credential
from nanoctl.domain.store_errors import DamagedCredential, MissingKey, StorageError

LOCK_FILE = ".credentials.lock"


class EncryptedFileStore:
    """``SecretStore`` in ``directory`` (0700): ``credentials.json`` (0600), key in ``keys``.
    A plain path is a directory of its own; a profile's is reached through its config
    directory (``store_directory``)."""

    def __init__(
        self,
        directory: Path | StoreDirectory,
        keys: KeyStore,
        diagnostics: Diagnostics | None = None,
    ) -> None:
        self._directory = store_directory(directory)
        self._keys = keys
        self._diagnostics = diagnostics or Silent()
        self._path = self._directory.path / CREDENTIAL_FILE
        self._lock_path = self._directory.path / LOCK_FILE
        self._place: KeyPlace | None = None

    def __repr__(self) -> str:
        return f"EncryptedFileStore({self.location!r})"

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def key_location(self) -> str:
        """Where the key of the credential last loaded or saved is; else where a new one goes."""
        if self._place is not None:
            return self._keys.location_of(self._place)
        return self._keys.location

    # --- SecretStore ------------------------------------------------------------------

    def load(self) -> Credential | None:
        dir_fd = self._directory.open()
        if dir_fd is None:
            return None
        try:
            for attempt in (1, 2):
                with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=False) as held:
                    try:
                        return self._read(dir_fd)
                    except DamagedCredential:
                        # Without a lock file nothing had been saved when we looked; if one
                        # appeared, a first save raced us: read again, under the lock.
                        if held or attempt == 2 or not self._lock_exists(dir_fd):
                            raise
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            os.close(dir_fd)

    def save(self, credential: Credential) -> None:
        dir_fd = self._directory.ensure()
        try:
            with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=True):
                remove_stale_temporaries(dir_fd, CREDENTIAL_FILE)
                remove_stale_temporaries(dir_fd, KEY_FILE)
                previous = self._place_on_disk(dir_fd)
                place, key = self._keys.get_or_create()
                data = seal(credential, key, place).encode()
                write_private(dir_fd, CREDENTIAL_FILE, data, self._path, "credential")
                self._place = place
                if previous is not None and previous != place:
                    self._forget_key(previous)
        finally:
            os.close(dir_fd)
        self._diagnostics.info(CredentialSaved(str(self._path), self._keys.location_of(place)))

    def delete(self) -> bool:
        # No ownership or mode check: removing names (never following links) is safe,
        # and logout must work on a store that load refuses.
        dir_fd = self._directory.open(check=False)
        self._place = None
        if dir_fd is None:
            return False
        try:
            if not self._holds_anything(dir_fd):
                return False  # nothing to remove: taking the lock would create its file
            with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=True):
                place = self._key_place(dir_fd)
                removed = remove(dir_fd, CREDENTIAL_FILE, self._path, "credential")
                remove_stale_temporaries(dir_fd, CREDENTIAL_FILE)
                remove_stale_temporaries(dir_fd, KEY_FILE)
                removed_key = self._keys.delete(place)
        finally:
            os.close(dir_fd)
        if removed:
            self._diagnostics.info(CredentialRemoved(str(self._path), key_removed=removed_key))
        elif removed_key:
            self._diagnostics.info(LeftoverKeyRemoved(str(self._path)))
        return removed or removed_key

    def holds_credential(self) -> bool:
        return self._directory.holds(CREDENTIAL_FILE)

    # --- internals ----------------------------------------------------------------------

    def _key_place(self, dir_fd: int) -> KeyPlace | None:
        """Where the stored credential's key is, so logout asks only that place: asking
        the OS keyring costs a D-Bus round trip (or a desktop unlock dialog) that a
        file-keyed or empty store does not need. None (look everywhere) when the file
        is there but cannot be read; with no credential file, only a key file can be
        left (a keyring key without its credential unlocks nothing)."""
        try:
            raw = read_private(dir_fd, CREDENTIAL_FILE, self._path)
            if raw is None:
                return "file"
            return decode_envelope(raw, self._path).key_store
        except NanoctlError:
            return None

    def _read(self, dir_fd: int) -> Credential | None:
        raw = read_private(dir_fd, CREDENTIAL_FILE, self._path)
        if raw is None:
            return None
        envelope = decode_envelope(raw, self._path)
        key = self._keys.get(envelope.key_store)
        if key is None:
            raise MissingKey(str(self._path), self._keys.location_of(envelope.key_store))
        credential = unseal(envelope, key, self._path)
        self._place = envelope.key_store
        self._diagnostics.info(
            CredentialRead(str(self._path), self._keys.location_of(envelope.key_store))
        )
        return credential

    def _place_on_disk(self, dir_fd: int) -> KeyPlace | None:
        """Where the key of the credential on disk is, if that can be told."""
        try:
            raw = read_private(dir_fd, CREDENTIAL_FILE, self._path)
            return None if raw is None else decode_envelope(raw, self._path).key_store
        except StorageError:
            return None

    def _forget_key(self, place: KeyPlace) -> None:
        """Remove the key the replaced credential used; it unlocks nothing any more."""
        try:
            removed = self._keys.delete(place)
        except StorageError:
            removed = False
        if not removed and place == "keyring":
            self._diagnostics.info(PreviousKeyKept(self._keys.location_of(place)))

    def _holds_anything(self, dir_fd: int) -> bool:
        """Whether a logout has anything to do here. Without a lock file no save ever
        began (save creates it first), so no temporary can be left either; with one, a
        save may be under way, and logout waits for it under the lock."""
        return any(entry_exists(dir_fd, name) for name in (CREDENTIAL_FILE, KEY_FILE, LOCK_FILE))

    def _lock_exists(self, dir_fd: int) -> bool:
        return entry_exists(dir_fd, LOCK_FILE)
