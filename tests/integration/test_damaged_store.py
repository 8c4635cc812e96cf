"""A damaged store: garbage, truncation, tampering, a wrong, damaged or missing key, a
newer format. Each is reported (exit 5 words naming the file and the fix), never
overwritten by a read, and cleared by delete.
Every fault is staged for real (files, modes, owners, a forked child as nobody, file size
limits, signals, concurrent processes); each error is checked for its words and for the
token in none of them, and the previous credential for being byte-identical.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE, private_files
from nanoctl.adapters.store.keys import KEY_FILE
from nanoctl.domain.store_errors import (
    CorruptedStore,
    NewerStoreFormat,
)
from nanoctl.entrypoints.words.errors import explain
from tests.store_helpers import (
    TOKEN_B,
    assert_decrypts_to,
    credential,
    file_store,
    load_error,
    read_envelope,
    snapshot,
    write_envelope,
)

# --- damaged content: CorruptedStore, reported, never overwritten by a read ----------


def _flip_a_ciphertext_bit(directory: Path) -> None:
    document = read_envelope(directory)
    raw = bytearray(base64.b64decode(str(document["ciphertext"])))
    raw[len(raw) // 2] ^= 0x01
    document["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    write_envelope(directory, document)


def _flip_a_nonce_bit(directory: Path) -> None:
    document = read_envelope(directory)
    raw = bytearray(base64.b64decode(str(document["nonce"])))
    raw[0] ^= 0x80
    document["nonce"] = base64.b64encode(bytes(raw)).decode()
    write_envelope(directory, document)


def _truncate(directory: Path) -> None:
    path = directory / CREDENTIAL_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _bad_base64(directory: Path) -> None:
    document = read_envelope(directory)
    document["ciphertext"] = "%%%not*base64%%%"
    write_envelope(directory, document)


def _wrong_key(directory: Path) -> None:
    (directory / KEY_FILE).write_text(base64.b64encode(secrets.token_bytes(32)).decode())


def _damaged_key(directory: Path) -> None:
    (directory / KEY_FILE).write_text("not a key at all")


def _missing_key(directory: Path) -> None:
    (directory / KEY_FILE).unlink()


def _garbage(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b"\x00\xff\xfegarbage{{{" * 7)


def _empty(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b"")


def _not_an_object(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_text('["format", 1]')


def _huge(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b" " * (private_files.MAX_FILE_SIZE + 10))


def _no_format(directory: Path) -> None:
    document = read_envelope(directory)
    del document["format"]
    write_envelope(directory, document)


def _unknown_key_place(directory: Path) -> None:
    document = read_envelope(directory)
    document["key_store"] = "usb-stick"
    write_envelope(directory, document)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_garbage, id="corrupted-garbage"),
        pytest.param(_truncate, id="truncated"),
        pytest.param(_empty, id="empty"),
        pytest.param(_not_an_object, id="json-but-not-an-envelope"),
        pytest.param(_no_format, id="no-format-version"),
        pytest.param(_unknown_key_place, id="unknown-key-place"),
        pytest.param(_bad_base64, id="bad-base64"),
        pytest.param(_flip_a_ciphertext_bit, id="tampered-ciphertext"),
        pytest.param(_flip_a_nonce_bit, id="tampered-nonce"),
        pytest.param(_wrong_key, id="wrong-key"),
        pytest.param(_damaged_key, id="damaged-key-file"),
        pytest.param(_missing_key, id="key-file-missing-while-credential-exists"),
        pytest.param(_huge, id="huge-file"),
    ],
)
def test_damaged_store_is_reported_as_corrupted_and_left_untouched(
    stored: Path, damage: Callable[[Path], None]
) -> None:
    damage(stored)
    before = snapshot(stored)
    error = load_error(stored)
    assert isinstance(error, CorruptedStore)
    assert str(stored) in explain(error).cause  # names the file (or the key file in it)
    assert "cannot be decrypted" in explain(error).cause
    assert "nanoctl logout" in explain(error).next_step
    assert snapshot(stored) == before  # a read never repairs, rewrites or removes


def test_damaged_store_can_be_cleared_by_delete_and_replaced(stored: Path) -> None:
    _garbage(stored)
    store = file_store(stored)
    assert store.delete() is True
    assert not (stored / CREDENTIAL_FILE).exists()
    assert not (stored / KEY_FILE).exists()
    assert store.load() is None
    store.save(credential(TOKEN_B))
    assert_decrypts_to(stored, TOKEN_B)


def test_future_format_version_says_newer_nanoctl_not_corrupted(stored: Path) -> None:
    document = read_envelope(stored)
    document["format"] = 2
    document["new_field"] = {"whatever": True}
    write_envelope(stored, document)
    before = snapshot(stored)
    error = load_error(stored)
    assert type(error) is NewerStoreFormat
    assert error.kind == "newer_store_format"
    assert "newer nanoctl" in explain(error).cause
    assert str(stored / CREDENTIAL_FILE) in explain(error).cause
    assert (
        "Upgrade nanoctl" in explain(error).next_step
        and "nanoctl logout" in explain(error).next_step
    )
    assert snapshot(stored) == before
