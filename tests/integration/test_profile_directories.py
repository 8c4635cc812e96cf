"""Where each profile's store lives and which profiles are listed (#12), on the real
file system: ``default`` is the config directory, any other in ``profiles/NAME``."""

from __future__ import annotations

import os
from pathlib import Path

from nanoctl.adapters.store.profile_directories import ProfileDirectories
from nanoctl.adapters.store.store_directory import StoreDirectory
from nanoctl.domain.model import ProfileName
from nanoctl.domain.ports import SecretStore
from tests.fakes import FakeSecretStore


def directories(config: Path) -> ProfileDirectories:
    def store_in(directory: StoreDirectory) -> SecretStore:
        return FakeSecretStore()

    return ProfileDirectories(config, store_in)


def test_default_is_the_config_directory_and_others_are_under_profiles(tmp_path: Path) -> None:
    profiles = directories(tmp_path)
    assert profiles.directory_of(ProfileName("default")) == tmp_path
    assert profiles.directory_of(ProfileName("dev")) == tmp_path / "profiles" / "dev"


def test_nothing_stored_lists_nothing_and_creates_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config"
    assert directories(config).names() == []
    assert not config.exists()


def test_names_are_default_first_then_sorted_only_those_holding_a_credential(
    tmp_path: Path,
) -> None:
    (tmp_path / "credentials.json").write_text("{}")
    for name in ("staging", "dev", "a-1", "Upper", "empty", "default", ".hidden"):
        (tmp_path / "profiles" / name).mkdir(parents=True)
        if name != "empty":
            (tmp_path / "profiles" / name / "credentials.json").write_text("{}")
    (tmp_path / "profiles" / "broken").mkdir()
    os.symlink("/nonexistent", tmp_path / "profiles" / "broken" / "credentials.json")

    names = [name.value for name in directories(tmp_path).names()]

    # a dangling link is still a (damaged) credential to report; names that break the rule
    # and profiles/default (default is the config directory itself) are not profiles
    assert names == ["default", "a-1", "broken", "dev", "staging"]


def test_without_a_default_credential_default_is_not_listed(tmp_path: Path) -> None:
    (tmp_path / "profiles" / "dev").mkdir(parents=True)
    (tmp_path / "profiles" / "dev" / "credentials.json").write_text("{}")
    assert directories(tmp_path).names() == [ProfileName("dev")]
