"""The in-memory fake honours the same SecretStore contract as the encrypted store."""

from __future__ import annotations

import pytest

from tests.contracts.secret_store import SecretStoreContract
from tests.fakes import FakeSecretStore


class TestFakeSecretStoreContract(SecretStoreContract):
    @pytest.fixture
    def store(self) -> FakeSecretStore:
        return FakeSecretStore()
