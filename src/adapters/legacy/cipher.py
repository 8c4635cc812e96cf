"""The old client's file format: ``ivhex:taghex:ciphertexthex``, AES-256-GCM with a key of
scrypt(hostname + sha256hex(username + arch + platform), salt "salt", N=16384, r=8, p=1).

Anyone who can read such a file on that machine can rebuild the key: it is obfuscation.
"""

from __future__ import annotations

import hashlib
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from nanoctl.adapters.legacy.machine import MachineFacts
from nanoctl.domain.legacy.errors import LegacyFileProblem

IV_BYTES = 16
TAG_BYTES = 16
_HEX = re.compile(rb"[0-9a-fA-F]+")


class LegacyFormatError(Exception):
    """The content is not a token the old client wrote; ``problem`` says how. No text."""

    def __init__(self, problem: LegacyFileProblem) -> None:
        super().__init__(problem)
        self.problem: LegacyFileProblem = problem


def legacy_key(facts: MachineFacts) -> bytes:
    digest = hashlib.sha256((facts.username + facts.arch + facts.platform).encode()).hexdigest()
    password = (facts.hostname + digest).encode()
    return Scrypt(salt=b"salt", length=32, n=16384, r=8, p=1).derive(password)


def decrypt(content: bytes, key: bytes) -> str:
    """The plaintext of ``content`` (the file's bytes), or LegacyFormatError."""
    parts = content.strip().split(b":")
    if len(parts) != 3 or not all(_HEX.fullmatch(part) for part in parts):
        raise LegacyFormatError("malformed")
    iv, tag, ciphertext = (bytes.fromhex(part.decode("ascii")) for part in parts)
    if len(iv) != IV_BYTES or len(tag) != TAG_BYTES:
        raise LegacyFormatError("malformed")
    try:
        plain = AESGCM(key).decrypt(iv, ciphertext + tag, None)
    except InvalidTag:
        raise LegacyFormatError("undecryptable") from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise LegacyFormatError("not_a_token") from None


def encrypt(token: str, key: bytes, iv: bytes) -> bytes:
    """What the old client wrote for ``token``: for tests and the recorded vector."""
    sealed = AESGCM(key).encrypt(iv, token.encode("utf-8"), None)
    ciphertext, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    return f"{iv.hex()}:{tag.hex()}:{ciphertext.hex()}".encode("ascii")
