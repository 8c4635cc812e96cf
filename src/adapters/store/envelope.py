"""The credential file's format: an envelope of AES-256-GCM ciphertext, and its codec.

``<dir>/credentials.json`` holds a small JSON envelope::

    {"format": 1, "key_store": "file", "nonce": "<base64>", "ciphertext": "<base64>"}

The ciphertext is AES-256-GCM over a JSON document (token, API URL, username,
expiry, when it was saved, the format version); the associated data binds the
format version and the key's place, so neither can be changed unnoticed. Anything
else is a DamagedCredential, or NewerStoreFormat when a newer nanoctl wrote it.
``cryptography`` is imported only inside seal() and unseal(): `logout` never needs it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from nanoctl.adapters.store.keys import KEY_PLACES, KeyPlace
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import ApiUrl, Credential, Identity, Token, Value
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import Damage, DamagedCredential, NewerStoreFormat

FORMAT = 1
NONCE_SIZE = 12
TAG_SIZE = 16


class Envelope(Value):
    """What the credential file holds: no secret in clear."""

    __slots__ = ("key_store", "nonce", "ciphertext", "format")  # noqa: RUF023 - as its repr

    def __init__(
        self, key_store: KeyPlace, nonce: bytes, ciphertext: bytes, format: int = FORMAT
    ) -> None:
        self.key_store: KeyPlace = key_store
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.format = format

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


def _damaged(path: Path, damage: Damage, field: str | None = None) -> DamagedCredential:
    return DamagedCredential(str(path), damage, field)


def decode_envelope(raw: bytes, path: Path) -> Envelope:
    """Parse the credential file; DamagedCredential or NewerStoreFormat if unusable."""
    if not raw.strip():
        raise _damaged(path, "empty")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(path, "not_json") from None
    if not isinstance(document, dict):
        raise _damaged(path, "not_a_credential")
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(path, "no_format")
    if version > FORMAT:
        raise NewerStoreFormat(str(path), version, FORMAT)
    key_store = document.get("key_store")
    if key_store not in KEY_PLACES:
        raise _damaged(path, "no_key_place")
    nonce = _base64_field(document, "nonce", path)
    ciphertext = _base64_field(document, "ciphertext", path)
    if len(nonce) != NONCE_SIZE:
        raise _damaged(path, "nonce_size")
    if len(ciphertext) < TAG_SIZE:
        raise _damaged(path, "ciphertext_truncated")
    place: KeyPlace = "keyring" if key_store == "keyring" else "file"
    return Envelope(place, nonce, ciphertext, version)


def _base64_field(document: dict[str, Any], name: str, path: Path) -> bytes:
    value = document.get(name)
    if not isinstance(value, str):
        raise _damaged(path, "field_missing", name)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _damaged(path, "field_not_base64", name) from None


def seal(credential: Credential, key: bytes, key_store: KeyPlace) -> Envelope:
    """Encrypt ``credential`` with ``key`` under a fresh random 96-bit nonce."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # ~7 ms; logout never needs it

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
    """Decrypt and check; DamagedCredential for a wrong key, a modified file or bad content."""
    # cryptography (~7 ms) only to decrypt: logout never does (test_import_cost).
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plaintext = AESGCM(key).decrypt(
            envelope.nonce,
            envelope.ciphertext,
            _associated_data(envelope.format, envelope.key_store),
        )
    except (InvalidTag, ValueError):
        raise _damaged(path, "wrong_key") from None
    # From here on the content is authentic but is still checked; errors never quote it.
    try:
        return _credential_from(json.loads(plaintext.decode("utf-8")))
    except (NanoctlError, UnicodeDecodeError, ValueError, TypeError, KeyError):
        raise _damaged(path, "bad_content") from None


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
