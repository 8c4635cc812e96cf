"""The credential envelope: sealing, opening, and whatever bytes a file may hold."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.envelope import FORMAT, Envelope, decode_envelope, seal, unseal
from nanoctl.adapters.store.keys import KEY_FILE
from nanoctl.domain.model import Credential
from nanoctl.domain.store_errors import CorruptedStore, StorageError
from nanoctl.entrypoints.words.errors import explain
from tests.store_helpers import TOKEN_A, credential, file_store

PATH = Path("/config/nanoctl/credentials.json")
KEY = bytes(range(32))


def test_seal_then_unseal_round_trips() -> None:
    original = credential(TOKEN_A)
    envelope = decode_envelope(seal(original, KEY, "file").encode(), PATH)
    assert envelope.format == FORMAT
    assert envelope.key_store == "file"
    assert len(envelope.nonce) == 12
    assert unseal(envelope, KEY, PATH) == original


def test_the_encoded_envelope_holds_no_token() -> None:
    raw = seal(credential(TOKEN_A), KEY, "keyring").encode()
    assert TOKEN_A.encode() not in raw
    assert base64.b64encode(TOKEN_A.encode()).rstrip(b"=") not in raw


def test_associated_data_binds_the_key_place() -> None:
    envelope = seal(credential(TOKEN_A), KEY, "file")
    moved = Envelope("keyring", envelope.nonce, envelope.ciphertext)
    with pytest.raises(CorruptedStore) as caught:
        unseal(moved, KEY, PATH)
    assert "wrong key, or the file was modified" in explain(caught.value).cause


def test_every_single_bit_flip_of_the_ciphertext_is_detected() -> None:
    envelope = seal(credential(TOKEN_A), KEY, "file")
    for index in range(len(envelope.ciphertext)):
        for bit in (0x01, 0x80):
            tampered = bytearray(envelope.ciphertext)
            tampered[index] ^= bit
            with pytest.raises(CorruptedStore):
                unseal(Envelope("file", envelope.nonce, bytes(tampered)), KEY, PATH)


def test_a_wrong_key_is_corrupted_and_the_message_never_quotes_content() -> None:
    envelope = seal(credential(TOKEN_A), KEY, "file")
    with pytest.raises(CorruptedStore) as caught:
        unseal(envelope, secrets.token_bytes(32), PATH)
    assert str(PATH) in explain(caught.value).cause
    assert TOKEN_A not in str(caught.value)
    assert TOKEN_A not in str(explain(caught.value))
    assert caught.value.__suppress_context__  # no chained cryptography traceback


def test_authentic_but_invalid_content_is_corrupted_without_quoting_it() -> None:
    """Only someone holding the key could write this; still, no traceback, no echo."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from nanoctl.adapters.store.envelope import _associated_data

    plaintext = json.dumps({"format": 1, "token": "has spaces " + TOKEN_A, "api_url": "x"})
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(KEY).encrypt(nonce, plaintext.encode(), _associated_data(1, "file"))
    with pytest.raises(CorruptedStore) as caught:
        unseal(Envelope("file", nonce, ciphertext), KEY, PATH)
    assert TOKEN_A not in str(caught.value)
    assert TOKEN_A not in str(explain(caught.value))
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("version", [2, 99, 2**40])
def test_a_newer_format_is_not_called_corrupted(version: int) -> None:
    raw = json.dumps({"format": version, "anything": "new"}).encode()
    with pytest.raises(StorageError) as caught:
        decode_envelope(raw, PATH)
    assert "newer nanoctl" in explain(caught.value).cause
    assert not isinstance(caught.value, CorruptedStore)


@pytest.mark.parametrize("version", [0, -1, "1", True, None, 1.0])
def test_a_nonsense_format_is_corrupted(version: object) -> None:
    raw = json.dumps({"format": version}).encode()
    with pytest.raises(CorruptedStore):
        decode_envelope(raw, PATH)


def test_deeply_nested_json_is_corrupted_not_a_recursion_error() -> None:
    with pytest.raises(CorruptedStore):
        decode_envelope(b"[" * 50_000 + b"]" * 50_000, PATH)


# --- property: any bytes in the file -> a Credential or a domain StorageError ------------


@pytest.fixture(scope="module")
def store_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="nanoctl-codec-") as base:
        directory = Path(base) / "nanoctl"
        file_store(directory).save(credential(TOKEN_A))
        # the key the generated files were sealed with, so intact ones decrypt
        (directory / KEY_FILE).write_text(base64.b64encode(KEY).decode() + "\n")
        yield directory


def _valid_file() -> bytes:
    return seal(credential(TOKEN_A), KEY, "file").encode()


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.integers(0, len(data)).map(lambda n: data[:n]),  # truncations
        st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)).map(
            lambda p: data[: p[0]] + bytes([data[p[0]] ^ p[1]]) + data[p[0] + 1 :]
        ),
    )


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=10,
)
_envelope_like = st.fixed_dictionaries(
    {},
    optional={
        "format": st.one_of(st.just(1), st.just(2), _json_values),
        "key_store": st.sampled_from(["file", "keyring", "other", ""]) | _json_values,
        "nonce": st.binary(max_size=20).map(lambda b: base64.b64encode(b).decode()) | _json_values,
        "ciphertext": st.binary(max_size=80).map(lambda b: base64.b64encode(b).decode())
        | _json_values,
    },
).map(lambda d: json.dumps(d).encode())

any_file = st.one_of(
    st.binary(max_size=2048),
    _envelope_like,
    _json_values.map(lambda v: json.dumps(v).encode()),
    _mutations(_valid_file()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=any_file)
def test_any_bytes_as_the_credential_file_load_or_raise_a_storage_error(
    store_dir: Path, content: bytes
) -> None:
    path = store_dir / CREDENTIAL_FILE
    path.write_bytes(content)
    try:
        result = file_store(store_dir).load()
    except StorageError as error:
        assert TOKEN_A not in str(error)
        assert TOKEN_A not in str(explain(error))
    else:
        assert isinstance(result, Credential)
        assert result.token.reveal() == TOKEN_A


def test_the_property_sees_intact_files_too(store_dir: Path) -> None:
    (store_dir / CREDENTIAL_FILE).write_bytes(_valid_file())
    loaded = file_store(store_dir).load()
    assert loaded is not None and loaded.token.reveal() == TOKEN_A


@settings(max_examples=200, deadline=None)
@given(content=any_file)
def test_any_bytes_decode_to_an_envelope_or_raise_a_storage_error(content: bytes) -> None:
    try:
        envelope = decode_envelope(content, PATH)
    except StorageError:
        return
    with contextlib.suppress(StorageError):
        unseal(envelope, KEY, PATH)
