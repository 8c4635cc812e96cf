"""The encrypted credential store on the real filesystem: what a normal day looks like."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import LOCK_FILE, EncryptedFileStore
from nanoctl.adapters.store.keyring_keys import choose_key_store
from nanoctl.adapters.store.keys import KEY_FILE, FileKeyStore
from tests.contracts.secret_store import SecretStoreContract
from tests.store_helpers import (
    TOKEN_A,
    TOKEN_B,
    credential,
    file_store,
    secrets_in_files,
    snapshot,
    temporaries,
)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "config" / "nanoctl"


class TestEncryptedFileStoreContract(SecretStoreContract):
    @pytest.fixture
    def store(self, directory: Path) -> EncryptedFileStore:
        return file_store(directory)


def test_round_trip_keeps_every_field(directory: Path) -> None:
    saved = credential(TOKEN_A)
    file_store(directory).save(saved)
    loaded = file_store(directory).load()  # a new instance: nothing cached
    assert loaded == saved
    assert loaded is not None
    assert loaded.token.reveal() == TOKEN_A
    assert loaded.api_url.value == "https://api.example.test/base"
    assert loaded.identity == saved.identity
    assert loaded.saved_at == saved.saved_at


def test_round_trip_with_unknown_username_expiry_and_save_time(directory: Path) -> None:
    saved = credential(TOKEN_A, username=None, expires_at=None, saved_at=None)
    file_store(directory).save(saved)
    loaded = file_store(directory).load()
    assert loaded == saved
    assert loaded is not None
    assert loaded.identity.username is None
    assert loaded.identity.expires_at is None
    assert loaded.saved_at is None


def test_the_envelope_holds_only_the_format_key_place_nonce_and_ciphertext(
    directory: Path,
) -> None:
    file_store(directory).save(credential(TOKEN_A))
    envelope = json.loads((directory / CREDENTIAL_FILE).read_text())
    assert set(envelope) == {"format", "key_store", "nonce", "ciphertext"}
    assert envelope["format"] == 1
    assert envelope["key_store"] == "file"


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    value: int = request.param
    previous = os.umask(value)
    try:
        yield value
    finally:
        os.umask(previous)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277], indirect=True)
def test_directory_is_0700_and_files_0600_whatever_the_umask(directory: Path, umask: int) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    store.save(credential(TOKEN_B))  # a replacement too, not only the first write
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(directory.parent.stat().st_mode) == 0o700  # parents we created
    for name in (CREDENTIAL_FILE, KEY_FILE, LOCK_FILE):
        assert stat.S_IMODE((directory / name).stat().st_mode) == 0o600, name
    assert sorted(os.listdir(directory)) == sorted([CREDENTIAL_FILE, KEY_FILE, LOCK_FILE])
    loaded = file_store(directory).load()
    assert loaded is not None and loaded.token.reveal() == TOKEN_B


def test_no_plaintext_token_nor_its_base64_in_any_file(
    directory: Path, isolated_home: Path
) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    store.save(credential(TOKEN_B))
    assert secrets_in_files(directory, TOKEN_A, TOKEN_B) == []
    assert secrets_in_files(isolated_home, TOKEN_A, TOKEN_B) == []


def test_two_saves_use_fresh_nonces(directory: Path) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    first = json.loads((directory / CREDENTIAL_FILE).read_text())
    store.save(credential(TOKEN_A))
    second = json.loads((directory / CREDENTIAL_FILE).read_text())
    assert first["nonce"] != second["nonce"]
    assert first["ciphertext"] != second["ciphertext"]


def test_replace_keeps_one_credential_and_the_same_key(directory: Path) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    key = (directory / KEY_FILE).read_bytes()
    store.save(credential(TOKEN_B, username="grace"))
    assert (directory / KEY_FILE).read_bytes() == key  # never replaced under a credential
    assert sorted(os.listdir(directory)) == sorted([CREDENTIAL_FILE, KEY_FILE, LOCK_FILE])
    loaded = file_store(directory).load()
    assert loaded is not None
    assert loaded.token.reveal() == TOKEN_B
    assert loaded.identity.username == "grace"


def test_delete_removes_credential_and_key_and_is_idempotent(directory: Path) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    assert store.delete() is True
    assert not (directory / CREDENTIAL_FILE).exists()
    assert not (directory / KEY_FILE).exists()
    assert temporaries(directory) == []
    assert store.delete() is False
    assert store.load() is None
    store.save(credential(TOKEN_B))  # and a new login after a logout works
    loaded = store.load()
    assert loaded is not None and loaded.token.reveal() == TOKEN_B


def test_logout_then_login_rotates_the_key(directory: Path) -> None:
    store = file_store(directory)
    store.save(credential(TOKEN_A))
    first = (directory / KEY_FILE).read_bytes()
    store.delete()
    store.save(credential(TOKEN_A))
    assert (directory / KEY_FILE).read_bytes() != first


def test_load_of_a_missing_directory_is_nothing_stored_and_creates_nothing(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "absent" / "nanoctl"
    store = EncryptedFileStore(directory, choose_key_store(directory, use_keyring=False))
    assert store.load() is None
    assert not (tmp_path / "absent").exists()
    assert store.delete() is False
    assert not (tmp_path / "absent").exists()


def test_load_of_an_empty_directory_creates_nothing(directory: Path) -> None:
    directory.mkdir(parents=True, mode=0o700)
    assert file_store(directory).load() is None
    assert os.listdir(directory) == []


def test_load_never_modifies_the_store(directory: Path) -> None:
    file_store(directory).save(credential(TOKEN_A))
    before = snapshot(directory)
    for _ in range(3):
        file_store(directory).load()
    assert snapshot(directory) == before


def test_locations_name_the_files(directory: Path) -> None:
    store = file_store(directory)
    assert store.location == str(directory / CREDENTIAL_FILE)
    assert store.key_location == str(directory / KEY_FILE)
    assert TOKEN_A not in repr(store)


def test_chooser_without_keyring_keeps_the_key_in_a_file(directory: Path) -> None:
    keys = choose_key_store(directory, use_keyring=False)
    assert isinstance(keys, FileKeyStore)
    store = EncryptedFileStore(directory, keys)
    store.save(credential(TOKEN_A))
    assert (directory / KEY_FILE).exists()


def test_importing_the_store_loads_neither_cryptography_nor_keyring() -> None:
    code = (
        "import sys, nanoctl.adapters.store.encrypted_store, nanoctl.adapters.store.keys;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'keyring')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
