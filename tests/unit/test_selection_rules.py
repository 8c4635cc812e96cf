"""The selection (#19): which profile and which API URL a run uses, and who chose each,
resolved once from what was given, against fakes of the Profiles port.

Profile: --profile > NANOCTL_PROFILE > the one profile bound to an explicit URL > default.
API URL: --api-url > NANOSERVICES_API_URL > the selected profile's stored URL > the default.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from dependency_injector import providers

from nanoctl import api
from nanoctl.adapters.store.remembered_store import RememberedProfiles, RememberedStore
from nanoctl.domain.current_credential import ResolveCredential
from nanoctl.domain.errors import InvalidApiUrl
from nanoctl.domain.logout import Logout
from nanoctl.domain.model import DEFAULT_API_URL, ApiUrl, ProfileName
from nanoctl.domain.origins import ApiUrlOrigin, TokenOrigin
from nanoctl.domain.ports import SecretStore
from nanoctl.domain.selection import ApiUrlChoice, ProfileChoice, Selection, SelectProfileAndApi
from nanoctl.domain.selection_errors import ProfileHoldsNothing, SeveralProfilesForApi
from nanoctl.domain.store_errors import CorruptedStore
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import CountingStore, FakeClock, FakeProfiles, FakeTokenSource
from tests.unit.builders import API, OTHER_API, credential

THIRD_API = ApiUrl.parse("https://third.example.test")


def profiles(**bound: ApiUrl) -> FakeProfiles:
    """Each named profile holds a credential bound to its URL; every store counts its reads."""
    return FakeProfiles(
        {
            name: CountingStore(credential(f"{name}-token-0001", api=url))
            for name, url in bound.items()
        }
    )


def named(name: str, origin: str = "option") -> ProfileChoice:
    return ProfileChoice(ProfileName(name), origin)  # type: ignore[arg-type]


def given(url: ApiUrl | str, origin: ApiUrlOrigin = "environment") -> ApiUrlChoice:
    return ApiUrlChoice(url if isinstance(url, str) else url.value, origin)


def select(
    stores: FakeProfiles, profile: ProfileChoice | None = None, url: ApiUrlChoice | None = None
) -> Selection:
    return SelectProfileAndApi(stores).select(profile, url)


def loads(stores: FakeProfiles) -> dict[str, int]:
    return {name: store.loads for name, store in stores.stores.items()}  # type: ignore[attr-defined]


# --- the profile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "url", "want", "want_from"),
    [
        pytest.param(named("staging"), given(OTHER_API), "staging", "option", id="--profile"),
        pytest.param(
            named("staging", "environment"),
            given(OTHER_API),
            "staging",
            "environment",
            id="NANOCTL_PROFILE beats the URL",
        ),
        pytest.param(named("qa", "argument"), None, "qa", "argument", id="profile= argument"),
        pytest.param(None, given(OTHER_API), "dev", "api_url", id="the one bound to the URL"),
        pytest.param(None, given(THIRD_API), "default", "default", id="none bound: default"),
        pytest.param(None, None, "default", "default", id="nothing given: default"),
    ],
)
def test_the_profile_of_a_run(
    profile: ProfileChoice | None, url: ApiUrlChoice | None, want: str, want_from: str
) -> None:
    stores = profiles(default=API, dev=OTHER_API, staging=API)
    selected = select(stores, profile, url)
    assert (selected.profile, selected.profile_from) == (ProfileName(want), want_from)
    assert selected.competing == ()


def test_a_named_profile_reads_no_other_profile() -> None:
    stores = profiles(default=API, dev=OTHER_API, staging=API)
    select(stores, named("staging"), given(OTHER_API))
    assert loads(stores) == {"default": 0, "dev": 0, "staging": 0}


def test_with_default_the_only_profile_a_given_url_reads_nothing() -> None:
    """Bound to the URL or not, default is the one: nothing to decrypt to know it."""
    stores = profiles(default=API)
    selected = select(stores, None, given(OTHER_API))
    assert (selected.profile, selected.api_url, selected.api_url_from) == (
        ProfileName("default"),
        OTHER_API,
        "environment",
    )
    assert loads(stores) == {"default": 0}


def test_a_damaged_profile_is_passed_over_when_looking_for_the_url() -> None:
    stores = profiles(default=API, dev=OTHER_API)
    stores.stores["default"].load_error = CorruptedStore("/fake/credentials")
    assert select(stores, None, given(OTHER_API)).profile == ProfileName("dev")


# --- several profiles bound to the URL --------------------------------------------------------


def test_several_profiles_bound_to_the_url_select_none() -> None:
    stores = profiles(default=API, dev=OTHER_API, qa=OTHER_API)
    selected = select(stores, None, given(OTHER_API))
    assert selected.competing == (ProfileName("dev"), ProfileName("qa"))
    with pytest.raises(SeveralProfilesForApi) as raised:
        selected.profile_to_use()
    error = raised.value
    assert (error.profiles, error.url, error.url_from) == (
        ("dev", "qa"),
        OTHER_API.value,
        "environment",
    )
    assert (error.kind, exit_code_of(error)) == ("ambiguous_profile", 2)
    assert str(explain(error)) == (
        f"Profiles dev and qa are all logged in to {OTHER_API.value} (from NANOSERVICES_API_URL); "
        "nanoctl will not guess which one to use. Name one with --profile "
        "(--profile dev or --profile qa)."
    )


def test_a_named_profile_settles_it() -> None:
    stores = profiles(dev=OTHER_API, qa=OTHER_API)
    assert select(stores, named("qa"), given(OTHER_API)).profile_to_use() == ProfileName("qa")


def test_several_bound_is_an_error_only_where_a_stored_credential_would_be_used() -> None:
    """The environment's token needs no profile; a stored one, or a logout, does."""
    stores = profiles(dev=OTHER_API, qa=OTHER_API)
    selected = select(stores, None, given(OTHER_API))

    def resolve(env: str | None) -> ResolveCredential:
        source = FakeTokenSource(TokenOrigin.ENVIRONMENT, env)
        return ResolveCredential(
            source, stores.store_of(selected.profile), FakeClock(), selected, profiles=stores
        )

    current = resolve("env-token-0001").resolve()
    assert (current.origin, current.credential.api_url) == (TokenOrigin.ENVIRONMENT, OTHER_API)
    with pytest.raises(SeveralProfilesForApi):
        resolve(None).resolve()
    logout = Logout(
        stores.store_of(selected.profile), FakeTokenSource(TokenOrigin.ENVIRONMENT), selected
    )
    with pytest.raises(SeveralProfilesForApi):
        logout.logout()
    assert [name.value for name in stores.names()] == ["dev", "qa"]  # nothing removed


# --- the API URL ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "want", "want_from"),
    [
        pytest.param(given(THIRD_API, "option"), THIRD_API, "option", id="--api-url"),
        pytest.param(given(THIRD_API), THIRD_API, "environment", id="NANOSERVICES_API_URL"),
        pytest.param(given(THIRD_API, "argument"), THIRD_API, "argument", id="api_url="),
        pytest.param(None, OTHER_API, "profile", id="the profile's stored URL"),
    ],
)
def test_the_api_url_of_a_run(url: ApiUrlChoice | None, want: ApiUrl, want_from: str) -> None:
    stores = profiles(default=API, dev=OTHER_API)
    selected = select(stores, named("dev"), url)
    assert (selected.api_url, selected.api_url_from) == (want, want_from)


@pytest.mark.parametrize("damaged", [False, True], ids=["nothing stored", "damaged"])
def test_else_the_built_in_default(damaged: bool) -> None:
    stores = profiles(default=API)
    if damaged:
        stores.stores["default"].load_error = CorruptedStore("/fake/credentials")
    else:
        stores.stores["default"].credential = None
    selected = select(stores)
    assert (selected.api_url.value, selected.api_url_from) == (DEFAULT_API_URL, "default")
    assert loads(stores) == {"default": 1 if damaged else 0}  # nothing stored: nothing read


def test_a_given_url_that_is_not_one_fails_before_anything_is_read() -> None:
    stores = profiles(default=API, dev=OTHER_API)
    with pytest.raises(InvalidApiUrl):
        select(stores, None, given("not a url"))
    assert loads(stores) == {"default": 0, "dev": 0}


# --- a profile that holds nothing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "want"),
    [
        pytest.param(
            named("devv", "environment"),
            "Profile devv (from NANOCTL_PROFILE) holds no credential. Stored profiles: default, "
            "dev. Did you mean dev? To create profile devv and log in to it, run "
            "`nanoctl login --profile devv`; or set NANOSERVICES_TOKEN.",
            id="a typo",
        ),
        pytest.param(
            named("prod"),
            "Profile prod (from --profile) holds no credential. Stored profiles: default, dev. "
            "To create profile prod and log in to it, run `nanoctl login --profile prod`; or "
            "set NANOSERVICES_TOKEN.",
            id="no close name",
        ),
    ],
)
def test_a_profile_that_holds_nothing_is_named_with_the_stored_ones(
    profile: ProfileChoice, want: str
) -> None:
    stores = profiles(default=API, dev=OTHER_API)
    selected = select(stores, profile)
    resolve = ResolveCredential(
        FakeTokenSource(TokenOrigin.ENVIRONMENT),
        stores.store_of(selected.profile),
        FakeClock(),
        selected,
        profiles=stores,
    )
    with pytest.raises(ProfileHoldsNothing) as raised:
        resolve.resolve()
    assert (raised.value.kind, exit_code_of(raised.value)) == ("not_logged_in", 1)
    assert str(explain(raised.value, Context.of(selected))) == want


def test_with_nothing_stored_at_all_the_words_are_todays() -> None:
    error = ProfileHoldsNothing("default", "default", ())
    assert str(explain(error)) == (
        "You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN."
    )


def test_the_default_profile_holding_nothing_beside_others_lists_them() -> None:
    error = ProfileHoldsNothing("default", "default", ("dev", "staging"))
    assert str(explain(error)) == (
        "Profile default holds no credential. Stored profiles: dev, staging. Name one with "
        "--profile (e.g. --profile dev), run `nanoctl login` to log in to profile default, or "
        "set NANOSERVICES_TOKEN."
    )


# --- one selection per run, each credential read at most once ----------------------------------


class BuildingProfiles:
    """Like the real ProfileDirectories: a new store object each time one is asked for."""

    def __init__(self, stores: Mapping[str, CountingStore]) -> None:
        self.stores = dict(stores)

    def names(self) -> list[ProfileName]:
        return [
            ProfileName(name) for name in sorted(self.stores, key=lambda n: (n != "default", n))
        ]

    def store_of(self, name: ProfileName) -> SecretStore:
        return RememberedStore(self.stores[name.value])


def test_a_run_reads_each_credential_at_most_once() -> None:
    """The URL selects dev (default and dev read once each to know it); the token then
    comes from dev's credential, read then, not again."""
    counted = {
        "default": CountingStore(credential("default-token-01", api=API)),
        "dev": CountingStore(credential("dev-token-00001", api=OTHER_API)),
    }
    c = api.container(environ={"NANOSERVICES_API_URL": OTHER_API.value})
    c.profiles.override(providers.Object(RememberedProfiles(BuildingProfiles(counted))))
    c.clock.override(providers.Object(FakeClock()))

    assert api.token(using=c).reveal() == "dev-token-00001"
    assert (c.selection().profile, c.selection().profile_from) == (ProfileName("dev"), "api_url")
    assert {name: store.loads for name, store in counted.items()} == {"default": 1, "dev": 1}
