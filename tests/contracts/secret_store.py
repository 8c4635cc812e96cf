"""Reusable contract of ``nanoctl.domain.ports.SecretStore``: every implementation, fake or real,
must pass it. Subclass ``SecretStoreContract`` in a ``Test*`` class and provide a
``store`` fixture that returns an empty store.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nanoctl.domain.model import ApiUrl, Credential, Identity, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import SecretStore
from tests import leaks

FIRST = "nano_contract_token_first_7Qe2"
SECOND = "nano_contract_token_second_9Wk4"
leaks.register(FIRST, SECOND)


def _credential(token: str, username: str | None, expires: datetime | None) -> Credential:
    return Credential(
        Token.parse(token, TokenOrigin.PROMPT),
        ApiUrl.parse("https://api.example.test/prefix"),
        Identity(username=username, expires_at=expires),
        saved_at=datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
    )


class SecretStoreContract:
    """What use cases rely on: at most one credential, replaced and removed as a whole."""

    @pytest.fixture
    def store(self) -> SecretStore:
        raise NotImplementedError("subclasses provide an empty store")

    def test_load_on_an_empty_store_returns_none(self, store: SecretStore) -> None:
        assert store.load() is None

    def test_round_trip_keeps_every_field(self, store: SecretStore) -> None:
        saved = _credential(FIRST, "ada", datetime(2027, 1, 31, 8, 30, tzinfo=UTC))
        store.save(saved)
        loaded = store.load()
        assert loaded == saved
        assert loaded is not None and loaded.token.reveal() == FIRST
        assert loaded.saved_at == saved.saved_at

    def test_round_trip_with_unknown_username_and_expiry(self, store: SecretStore) -> None:
        saved = _credential(FIRST, None, None)
        store.save(saved)
        assert store.load() == saved

    def test_save_replaces_the_stored_credential(self, store: SecretStore) -> None:
        store.save(_credential(FIRST, "ada", None))
        second = _credential(SECOND, "grace", None)
        store.save(second)
        loaded = store.load()
        assert loaded == second
        assert loaded is not None and loaded.token.reveal() == SECOND

    def test_delete_is_idempotent(self, store: SecretStore) -> None:
        store.save(_credential(FIRST, "ada", None))
        assert store.delete() is True
        assert store.load() is None
        assert store.delete() is False
        assert store.load() is None

    def test_delete_on_an_empty_store_removes_nothing(self, store: SecretStore) -> None:
        assert store.delete() is False

    def test_it_tells_whether_it_holds_a_credential(self, store: SecretStore) -> None:
        assert store.holds_credential() is False
        store.save(_credential(FIRST, "ada", None))
        assert store.holds_credential() is True
        store.delete()
        assert store.holds_credential() is False

    def test_locations_are_for_humans(self, store: SecretStore) -> None:
        assert store.location
        assert store.key_location
        store.save(_credential(FIRST, "ada", None))
        assert FIRST not in store.location + store.key_location + repr(store)
