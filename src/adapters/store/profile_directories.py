"""Where each profile's store lives, and which profiles are stored.

Profile ``default`` is the config directory itself (``<config>/credentials.json``, the
layout every nanoctl release has written, so an older nanoctl keeps reading it); any other
profile ``NAME`` is a complete store of its own in ``<config>/profiles/NAME/``: its own
file, key and lock, so damage in one profile never reaches another and logins to
different profiles never wait for each other.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.domain.model import DEFAULT_PROFILE, PROFILE_NAME_RULE, ProfileName
from nanoctl.domain.ports import SecretStore

PROFILES_DIRECTORY = "profiles"


class ProfileDirectories:
    """``Profiles`` under ``config_dir``; ``store_in`` builds the store of one directory."""

    __slots__ = ("_config_dir", "_store_in")

    def __init__(self, config_dir: Path, store_in: Callable[[Path], SecretStore]) -> None:
        self._config_dir = Path(config_dir)
        self._store_in = store_in

    def __repr__(self) -> str:
        return f"ProfileDirectories({str(self._config_dir)!r})"

    def directory_of(self, name: ProfileName) -> Path:
        if name.is_default:
            return self._config_dir
        return self._config_dir / PROFILES_DIRECTORY / name.value

    def store_of(self, name: ProfileName) -> SecretStore:
        return self._store_in(self.directory_of(name))

    def names(self) -> list[ProfileName]:
        """``default`` first when its file is there, then the other profiles whose directory
        holds a credential file, by name. Reads directory entries only (no lock, no key);
        a name that breaks the rule (made by hand) is not a profile and is skipped."""
        found: list[ProfileName] = []
        if os.path.lexists(self._config_dir / CREDENTIAL_FILE):
            found.append(ProfileName(DEFAULT_PROFILE))
        try:
            entries = sorted(os.listdir(self._config_dir / PROFILES_DIRECTORY))
        except OSError:  # none yet, or unreadable: the store of each reports its own fault
            return found
        for entry in entries:
            if entry == DEFAULT_PROFILE or PROFILE_NAME_RULE.fullmatch(entry) is None:
                continue
            if os.path.lexists(self._config_dir / PROFILES_DIRECTORY / entry / CREDENTIAL_FILE):
                found.append(ProfileName(entry))
        return found
