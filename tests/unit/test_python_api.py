"""The Python API other tools use: same use cases, adapters swapped by overrides."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from nanoctl import api
from nanoctl.domain.errors import InvalidToken, NotLoggedIn
from nanoctl.domain.model import Token
from nanoctl.domain.origins import TokenOrigin
from tests.fakes import FakeClock, FakeSecretStore, FakeTokenValidator
from tests.unit.builders import ADA, credential

URL = "https://api.example.test/base"


def container(environ: dict[str, str], store: FakeSecretStore) -> api.Container:
    c = api.container(api_url=URL, environ=environ)
    c.validator.override(providers.Object(FakeTokenValidator({"good-token-0001": ADA})))
    c.store.override(providers.Object(store))
    c.clock.override(providers.Object(FakeClock()))
    return c


def test_login_validates_without_storing() -> None:
    store = FakeSecretStore()
    result = api.login("good-token-0001", using=container({}, store))
    assert result.identity == ADA
    assert store.saves == 0
    with pytest.raises(InvalidToken):
        api.login("bad-token-0001", using=container({}, store))


def test_current_credential_prefers_the_environment() -> None:
    store = FakeSecretStore(credential("stored-token-0001"))
    current = api.current_credential(
        using=container({"NANOSERVICES_TOKEN": "env-token-0001"}, store)
    )
    assert current.origin is TokenOrigin.ENVIRONMENT
    assert current.credential.token.reveal() == "env-token-0001"
    stored = api.current_credential(using=container({}, store))
    assert stored.origin is TokenOrigin.STORED


def test_logout_then_no_current_credential() -> None:
    store = FakeSecretStore(credential())
    c = container({}, store)
    assert api.logout(using=c).removed is True
    with pytest.raises(NotLoggedIn):
        api.current_credential(using=c)


def test_the_real_container_wires_every_dependency() -> None:
    c = api.container(api_url=URL, environ={})
    c.check_dependencies()
    # the selected profile's store, read at most once per run (RememberedStore)
    assert repr(c.store()).startswith("RememberedStore(EncryptedFileStore(")
    assert type(c.validator()).__name__ == "RequestsTokenValidator"


def test_token_is_the_secret_value_object_never_a_plain_string() -> None:
    store = FakeSecretStore(credential("stored-token-0001"))
    token = api.token(using=container({}, store))
    assert isinstance(token, Token)
    assert repr(token) == str(token) == "Token('**********')"
    assert token.reveal() == "stored-token-0001"
    env = api.token(using=container({"NANOSERVICES_TOKEN": "env-token-0001"}, store))
    assert env.reveal() == "env-token-0001"


def test_token_without_a_credential_raises_not_logged_in() -> None:
    with pytest.raises(NotLoggedIn):
        api.token(using=container({}, FakeSecretStore()))


def test_token_takes_the_profile_to_select() -> None:
    """The profile flows into the container's invocation as --profile does."""
    c = api.container(api_url=URL, environ={}, profile="staging")
    assert c.invocation().profile == "staging"


def test_the_documented_module_is_the_api_module_whole() -> None:
    """`from nanoctl import api` is nanoctl.entrypoints.api: every name it exports, the
    very same objects, and nothing it lacks."""
    from nanoctl.entrypoints import api as module

    assert api.__all__ == module.__all__
    assert {name: getattr(api, name) for name in api.__all__} == {
        name: getattr(module, name) for name in module.__all__
    }
    defined = {
        name
        for name, value in vars(module).items()
        if callable(value) and getattr(value, "__module__", "") == module.__name__
    }
    assert defined - {name for name in defined if name.startswith("_")} <= set(api.__all__)
