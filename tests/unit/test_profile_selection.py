"""Profiles (#12): the name rule, which profile a run selects, and the API URL it uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_injector import providers

from nanoctl import api
from nanoctl.domain.errors import InvalidProfileName
from nanoctl.domain.model import DEFAULT_API_URL, ProfileName
from nanoctl.domain.selection import SelectProfileAndApi
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.container import Container
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import CountingStore, FakeProfiles, FakeSecretStore
from tests.unit.builders import OTHER_API, credential
from tests.unit.cli_world import Cli

RULE = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)


@pytest.mark.parametrize("name", ["default", "staging", "dev", "a", "0", "prod-eu_1", "x" * 32])
def test_a_valid_name_is_a_profile_name(name: str) -> None:
    assert ProfileName.parse(name, "option").value == name


@pytest.mark.parametrize(
    "name",
    ["", "Staging", "-dev", "_dev", "x" * 33, "a/b", "..", "a.b", "dev ", "é", "dev\n"],
)
@pytest.mark.parametrize("origin", ["option", "environment"])
def test_anything_else_is_a_usage_error_naming_where_it_came_from(name: str, origin: str) -> None:
    with pytest.raises(InvalidProfileName) as raised:
        if origin == "option":
            Settings.from_environment({}, profile=name)
        else:
            Settings.from_environment({"NANOCTL_PROFILE": name or "-"})
    assert raised.value.kind == "invalid_profile"
    where = "given to --profile" if origin == "option" else "in NANOCTL_PROFILE"
    assert where in str(explain(raised.value))
    assert str(explain(raised.value)).endswith(RULE)


def test_the_bad_name_is_shown_only_when_it_cannot_be_a_token() -> None:
    typo = InvalidProfileName("Staging", "option")
    secret = InvalidProfileName("nano_Xk3Lm9Qp2Vb7Rt5", "environment")
    assert str(explain(typo)).startswith('The profile "Staging" given to --profile is not')
    assert str(explain(secret)) == (
        f"The value in NANOCTL_PROFILE (not shown) is not a profile name. {RULE}"
    )
    assert "nano_Xk3Lm9Qp2Vb7Rt5" not in repr(secret) + str(secret)


@pytest.mark.parametrize(
    ("option", "environment", "want", "want_origin"),
    [
        pytest.param("staging", "dev", "staging", "option", id="--profile beats the variable"),
        pytest.param(None, "dev", "dev", "environment", id="NANOCTL_PROFILE"),
        pytest.param(None, "", "default", None, id="an empty variable is unset"),
        pytest.param(None, None, "default", None, id="nothing: default"),
    ],
)
def test_the_selected_profile(
    option: str | None, environment: str | None, want: str, want_origin: str | None
) -> None:
    environ = {} if environment is None else {"NANOCTL_PROFILE": environment}
    settings = Settings.from_environment(environ, profile=option)
    chosen = settings.profile_choice
    assert (chosen.name if chosen else None, chosen.origin if chosen else None) == (
        None if want_origin is None else ProfileName(want),
        want_origin,
    )
    selected = SelectProfileAndApi(FakeProfiles()).select(chosen, None)
    assert (selected.profile, selected.profile_from) == (
        ProfileName(want),
        want_origin or "default",
    )


def test_a_bad_profile_fails_the_command_before_anything_is_sent(cli: Cli) -> None:
    cli.container.settings.reset_override()
    cli.environ["NANOSERVICES_TOKEN"] = "good-token-0001"
    code, out, err = cli.run("status --profile Prod")
    assert (code, out) == (2, "")
    assert err == f'Error: The profile "Prod" given to --profile is not a profile name. {RULE}\n'
    assert cli.validator.seen == []


def url_of(store: FakeSecretStore, environ: dict[str, str], api_url: str | None = None) -> str:
    c: Container = api.container(environ=environ, api_url=api_url)
    c.profiles.override(providers.Object(FakeProfiles({"default": store})))
    return c.api_url().value


STORED = OTHER_API.value


@pytest.mark.parametrize(
    ("option", "environment", "want"),
    [
        pytest.param(
            "https://opt.example", "https://env.example", "https://opt.example", id="flag"
        ),
        pytest.param(None, "https://env.example", "https://env.example", id="variable"),
        pytest.param(None, None, STORED, id="the profile's stored URL"),
    ],
)
def test_the_api_url_precedence(
    option: str | None, environment: str | None, want: str, isolated_home: Path
) -> None:
    environ = {} if environment is None else {"NANOSERVICES_API_URL": environment}
    store = CountingStore(credential(api=OTHER_API))
    assert url_of(store, environ, option) == want


def test_with_nothing_stored_the_default_url_and_no_read(isolated_home: Path) -> None:
    store = CountingStore()
    assert url_of(store, {}) == DEFAULT_API_URL
    assert store.loads == 0


def test_a_damaged_store_falls_back_to_the_default_url(isolated_home: Path) -> None:
    store = FakeSecretStore()
    store.load_error = StorageError("/fake/credentials")
    assert url_of(store, {}) == DEFAULT_API_URL


def test_the_selected_profiles_store_is_its_own_directory(isolated_home: Path) -> None:
    config = Path(api.container(environ={}).settings().config_dir)
    default = api.container(environ={}).store().location
    staging = api.container(environ={"NANOCTL_PROFILE": "staging"}).store().location
    assert default == str(config / "credentials.json")
    assert staging == str(config / "profiles" / "staging" / "credentials.json")


def test_status_names_the_selected_profile_in_text_and_json(cli: Cli) -> None:
    cli.container.settings.override(
        providers.Object(Settings.from_environment({}, api_url=OTHER_API.value, profile="dev"))
    )
    cli.store.credential = credential("good-token-0001", api=OTHER_API)
    code, out, _ = cli.run("status")
    assert (code, out.splitlines()[-1]) == (0, "  Profile:      dev")
    code, out, _ = cli.run("status --json")
    assert '"profile": "dev"' in out
    cli.store.credential = None
    code, out, _ = cli.run("status --json")
    assert code == 1
    assert '"profile": "dev"' in out
