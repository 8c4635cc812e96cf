"""The selected profile's store is read at most once per run: the API URL and the use case
share one read (#12), and a save or delete is never hidden behind the remembered copy."""

from __future__ import annotations

import pytest

from nanoctl.adapters.store.remembered_store import RememberedStore
from nanoctl.domain.store_errors import StorageError
from tests.fakes import CountingStore
from tests.unit.builders import credential


def test_a_credential_is_read_once() -> None:
    inner = CountingStore(credential("stored-token-0001"))
    store = RememberedStore(inner)
    first, second = store.load(), store.load()
    assert first is second is inner.credential
    assert inner.loads == 1


def test_save_and_delete_forget_what_was_read() -> None:
    inner = CountingStore(credential("stored-token-0001"))
    store = RememberedStore(inner)
    store.load()
    replacement = credential("stored-token-0002")
    store.save(replacement)
    assert store.load() is replacement
    assert store.delete() is True
    assert store.load() is None
    assert inner.loads == 3


def test_a_fault_is_not_remembered() -> None:
    inner = CountingStore()
    inner.load_error = StorageError("/fake/credentials")
    store = RememberedStore(inner)
    for _ in range(2):
        with pytest.raises(StorageError):
            store.load()
    assert inner.loads == 2
    assert (store.location, store.key_location) == ("/fake/credentials", "/fake/key")
