"""Settings from the environment: where the credential lives, timeouts, keyring, API URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanoctl.domain.errors import InvalidApiUrl, InvalidProfileName, UsageError
from nanoctl.domain.model import DEFAULT_API_URL
from nanoctl.domain.selection import ApiUrlChoice, SelectProfileAndApi
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import FakeProfiles


def test_config_dir_follows_xdg_config_home_when_absolute(tmp_path: Path) -> None:
    settings = Settings.from_environment({"XDG_CONFIG_HOME": str(tmp_path)})
    assert settings.config_dir == tmp_path / "nanoctl"


@pytest.mark.parametrize("xdg", [None, "", "relative/dir"], ids=["unset", "empty", "relative"])
def test_config_dir_defaults_to_dot_config(xdg: str | None, isolated_home: Path) -> None:
    environ = {} if xdg is None else {"XDG_CONFIG_HOME": xdg}
    assert Settings.from_environment(environ).config_dir == isolated_home / ".config" / "nanoctl"


def test_default_config_dir_matches_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    expected = Path(platformdirs.user_config_dir("nanoctl", appauthor=False))
    assert Settings.from_environment({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}).config_dir == (
        expected
    )


def test_nanoctl_config_dir_wins(tmp_path: Path) -> None:
    environ = {"NANOCTL_CONFIG_DIR": str(tmp_path / "here"), "XDG_CONFIG_HOME": "/elsewhere"}
    assert Settings.from_environment(environ).config_dir == tmp_path / "here"


def test_api_url_option_beats_the_environment_which_beats_the_default() -> None:
    """The URL given (the default and the profile's stored URL come with the selection)."""
    env = {"NANOSERVICES_API_URL": "https://env.example"}
    assert Settings.from_environment({}).api_url_choice is None
    assert Settings.from_environment(env).api_url_choice == ApiUrlChoice(
        "https://env.example", "environment"
    )
    assert Settings.from_environment(env, api_url="https://opt.example").api_url_choice == (
        ApiUrlChoice("https://opt.example", "option")
    )
    assert Settings.from_environment(
        env, api_url="https://opt.example", given_as="argument"
    ).api_url_choice == ApiUrlChoice("https://opt.example", "argument")
    assert DEFAULT_API_URL.startswith("https://")


@pytest.mark.parametrize(
    "name",
    ["NANOSERVICES_TOKEN", "NANOSERVICES_TOKEN_FILE", "NANOSERVICES_API_URL", "NANOCTL_PROFILE"],
)
@pytest.mark.parametrize("value", ["", "  ", "\n"], ids=["empty", "spaces", "a newline"])
def test_an_empty_variable_counts_as_unset_and_is_listed_once(name: str, value: str) -> None:
    settings = Settings.from_environment({name: value})
    assert settings.empty_variables == (name,)
    assert settings.api_url_choice is None
    assert settings.profile_choice is None


def test_empty_options_are_not_unset_but_usage_errors() -> None:
    """`--profile=` names no profile and `--api-url=` no URL: both are usage errors (exit 2),
    not silently the default."""
    with pytest.raises(InvalidProfileName):
        Settings.from_environment({}, profile="")
    choice = Settings.from_environment({}, api_url="").api_url_choice
    assert choice == ApiUrlChoice("", "option")
    with pytest.raises(InvalidApiUrl):
        SelectProfileAndApi(FakeProfiles()).select(None, choice)


@pytest.mark.parametrize(("raw", "want"), [(None, True), ("1", True), ("0", False), ("no", False)])
def test_keyring_switch(raw: str | None, want: bool) -> None:
    environ = {} if raw is None else {"NANOCTL_KEYRING": raw}
    assert Settings.from_environment(environ).use_keyring is want


@pytest.mark.parametrize(
    ("raw", "timeout", "deadline"),
    [(None, 10.0, 30.0), ("20", 20.0, 60.0), ("2", 2.0, 6.0), ("0.5", 0.5, 1.5)],
)
def test_the_total_deadline_is_three_timeouts_whichever_way_it_moves(
    raw: str | None, timeout: float, deadline: float
) -> None:
    settings = Settings.from_environment({} if raw is None else {"NANOCTL_HTTP_TIMEOUT": raw})
    assert (settings.http_timeout, settings.http_deadline) == (timeout, deadline)


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "inf", "601"])
def test_bad_http_timeout_is_a_usage_error_naming_the_variable(raw: str) -> None:
    with pytest.raises(UsageError) as caught:
        Settings.from_environment({"NANOCTL_HTTP_TIMEOUT": raw})
    assert "NANOCTL_HTTP_TIMEOUT" in str(explain(caught.value))
