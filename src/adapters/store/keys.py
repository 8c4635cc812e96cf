"""Where the credential's encryption key lives: the OS keyring when a real one answers, else a file.

The key is 32 random bytes, never derived from machine facts. A credential records
the *place* of its key (``"file"`` or ``"keyring"``) so that loading reads the key
from where it was put, whatever is preferred today. This module holds the key file;
``keyring_keys`` the OS keyring, bounded in time, falling back to the file.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import Literal, Protocol

from nanoctl.adapters.store.private_files import read_private, remove, write_private
from nanoctl.adapters.store.store_directory import StoreDirectory
from nanoctl.domain.store_errors import DamagedKey, KeyringUnavailable

KeyPlace = Literal["file", "keyring"]
KEY_PLACES: tuple[KeyPlace, ...] = ("file", "keyring")
KEY_SIZE = 32
KEY_FILE = "credentials.key"
SERVICE = "nanoctl"
KEYRING_LOCATION = f"the OS keyring (service {SERVICE!r})"


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


def decode_key(text: bytes | str, where: str) -> bytes:
    """The key in ``text`` (base64); DamagedKey, naming ``where``, if it is not one."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_SIZE:
        raise DamagedKey(where)
    return key


def sound_key(raw: bytes | str | None) -> bytes | None:
    """An existing key to reuse, or None when there is none or it is damaged (a damaged
    key unlocks nothing, so it may be replaced)."""
    if raw is None:
        return None
    try:
        return decode_key(raw if isinstance(raw, bytes) else str(raw), "the key store")
    except DamagedKey:
        return None


def new_key() -> bytes:
    return os.urandom(KEY_SIZE)  # the OS CSPRNG, as secrets uses, minus importing `random`


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


class FileKeyStore:
    """The key in its own 0600 file (base64 text), next to the credential, in the directory
    reached as the credential's is (``directory``; default: the file's by its path)."""

    def __init__(self, path: Path, directory: StoreDirectory | None = None) -> None:
        self._path = path
        self._directory = directory or StoreDirectory(path.parent)

    def __repr__(self) -> str:
        return f"FileKeyStore({str(self._path)!r})"

    @property
    def location(self) -> str:
        return str(self._path)

    def location_of(self, place: KeyPlace) -> str:
        return KEYRING_LOCATION if place == "keyring" else self.location

    def get(self, place: KeyPlace) -> bytes | None:
        if place == "keyring":
            raise KeyringUnavailable(KEYRING_LOCATION, None)  # turned off for this run
        dir_fd = self._directory.open()
        if dir_fd is None:
            return None
        try:
            raw = read_private(dir_fd, self._path.name, self._path)
        finally:
            os.close(dir_fd)
        return None if raw is None else decode_key(raw, str(self._path))

    def get_or_create(self) -> tuple[KeyPlace, bytes]:
        dir_fd = self._directory.ensure()
        try:
            existing = sound_key(read_private(dir_fd, self._path.name, self._path))
            if existing is not None:
                return "file", existing
            key = new_key()
            data = (encode_key(key) + "\n").encode("ascii")
            write_private(dir_fd, self._path.name, data, self._path, "key")
            return "file", key
        finally:
            os.close(dir_fd)

    def delete(self, place: KeyPlace | None = None) -> bool:
        if place == "keyring":
            return False
        dir_fd = self._directory.open(check=False)
        if dir_fd is None:
            return False
        try:
            return remove(dir_fd, self._path.name, self._path, "key")
        finally:
            os.close(dir_fd)
