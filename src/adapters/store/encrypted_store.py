"""The credential, encrypted with AES-GCM, in a private file of the config directory.

``<dir>/credentials.json`` holds a small JSON envelope::

    {"format": 1, "key_store": "file", "nonce": "<base64>", "ciphertext": "<base64>"}

The ciphertext is AES-256-GCM over a JSON document (token, API URL, username,
expiry, when it was saved, the format version); the associated data binds the
format version and the key's place, so neither can be changed unnoticed. The
random key lives in the OS keyring or in ``<dir>/credentials.key`` (see
``nanoctl.adapters.store.keys``); ``key_store`` in the envelope says which.

Writers serialise on ``<dir>/.credentials.lock`` (flock) and replace files
atomically; readers take the lock shared. ``cryptography`` is imported only
inside the functions that encrypt or decrypt, to keep startup fast.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nanoctl.adapters.diagnostics import Diagnostics, Silent
from nanoctl.adapters.store.file_lock import locked
from nanoctl.adapters.store.keys import KEY_FILE, KEY_PLACES, KeyPlace, KeyStore
from nanoctl.adapters.store.private_files import (
    ensure_directory,
    open_directory,
    read_private,
    remove,
    remove_stale_temporaries,
    write_private,
)
from nanoctl.domain.errors import CorruptedStore, NanoctlError, NewerStoreFormat, StorageError
from nanoctl.domain.model import ApiUrl, Credential, Identity, Token, TokenOrigin

FORMAT = 1
CREDENTIAL_FILE = "credentials.json"
LOCK_FILE = ".credentials.lock"
NONCE_SIZE = 12
TAG_SIZE = 16

_LOGOUT = "Run `nanoctl logout` to remove it, then log in again."


@dataclass(frozen=True)
class Envelope:
    """What the credential file holds: no secret in clear."""

    key_store: KeyPlace
    nonce: bytes
    ciphertext: bytes
    format: int = FORMAT

    def encode(self) -> bytes:
        document = {
            "format": self.format,
            "key_store": self.key_store,
            "nonce": base64.b64encode(self.nonce).decode("ascii"),
            "ciphertext": base64.b64encode(self.ciphertext).decode("ascii"),
        }
        return (json.dumps(document, indent=2) + "\n").encode("ascii")


def _associated_data(version: int, key_store: str) -> bytes:
    return f"nanoctl credential; format {version}; key in {key_store}".encode("ascii")


def _damaged(path: Path, detail: str) -> CorruptedStore:
    return CorruptedStore(
        f"The stored credential {path} is damaged and cannot be decrypted ({detail}).",
        _LOGOUT,
    )


def decode_envelope(raw: bytes, path: Path) -> Envelope:
    """Parse the credential file; CorruptedStore or (newer format) StorageError if unusable."""
    if not raw.strip():
        raise _damaged(path, "it is empty")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(path, "it is not valid JSON; truncated?") from None
    if not isinstance(document, dict):
        raise _damaged(path, "it is not a nanoctl credential")
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(path, "it has no valid format version")
    if version > FORMAT:
        raise NewerStoreFormat(
            f"The stored credential {path} was written by a newer nanoctl "
            f"(format {version}; this one reads format {FORMAT}).",
            "Upgrade nanoctl, or run `nanoctl logout` and log in again with this version.",
        )
    key_store = document.get("key_store")
    if key_store not in KEY_PLACES:
        raise _damaged(path, "it does not say where its key is")
    nonce = _base64_field(document, "nonce", path)
    ciphertext = _base64_field(document, "ciphertext", path)
    if len(nonce) != NONCE_SIZE:
        raise _damaged(path, "its nonce has the wrong size")
    if len(ciphertext) < TAG_SIZE:
        raise _damaged(path, "its ciphertext is truncated")
    place: KeyPlace = "keyring" if key_store == "keyring" else "file"
    return Envelope(place, nonce, ciphertext, version)


def _base64_field(document: dict[str, Any], name: str, path: Path) -> bytes:
    value = document.get(name)
    if not isinstance(value, str):
        raise _damaged(path, f"its {name} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _damaged(path, f"its {name} is not valid base64") from None


def seal(credential: Credential, key: bytes, key_store: KeyPlace) -> Envelope:
    """Encrypt ``credential`` with ``key`` under a fresh random 96-bit nonce."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    plaintext = json.dumps(
        {
            "format": FORMAT,
            "token": credential.token.reveal(),
            "api_url": credential.api_url.value,
            "username": credential.identity.username,
            "expires_at": _iso(credential.identity.expires_at),
            "saved_at": _iso(credential.saved_at),
        }
    ).encode("utf-8")
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _associated_data(FORMAT, key_store))
    return Envelope(key_store, nonce, ciphertext)


def unseal(envelope: Envelope, key: bytes, path: Path) -> Credential:
    """Decrypt and check; CorruptedStore for a wrong key, a modified file or bad content."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plaintext = AESGCM(key).decrypt(
            envelope.nonce,
            envelope.ciphertext,
            _associated_data(envelope.format, envelope.key_store),
        )
    except (InvalidTag, ValueError):
        raise _damaged(path, "wrong key, or the file was modified") from None
    # From here on the content is authentic but is still checked; errors never quote it.
    try:
        return _credential_from(json.loads(plaintext.decode("utf-8")))
    except (NanoctlError, UnicodeDecodeError, ValueError, TypeError, KeyError):
        raise _damaged(path, "its content is not a valid credential") from None


def _credential_from(document: Any) -> Credential:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a credential document")
    token, api_url = document["token"], document["api_url"]
    username = document.get("username")
    if not isinstance(token, str) or not isinstance(api_url, str):
        raise TypeError("token and api_url must be strings")
    if username is not None and not isinstance(username, str):
        raise TypeError("username must be a string")
    return Credential(
        token=Token.parse(token, TokenOrigin.STORED),
        api_url=ApiUrl.parse(api_url),
        identity=Identity(username=username, expires_at=_parse_time(document.get("expires_at"))),
        saved_at=_parse_time(document.get("saved_at")),
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a time must be an ISO 8601 string")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a stored time must carry its offset")
    return moment


class EncryptedFileStore:
    """``SecretStore`` in ``directory`` (0700): ``credentials.json`` (0600), key in ``keys``."""

    def __init__(
        self, directory: Path, keys: KeyStore, diagnostics: Diagnostics | None = None
    ) -> None:
        self._directory = Path(directory)
        self._keys = keys
        self._diagnostics = diagnostics or Silent()
        self._path = self._directory / CREDENTIAL_FILE
        self._lock_path = self._directory / LOCK_FILE
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
        dir_fd = open_directory(self._directory)
        if dir_fd is None:
            return None
        try:
            for attempt in (1, 2):
                with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=False) as held:
                    try:
                        return self._read(dir_fd)
                    except CorruptedStore:
                        # Without a lock file nothing had been saved when we looked; if one
                        # appeared, a first save raced us: read again, under the lock.
                        if held or attempt == 2 or not self._lock_exists(dir_fd):
                            raise
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            os.close(dir_fd)

    def save(self, credential: Credential) -> None:
        dir_fd = ensure_directory(self._directory)
        try:
            with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=True):
                remove_stale_temporaries(dir_fd, CREDENTIAL_FILE)
                remove_stale_temporaries(dir_fd, KEY_FILE)
                previous = self._place_on_disk(dir_fd)
                place, key = self._keys.get_or_create()
                data = seal(credential, key, place).encode()
                write_private(dir_fd, CREDENTIAL_FILE, data, self._path, "the credential")
                self._place = place
                if previous is not None and previous != place:
                    self._forget_key(previous)
        finally:
            os.close(dir_fd)
        self._diagnostics.info(
            f"Saved the encrypted credential to {self._path}; its key is in "
            f"{self._keys.location_of(place)}."
        )

    def delete(self) -> bool:
        # No ownership or mode check: removing names (never following links) is safe,
        # and logout must work on a store that load refuses.
        dir_fd = open_directory(self._directory, check=False)
        self._place = None
        if dir_fd is None:
            return False
        try:
            with locked(dir_fd, LOCK_FILE, self._lock_path, exclusive=True):
                place = self._key_place(dir_fd)
                removed = remove(dir_fd, CREDENTIAL_FILE, self._path, "the credential")
                remove_stale_temporaries(dir_fd, CREDENTIAL_FILE)
                remove_stale_temporaries(dir_fd, KEY_FILE)
                removed_key = self._keys.delete(place)
        finally:
            os.close(dir_fd)
        if removed and removed_key:
            self._diagnostics.info(f"Removed the credential {self._path} and its key.")
        elif removed:
            self._diagnostics.info(f"Removed the credential {self._path}; its key was not removed.")
        elif removed_key:
            self._diagnostics.info(
                f"Removed a leftover encryption key; {self._path} did not exist."
            )
        return removed or removed_key

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
            raise CorruptedStore(
                f"The stored credential {self._path} cannot be decrypted: its key is missing "
                f"from {self._keys.location_of(envelope.key_store)}.",
                _LOGOUT,
            )
        credential = unseal(envelope, key, self._path)
        self._place = envelope.key_store
        self._diagnostics.info(
            f"Read the credential from {self._path}; its key is in "
            f"{self._keys.location_of(envelope.key_store)}."
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
            self._diagnostics.info(
                f"The previous key stays in {self._keys.location_of(place)}; it unlocks "
                "nothing now and `nanoctl logout` removes it when the keyring is on."
            )

    def _lock_exists(self, dir_fd: int) -> bool:
        try:
            os.stat(LOCK_FILE, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return False
        return True
