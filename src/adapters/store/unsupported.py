"""The SecretStore where a credential cannot be stored: not POSIX (Windows has neither
flock nor dir_fd). It refuses plainly, instead of failing on an import; the environment
and flag tokens never touch a store, so they work everywhere."""

from __future__ import annotations

from pathlib import Path

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.domain.model import Credential
from nanoctl.domain.store_errors import StoreUnsupported


class UnsupportedStore:
    def __init__(self, directory: Path, platform: str) -> None:
        self._path = str(Path(directory) / CREDENTIAL_FILE)
        self._platform = platform

    def __repr__(self) -> str:
        return f"UnsupportedStore({self._platform!r})"

    @property
    def location(self) -> str:
        return self._path

    @property
    def key_location(self) -> str:
        return self._path

    def load(self) -> Credential | None:
        raise StoreUnsupported(self._path, self._platform)

    def save(self, credential: Credential) -> None:
        raise StoreUnsupported(self._path, self._platform)

    def delete(self) -> bool:
        return False  # nothing can have been stored here

    def holds_credential(self) -> bool:
        return False
