"""The store of one profile's directory, as each platform allows: the encrypted store where
it can work, else one that refuses plainly."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nanoctl.adapters.store.store_directory import StoreDirectory
    from nanoctl.domain.events import Diagnostics
    from nanoctl.domain.ports import SecretStore


class DirectoryStores:
    """Builds the store of a profile's directory: encrypted, its key in the OS keyring (or a
    key file: ``use_keyring`` False), read at most once per run. The encrypted store relies
    on flock and dir_fd, POSIX only: on Windows (``platform``) the store refuses plainly."""

    __slots__ = ("_diagnostics", "_platform", "_use_keyring")

    def __init__(self, platform: str, use_keyring: bool, diagnostics: Diagnostics) -> None:
        self._platform = platform
        self._use_keyring = use_keyring
        self._diagnostics = diagnostics

    def __call__(self, directory: StoreDirectory) -> SecretStore:
        if self._platform == "win32":
            from nanoctl.adapters.store.unsupported import UnsupportedStore

            return UnsupportedStore(directory.path, self._platform)
        # Imported here: the store needs fcntl and dir_fd, which Windows does not have.
        from nanoctl.adapters.store.encrypted_store import EncryptedFileStore
        from nanoctl.adapters.store.keyring_keys import choose_key_store
        from nanoctl.adapters.store.remembered_store import RememberedStore

        keys = choose_key_store(directory, self._use_keyring, self._diagnostics)
        return RememberedStore(EncryptedFileStore(directory, keys, self._diagnostics))
