"""Profiles (#12), the rules against fakes: the mismatch names the profile bound to the
URL asked for, logout acts on one profile or on every one, next steps carry --profile."""

from __future__ import annotations

import json

import pytest
from dependency_injector import providers

from nanoctl import api
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.current_credential import CurrentCredential, ResolveCredential
from nanoctl.domain.errors import CredentialForOtherApi, InvalidToken, NanoctlError
from nanoctl.domain.logout import Logout, LogoutEverywhere
from nanoctl.domain.model import ProfileName
from nanoctl.domain.origins import ApiUrlFrom, TokenOrigin
from nanoctl.domain.status import StatusOfProfiles
from nanoctl.domain.store_errors import CorruptedStore, StorageError
from nanoctl.entrypoints.cli.exit_codes import exit_code_of_all
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import (
    FakeClock,
    FakeProfiles,
    FakeSecretStore,
    FakeTokenSource,
    FakeTokenValidator,
)
from tests.unit.builders import ADA, API, OTHER_API, credential, selection
from tests.unit.cli_world import Cli

STAGING = ProfileName("staging")


def stores() -> FakeProfiles:
    """``staging`` bound to API, ``dev`` bound to OTHER_API, ``default`` to OTHER_API too."""
    return FakeProfiles(
        {
            "default": FakeSecretStore(credential("default-token-01", api=OTHER_API)),
            "dev": FakeSecretStore(credential("dev-token-0001", api=OTHER_API)),
            "staging": FakeSecretStore(credential("staging-token-01", api=API)),
        }
    )


def resolve_from(
    profiles: FakeProfiles, selected: str, *, env: str | None = None
) -> CurrentCredential:
    """``selected`` named with --profile, against the URL it is not bound to, given with
    NANOSERVICES_API_URL."""
    chosen = selection(
        OTHER_API if selected == "staging" else API,
        selected,
        profile_from="option",
        api_url_from="environment",
    )
    return ResolveCredential(
        FakeTokenSource(TokenOrigin.ENVIRONMENT, env),
        profiles.store_of(chosen.profile),
        FakeClock(),
        chosen,
        profiles=profiles,
    ).resolve()


def test_a_mismatch_names_both_origins_and_every_way_out() -> None:
    """#19 point 2: who chose the profile, who chose the URL, and the three ways out."""
    with pytest.raises(CredentialForOtherApi) as raised:
        resolve_from(stores(), "staging")
    assert (raised.value.profile, raised.value.bound_profile) == ("staging", "default")
    assert str(explain(raised.value)) == (
        f"The stored credential of profile staging (from --profile) is for {API.value}, "
        f"not {OTHER_API.value} (from NANOSERVICES_API_URL); it was not sent. "
        "Unset NANOSERVICES_API_URL to use the API profile staging is bound to, "
        "use --profile default (logged in there), or log in there in a new profile "
        f"(`nanoctl login --api-url {OTHER_API.value} --profile NAME`)."
    )


def test_a_damaged_profile_is_passed_over_and_with_none_bound_two_ways_out_remain() -> None:
    profiles = stores()
    profiles.stores["default"].load_error = CorruptedStore("/fake/credentials")
    with pytest.raises(CredentialForOtherApi) as raised:
        resolve_from(profiles, "staging")
    assert raised.value.bound_profile == "dev"
    del profiles.stores["dev"]
    with pytest.raises(CredentialForOtherApi) as raised:
        resolve_from(profiles, "staging")
    assert raised.value.bound_profile is None
    assert str(explain(raised.value)).endswith(
        "it was not sent. Unset NANOSERVICES_API_URL to use the API profile staging is bound "
        "to, or log in there in a new profile "
        f"(`nanoctl login --api-url {OTHER_API.value} --profile NAME`)."
    )


@pytest.mark.parametrize(
    ("url_from", "drop"),
    [
        pytest.param("option", "Drop --api-url", id="--api-url"),
        pytest.param("environment", "Unset NANOSERVICES_API_URL", id="the variable"),
        pytest.param("argument", "Drop the api_url= argument", id="the Python API"),
    ],
)
def test_the_way_out_drops_what_chose_the_url(url_from: ApiUrlFrom, drop: str) -> None:
    error = CredentialForOtherApi(API.value, OTHER_API.value, url_from=url_from)
    text = str(explain(error))
    assert text.startswith(
        f"The stored credential of profile default is for {API.value}, not {OTHER_API.value} "
    )
    assert f"; it was not sent. {drop} to use the API profile default is bound to" in text


def test_the_environment_token_beats_each_profiles_credential() -> None:
    for selected in ("staging", "dev", "default"):
        current = resolve_from(stores(), selected, env="env-token-0001")
        assert current.origin is TokenOrigin.ENVIRONMENT


def test_logout_removes_the_selected_profile_only() -> None:
    profiles = stores()
    env = FakeTokenSource(TokenOrigin.ENVIRONMENT)
    staging = selection(API, "staging", profile_from="option")
    first = Logout(profiles.store_of(STAGING), env, staging, profiles).logout()
    again = Logout(profiles.store_of(STAGING), env, staging, profiles).logout()
    assert (first.removed, first.profile, first.profiles_removed) == (True, "staging", ("staging",))
    assert (again.removed, again.profiles_removed) == (False, ())
    assert [name.value for name in profiles.names()] == ["default", "dev"]


def test_logout_everywhere_removes_every_profile_and_is_idempotent() -> None:
    profiles = stores()
    env = FakeTokenSource(TokenOrigin.ENVIRONMENT)
    first = LogoutEverywhere(profiles, env, "/fake").logout()
    again = LogoutEverywhere(profiles, env, "/fake").logout()
    assert (first.removed, first.profiles_removed) == (True, ("default", "dev", "staging"))
    assert (again.removed, again.profiles_removed, again.failure) == (False, (), None)
    assert profiles.names() == []


class UndeletableStore(FakeSecretStore):
    def delete(self) -> bool:
        raise StorageError("/fake/profiles/dev")


def test_one_profile_that_cannot_be_removed_does_not_keep_the_others() -> None:
    profiles = stores()
    profiles.stores["dev"] = UndeletableStore(credential("dev-token-0001"))
    result = LogoutEverywhere(profiles, FakeTokenSource(TokenOrigin.ENVIRONMENT), "/").logout()
    assert result.profiles_removed == ("default", "staging")
    assert isinstance(result.failure, StorageError)


# --- the commands ----------------------------------------------------------------------


def select(cli: Cli, profile: str) -> None:
    cli.container.settings.override(
        providers.Object(Settings.from_environment({}, api_url=API.value, profile=profile))
    )


def test_with_profile_the_next_step_names_it(cli: Cli) -> None:
    select(cli, "staging")
    code, _, err = cli.run("status --profile staging")
    assert code == 1
    assert err == (
        "Error: Profile staging (from --profile) holds no credential. No profile is stored. "
        "To create profile staging and log in to it, run `nanoctl login --profile staging`; "
        "or set NANOSERVICES_TOKEN.\n"
    )
    cli.store.load_error = CorruptedStore("/fake/credentials")
    code, _, err = cli.run("status --profile staging")
    assert code == 5
    assert "`nanoctl logout --profile staging`" in err


def test_a_prompt_login_says_which_profile_it_stored(cli: Cli) -> None:
    select(cli, "staging")
    cli.stdout_is_a_terminal()
    code, out, _ = cli.run("login --profile staging")
    assert code == 0
    assert out.splitlines()[1] == (
        "The token is stored encrypted as profile staging; "
        "`nanoctl logout --profile staging` removes it."
    )


def test_logout_json_says_which_profiles_were_removed(cli: Cli) -> None:
    select(cli, "staging")
    cli.store.credential = credential()
    code, out, _ = cli.run("logout --json --profile staging")
    assert code == 0
    assert json.loads(out) == {
        "logged_out": True,
        "removed": True,
        "location": "/fake/credentials",
        "environment_token_set": False,
        "profiles_removed": ["staging"],
    }
    code, out, _ = cli.run("logout --profile staging")
    assert (code, out) == (
        0,
        "Not logged in to profile staging (from --profile): nothing stored at /fake/credentials.\n",
    )


def test_logout_all_through_the_command(cli: Cli) -> None:
    profiles = stores()
    cli.container.profiles.override(providers.Object(profiles))
    code, out, _ = cli.run("logout --all")
    assert (code, out) == (
        0,
        # #23: was "of profile default, profile dev and profile staging"
        "Logged out: removed the stored credentials of profiles default, dev and staging.\n",
    )
    code, out, _ = cli.run("logout --all --json")
    assert code == 0
    assert json.loads(out)["profiles_removed"] == []
    assert json.loads(out)["removed"] is False


# --- the Python API --------------------------------------------------------------------


def test_the_python_api_selects_lists_and_logs_out_profiles() -> None:
    profiles = stores()
    c = api.container(environ={}, profile="dev")
    c.profiles.override(providers.Object(profiles))
    c.clock.override(providers.Object(FakeClock()))
    assert (c.selection().profile, c.selection().profile_from) == (ProfileName("dev"), "argument")
    assert api.token(using=c).reveal() == "dev-token-0001"
    assert api.profiles(using=c) == ["default", "dev", "staging"]
    assert api.logout(using=c).profiles_removed == ("dev",)
    assert api.logout(all_profiles=True, using=c).profiles_removed == ("default", "staging")
    assert api.profiles(using=c) == []


# --- status --all ----------------------------------------------------------------------


def test_status_of_profiles_checks_each_against_its_own_url_and_reports_each_fault() -> None:
    profiles = stores()
    profiles.stores["default"].load_error = CorruptedStore("/fake/credentials")
    validator = FakeTokenValidator({"staging-token-01": ADA, "dev-token-0001": InvalidToken()})
    result = StatusOfProfiles(
        profiles, validator, FakeClock(), FakeTokenSource(TokenOrigin.ENVIRONMENT, "env-token-01")
    ).check()

    default, dev, staging = result.profiles
    assert isinstance(default.error, CorruptedStore)
    assert (default.report, default.api_url) == (None, None)
    assert isinstance(dev.error, InvalidToken)
    assert dev.api_url == OTHER_API
    assert staging.report is not None
    assert staging.report.identity == ADA
    assert staging.report.origin is TokenOrigin.STORED  # the environment's token is not used
    assert result.environment_token_set is True
    # checked at once: in any order, each against its own URL
    assert sorted(validator.seen) == [
        ("dev-token-0001", OTHER_API.value),
        ("staging-token-01", API.value),
    ]


@pytest.mark.parametrize(
    ("errors", "want"),
    [
        pytest.param([], 0, id="all usable"),
        pytest.param([CorruptedStore("/f"), ApiUnreachable("u", "refused")], 4, id="4 beats 5"),
        pytest.param([ApiUnreachable("u", "refused"), InvalidToken()], 3, id="3 beats 4"),
        pytest.param([CorruptedStore("/f")], 5, id="damaged"),
    ],
)
def test_the_exit_code_of_status_all_is_the_worst_fault(
    errors: list[NanoctlError], want: int
) -> None:
    assert exit_code_of_all(errors) == want
