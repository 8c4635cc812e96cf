"""Settings from the environment: where the credential lives, timeouts, keyring, API URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanoctl.domain.errors import (
    ConflictingMaskOptions,
    InvalidApiUrl,
    InvalidMaskSetting,
    InvalidProfileName,
    UsageError,
)
from nanoctl.domain.model import DEFAULT_API_URL
from nanoctl.domain.selection import ApiUrlChoice, SelectProfileAndApi
from nanoctl.entrypoints.messages.errors import explain
from nanoctl.entrypoints.settings import Settings, output_masking
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


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (None, "not_at_terminal"),
        ("", "not_at_terminal"),
        ("  ", "not_at_terminal"),
        ("1", "always"),
        ("true", "always"),
        (" Yes ", "always"),
        ("on", "always"),
        ("0", "off"),
        ("false", "off"),
        ("NO", "off"),
        ("off", "off"),
    ],
)
def test_nanoctl_mask_sets_where_exec_masks(value: str | None, want: str) -> None:
    environ = {} if value is None else {"NANOCTL_MASK": value}
    assert output_masking(environ, mask=False, no_mask=False) == want


def test_the_mask_options_beat_nanoctl_mask_and_exclude_each_other() -> None:
    assert output_masking({"NANOCTL_MASK": "0"}, mask=True, no_mask=False) == "always"
    assert output_masking({"NANOCTL_MASK": "1"}, mask=False, no_mask=True) == "off"
    assert output_masking({"NANOCTL_MASK": "bad"}, mask=True, no_mask=False) == "always"
    with pytest.raises(ConflictingMaskOptions):
        output_masking({}, mask=True, no_mask=True)


def test_a_nanoctl_mask_that_is_neither_on_nor_off_is_refused_without_showing_a_token() -> None:
    with pytest.raises(InvalidMaskSetting) as refused:
        output_masking({"NANOCTL_MASK": "nano_valid_ada_7Kq2xR9mZ4"}, mask=False, no_mask=False)
    assert "nano_valid" not in repr(refused.value)
    assert "nano_valid" not in str(explain(refused.value))
    with pytest.raises(InvalidMaskSetting) as mistyped:
        output_masking({"NANOCTL_MASK": "2"}, mask=False, no_mask=False)
    assert str(explain(mistyped.value)).startswith("NANOCTL_MASK='2' is neither 1 nor 0.")
