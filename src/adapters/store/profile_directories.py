"""Where each profile's store lives, and which profiles are stored.

Profile ``default`` is the config directory itself (``<config>/credentials.json``, the
layout every nanoctl release has written, so an older nanoctl keeps reading it); any other
profile ``NAME`` is a complete store of its own in ``<config>/profiles/NAME/``: its own
file, key and lock, so damage in one profile never reaches another and logins to
different profiles never wait for each other. ``profiles/NAME`` is never reached through a
symbolic link (``store_directory.NestedDirectory``).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.private_files import entry_exists
from nanoctl.adapters.store.store_directory import NestedDirectory, StoreDirectory
from nanoctl.domain.model import DEFAULT_PROFILE, PROFILE_NAME_RULE, ProfileName
from nanoctl.domain.ports import SecretStore

PROFILES_DIRECTORY = "profiles"
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class ProfileDirectories:
    """``Profiles`` under ``config_dir``; ``store_in`` builds the store of one directory."""

    __slots__ = ("_config_dir", "_store_in")

    def __init__(self, config_dir: Path, store_in: Callable[[StoreDirectory], SecretStore]) -> None:
        self._config_dir = Path(config_dir)
        self._store_in = store_in

    def __repr__(self) -> str:
        return f"ProfileDirectories({str(self._config_dir)!r})"

    def directory_of(self, name: ProfileName) -> Path:
        return self._place_of(name).path

    def store_of(self, name: ProfileName) -> SecretStore:
        return self._store_in(self._place_of(name))

    def _place_of(self, name: ProfileName) -> StoreDirectory:
        if name.is_default:
            return StoreDirectory(self._config_dir)
        return NestedDirectory(self._config_dir, PROFILES_DIRECTORY, name.value)

    def names(self) -> list[ProfileName]:
        """``default`` first when its file is there, then the other profiles whose directory
        holds a credential file, by name, and every entry of ``profiles/`` that is a link
        (never followed: listed so that its refusal is reported). Reads directory entries
        only (no lock, no key); a name that breaks the rule (made by hand) is skipped."""
        found: list[ProfileName] = []
        if os.path.lexists(self._config_dir / CREDENTIAL_FILE):
            found.append(ProfileName(DEFAULT_PROFILE))
        found.extend(ProfileName(entry) for entry in sorted(self._listed_entries()))
        return found

    def _listed_entries(self) -> list[str]:
        try:
            profiles = _open_profiles(self._config_dir)
        except OSError:  # none yet, or unusable: the store of each reports its own fault
            return []
        try:
            entries = os.listdir(profiles)
            return [name for name in entries if _holds_a_profile(profiles, name)]
        except OSError:
            return []
        finally:
            os.close(profiles)


def _open_profiles(config_dir: Path) -> int:
    """``profiles/``, opened to read its names. One that is itself a link is read through
    it for the names alone, so that each profile there is listed with its refusal."""
    top = os.open(config_dir, _DIRECTORY)
    try:
        try:
            return os.open(PROFILES_DIRECTORY, _DIRECTORY | _NOFOLLOW, dir_fd=top)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            return os.open(PROFILES_DIRECTORY, _DIRECTORY, dir_fd=top)
    finally:
        os.close(top)


def _holds_a_profile(profiles: int, name: str) -> bool:
    if name == DEFAULT_PROFILE or PROFILE_NAME_RULE.fullmatch(name) is None:
        return False
    try:
        info = os.stat(name, dir_fd=profiles, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            return True  # reported by its store, never followed
        directory = os.open(name, _DIRECTORY | _NOFOLLOW, dir_fd=profiles)
    except OSError:
        return False
    try:
        return entry_exists(directory, CREDENTIAL_FILE)
    finally:
        os.close(directory)
