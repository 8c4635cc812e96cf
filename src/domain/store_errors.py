"""What can go wrong with the local credential store (exit 5), as facts: which file, which
OS error number, what is damaged. Part of the one hierarchy of ``nanoctl.domain.errors``."""

from __future__ import annotations

from typing import Literal

from nanoctl.domain.errors import NanoctlError

Damage = Literal[
    "empty",
    "not_json",
    "not_a_credential",
    "no_format",
    "no_key_place",
    "field_missing",
    "field_not_base64",
    "nonce_size",
    "ciphertext_truncated",
    "wrong_key",
    "bad_content",
]
StoreFile = Literal["credential", "key", "lock", "directory"]
WriteAction = Literal["save", "create", "remove"]
ReadAction = Literal["open", "read", "open_lock"]
KeyringProblem = Literal["timeout", "locked", "raised", "no_backend", "lost_key"]
DirectoryOrigin = Literal["own", "shared", "other"]
"""Whose an exposed directory looks like: nanoctl's own (only its files in it), shared
(the sticky bit, like /tmp) or another program's (files that are not nanoctl's)."""


class StorageError(NanoctlError):
    """``path`` is the file or directory concerned (or the key's place, for humans)."""

    kind = "storage"

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class StoreUnreadable(StorageError):
    """Opening or reading failed with ``errno`` (None: no OS error number)."""

    def __init__(self, path: str, action: ReadAction, errno: int | None) -> None:
        super().__init__(path)
        self.action: ReadAction = action
        self.errno = errno


class LockFailed(StorageError):
    def __init__(self, path: str, errno: int | None) -> None:
        super().__init__(path)
        self.errno = errno


class LockHeld(StorageError):
    """Another process held the lock for ``seconds``."""

    def __init__(self, path: str, seconds: float) -> None:
        super().__init__(path)
        self.seconds = seconds


class StoreUnsupported(StorageError):
    """Credentials cannot be stored on ``platform`` (not POSIX: no flock, no dir_fd)."""

    def __init__(self, path: str, platform: str) -> None:
        super().__init__(path)
        self.platform = platform


class CorruptedStore(StorageError):
    kind = "corrupted_store"


class DamagedCredential(CorruptedStore):
    """``field``: the envelope field concerned, for ``field_missing`` and ``field_not_base64``."""

    def __init__(self, path: str, damage: Damage, field: str | None = None) -> None:
        super().__init__(path)
        self.damage: Damage = damage
        self.field = field


class OversizedFile(CorruptedStore):
    """Larger than any file nanoctl writes."""


class MissingKey(CorruptedStore):
    def __init__(self, path: str, key_location: str) -> None:
        super().__init__(path)
        self.key_location = key_location


class DamagedKey(CorruptedStore):
    """The key at ``path`` (a key file, or the keyring's name) is not a key."""


class UnsafeStore(StorageError):
    kind = "unsafe_store"


class ExposedToOthers(UnsafeStore):
    """Group or world access. ``origin`` tells the fix: only nanoctl's own directory (or
    file: always "own") may be chmodded; closing a shared or another program's directory
    would lock its other users out."""

    def __init__(
        self, path: str, mode: int, *, directory: bool, origin: DirectoryOrigin = "own"
    ) -> None:
        super().__init__(path)
        self.mode = mode
        self.directory = directory
        self.origin: DirectoryOrigin = origin


class ForeignOwner(UnsafeStore):
    """Owned by ``uid``. ``origin`` as for ExposedToOthers: chown only what looks like
    nanoctl's own; a shared or another program's directory is not to be taken over."""

    def __init__(
        self, path: str, uid: int, *, directory: bool, origin: DirectoryOrigin = "own"
    ) -> None:
        super().__init__(path)
        self.uid = uid
        self.directory = directory
        self.origin: DirectoryOrigin = origin


class SymlinkRefused(UnsafeStore):
    """A symbolic link where a secret (the credential or its key) is read or written."""


class SymlinkedDirectory(UnsafeStore):
    """A symbolic link where a profile's directory (or ``profiles/``) is expected: never
    followed, whoever put it there."""


class ForeignSymlink(UnsafeStore):
    """A symbolic link on the way to the config directory that another user (``uid``) owns:
    whoever can plant one in a shared directory would choose what nanoctl writes and
    removes."""

    def __init__(self, path: str, uid: int) -> None:
        super().__init__(path)
        self.uid = uid


class SymlinkedLock(UnsafeStore):
    """A symbolic link at the lock file's path."""


class WrongFileType(UnsafeStore):
    """Not a directory (``directory``) or not a regular file where one is expected."""

    def __init__(self, path: str, *, directory: bool) -> None:
        super().__init__(path)
        self.directory = directory


class ConfigPathNotDirectory(UnsafeStore):
    """The config directory's path names something else (ENOTDIR)."""


class DirectoryInTheWay(UnsafeStore):
    """A directory where nanoctl would remove one of its files."""


class StoreWriteFailed(StorageError):
    kind = "store_write_failed"

    def __init__(self, path: str, role: StoreFile, action: WriteAction, errno: int | None) -> None:
        super().__init__(path)
        self.role: StoreFile = role
        self.action: WriteAction = action
        self.errno = errno


class NewerStoreFormat(StorageError):
    """Written by a newer nanoctl: upgrading fixes it, so it is never overwritten."""

    kind = "newer_store_format"

    def __init__(self, path: str, version: int, supported: int) -> None:
        super().__init__(path)
        self.version = version
        self.supported = supported


class KeyringFault:
    """Why the OS keyring could not be used, with its ``detail``: the seconds waited, the
    class name of the error it raised, or the backend found (never the backend's message)."""

    __slots__ = ("detail", "problem")

    def __init__(self, problem: KeyringProblem, detail: str = "") -> None:
        self.problem: KeyringProblem = problem
        self.detail = detail

    def __repr__(self) -> str:
        return f"KeyringFault({self.problem!r}, {self.detail!r})"


class KeyringUnavailable(StorageError):
    """The key is in the OS keyring, which cannot be used now (``fault``) or is turned off
    for this run (``fault`` None)."""

    kind = "keyring_unavailable"

    def __init__(self, path: str, fault: KeyringFault | None) -> None:
        super().__init__(path)
        self.fault = fault
