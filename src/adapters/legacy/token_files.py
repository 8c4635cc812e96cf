"""The LegacyTokenStore on disk: ``token/token.enc`` under ~/.nanoctl, ~/.blok, ~/.blokctl.

Finding costs a few lstat calls (`status` runs it on every call); the cipher module, and so
cryptography, is imported only to read a file. Below HOME nothing is followed through a
symlink: a legacy directory or file that is a symlink is not a legacy file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nanoctl.adapters.legacy.machine import MachineFacts
from nanoctl.adapters.legacy.shredder import (
    NotAFile,
    open_regular_file,
    remove_if_empty,
    shred,
)
from nanoctl.domain.errors import MalformedToken
from nanoctl.domain.legacy import LegacyFile
from nanoctl.domain.legacy_errors import LegacyFileNotRemoved, LegacyTokenUnreadable
from nanoctl.domain.model import Token, TokenOrigin

LEGACY_DIRECTORIES = (".nanoctl", ".blok", ".blokctl")
"""The old TypeScript nanoctl 0.1.x wrote ~/.nanoctl; its successors ~/.blok and ~/.blokctl."""
TOKEN_DIRECTORY = "token"
TOKEN_FILE = "token.enc"
MAX_FILE_BYTES = 64 * 1024
"""Far more than any token the old client wrote (hex of at most 4096 bytes and the IV)."""
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class LegacyTokenFiles:
    def __init__(
        self, home: Path, facts: Callable[[], MachineFacts] = MachineFacts.of_this_process
    ) -> None:
        self._home = home
        self._facts = facts
        self._key: bytes | None = None

    @property
    def locations(self) -> tuple[str, ...]:
        return tuple(str(self._path(name)) for name in LEGACY_DIRECTORIES)

    def find(self) -> list[LegacyFile]:
        found: list[LegacyFile] = []
        for name in LEGACY_DIRECTORIES:
            base = self._home / name
            if not (_is_directory(base) and _is_directory(base / TOKEN_DIRECTORY)):
                continue
            path = self._path(name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(LegacyFile(str(path), info.st_mtime, info.st_size))
        return found

    def read(self, file: LegacyFile) -> Token:
        from nanoctl.adapters.legacy.cipher import LegacyFormatError, decrypt  # reading only

        try:
            with self._token_directory(file) as (_, directory):
                content = _read_file(directory)
        except NotAFile:
            raise LegacyTokenUnreadable(file.path, "unreadable") from None
        except OSError as failed:
            raise LegacyTokenUnreadable(file.path, "unreadable", failed.errno) from None
        if content is None or not content.strip():
            raise LegacyTokenUnreadable(file.path, "malformed")
        try:
            plain = decrypt(content, self._legacy_key())
            return Token.parse(plain, TokenOrigin.LEGACY)
        except LegacyFormatError as bad:
            raise LegacyTokenUnreadable(file.path, bad.problem) from None
        except MalformedToken:
            raise LegacyTokenUnreadable(file.path, "not_a_token") from None

    def destroy(self, file: LegacyFile) -> None:
        try:
            with self._token_directory(file) as (base, directory):
                shred(directory, TOKEN_FILE)
                if remove_if_empty(base, TOKEN_DIRECTORY):
                    self._remove_base_if_empty(file)
        except NotAFile:
            raise LegacyFileNotRemoved(file.path, None) from None
        except OSError as failed:
            raise LegacyFileNotRemoved(file.path, failed.errno) from None

    def _legacy_key(self) -> bytes:
        if self._key is None:
            from nanoctl.adapters.legacy.cipher import legacy_key

            self._key = legacy_key(self._facts())
        return self._key

    def _path(self, name: str) -> Path:
        return self._home / name / TOKEN_DIRECTORY / TOKEN_FILE

    @contextmanager
    def _token_directory(self, file: LegacyFile) -> Iterator[tuple[int, int]]:
        """The open legacy directory and its token/ directory, reached without symlinks."""
        name = Path(file.path).parent.parent.name
        if name not in LEGACY_DIRECTORIES:
            raise NotAFile()
        home = os.open(self._home, os.O_RDONLY | os.O_DIRECTORY)
        try:
            base = _open_directory(home, name)
            try:
                directory = _open_directory(base, TOKEN_DIRECTORY)
                try:
                    yield base, directory
                finally:
                    os.close(directory)
            finally:
                os.close(base)
        finally:
            os.close(home)

    def _remove_base_if_empty(self, file: LegacyFile) -> None:
        home = os.open(self._home, os.O_RDONLY | os.O_DIRECTORY)
        try:
            remove_if_empty(home, Path(file.path).parent.parent.name)
        finally:
            os.close(home)


def _is_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _open_directory(parent: int, name: str) -> int:
    try:
        return os.open(name, _DIRECTORY_FLAGS, dir_fd=parent)
    except OSError as failed:
        if failed.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotAFile() from None
        raise


def _read_file(directory: int) -> bytes | None:
    """The bytes of token.enc; None when it is larger than any token file can be."""
    fd, _ = open_regular_file(directory, TOKEN_FILE, os.O_RDONLY)
    try:
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, MAX_FILE_BYTES + 1 - total):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                return None
        return b"".join(chunks)
    finally:
        os.close(fd)
