"""The Python API (#19): `from nanoctl import api` offers everything the README documents,
and selects as the CLI does (``api_url=`` as the URL, ``profile=`` as --profile), through
the documented import path, against real stores under the test's HOME (no network)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dependency_injector import providers

from nanoctl import api
from nanoctl.domain.errors import CredentialForOtherApi
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.selection_errors import ProfileInUse, SeveralProfilesForApi
from tests.fakes import FakeTokenSource, FakeTokenValidator
from tests.store_helpers import TOKEN_A, TOKEN_B, credential, file_store
from tests.unit.builders import ADA

README = Path(__file__).resolve().parents[2] / "README.md"
A = "https://a.example.test/base"
B = "https://b.example.test/base"


def python_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Using nanoctl from Python")
    return text[start : text.index("\n## ", start + 1)]


def test_every_function_the_readme_documents_is_there() -> None:
    documented = set(re.findall(r"\bapi\.(\w+)\(", python_section()))
    assert {"profiles", "token", "login", "logout", "current_credential"} <= documented
    missing = sorted(name for name in documented if not callable(getattr(api, name, None)))
    assert missing == []
    assert set(api.__all__) >= documented


def stored(config: Path, profile: str, token: str, url: str) -> None:
    directory = config if profile == "default" else config / "profiles" / profile
    file_store(directory).save(credential(token, api_url=url))


@pytest.fixture
def config(isolated_home: Path) -> Path:
    return isolated_home / ".config" / "nanoctl"


def test_profiles_lists_what_is_stored(config: Path) -> None:
    stored(config, "default", TOKEN_A, A)
    stored(config, "dev", TOKEN_B, B)
    assert api.profiles() == ["default", "dev"]


def test_api_url_selects_the_profile_bound_to_it_as_the_cli_does(config: Path) -> None:
    stored(config, "default", TOKEN_A, A)
    stored(config, "dev", TOKEN_B, B)
    c = api.container(api_url=B, environ={})

    assert api.token(using=c).reveal() == TOKEN_B
    selection = c.selection()
    assert (selection.profile.value, selection.profile_from) == ("dev", "api_url")
    assert selection.api_url_from == "argument"


def test_profile_wins_and_is_never_sent_to_another_url(config: Path) -> None:
    stored(config, "default", TOKEN_A, A)
    stored(config, "dev", TOKEN_B, B)
    with pytest.raises(CredentialForOtherApi) as raised:
        api.current_credential(profile="dev", api_url=A, using=None)
    assert (raised.value.profile, raised.value.bound_profile) == ("dev", "default")
    assert api.explain(raised.value).endswith(
        "Drop the api_url= argument to use the API profile dev is bound to, use --profile "
        "default (logged in there), or log in there in a new profile "
        f"(`nanoctl login --api-url {A} --profile NAME`)."
    )


def test_several_profiles_bound_to_the_url_raise(config: Path) -> None:
    stored(config, "dev", TOKEN_A, B)
    stored(config, "qa", TOKEN_B, B)
    with pytest.raises(SeveralProfilesForApi):
        api.token(api_url=B)
    assert api.token(api_url=B, profile="qa").reveal() == TOKEN_B


def test_through_the_python_api_nothing_stored_is_replaced_for_another_api(config: Path) -> None:
    """Even a use case driven to the prompt's path (a fake prompt) finds nobody to ask."""
    stored(config, "default", TOKEN_A, A)
    before = (config / "credentials.json").read_bytes()
    c = api.container(api_url=B, environ={})
    c.prompt_token.override(providers.Object(FakeTokenSource(TokenOrigin.PROMPT, "typed-0001")))
    c.validator.override(providers.Object(FakeTokenValidator({"typed-0001": ADA})))

    with pytest.raises(ProfileInUse):
        c.authenticate().login()
    assert (config / "credentials.json").read_bytes() == before
