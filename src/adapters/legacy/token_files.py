"""The LegacyTokenStore on disk: ``token/token.enc`` under ~/.nanoctl, ~/.blok, ~/.blokctl.

Finding costs a few lstat calls (`status` runs it on every call); the cipher module, and so
cryptography, is imported only to read a file. Below HOME nothing is opened through a
symlink: a legacy directory or file reached through one is found (and named, with its link)
but never read or destroyed. A file that is read stays open until it is destroyed, so what
is destroyed is checked to be what was read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nanoctl.adapters.legacy.shredder import (
    NotAFile,
    is_at,
    open_regular_file,
    overwrite,
    remove_if_empty,
    same_file,
    unlink,
)
from nanoctl.domain.errors import MalformedToken
from nanoctl.domain.legacy.errors import LegacyFileNotRemoved, LegacyTokenUnreadable
from nanoctl.domain.legacy.files import LegacyFile
from nanoctl.domain.model import Token
from nanoctl.domain.origins import TokenOrigin

if TYPE_CHECKING:  # the machine's facts (platform, socket) only to read a file
    from nanoctl.adapters.legacy.machine import MachineFacts

LEGACY_DIRECTORIES = (".nanoctl", ".blok", ".blokctl")
"""The old TypeScript nanoctl 0.1.x wrote ~/.nanoctl; its successors ~/.blok and ~/.blokctl."""
TOKEN_DIRECTORY = "token"
TOKEN_FILE = "token.enc"
MAX_FILE_BYTES = 64 * 1024
"""Far more than any token the old client wrote (hex of at most 4096 bytes and the IV)."""
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class LegacyTokenFiles:
    def __init__(self, home: Path, facts: Callable[[], MachineFacts] | None = None) -> None:
        """``facts``: the machine's facts the key is made from (None: this process's)."""
        self._home = home
        self._facts = facts
        self._key: bytes | None = None

    @property
    def locations(self) -> tuple[str, ...]:
        return tuple(str(self._path(name)) for name in LEGACY_DIRECTORIES)

    def find(self) -> list[LegacyFile]:
        found: list[LegacyFile] = []
        for name in LEGACY_DIRECTORIES:
            path = self._path(name)
            link = _first_link(path.parent.parent, path.parent, path)
            try:
                # Through a link only to say what is there: never opened that way.
                info = os.lstat(path) if link is None else os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                shown = None if link is None else str(link)
                found.append(LegacyFile(str(path), info.st_mtime, info.st_size, shown))
        return found

    def read(self, file: LegacyFile) -> Token:
        with self.open(file) as opened:
            return opened.token

    @contextmanager
    def open(self, file: LegacyFile) -> Iterator[OpenedTokenFile]:
        with ExitStack() as held:
            try:
                base, directory = self._token_directory(file, held)
                fd, _ = open_regular_file(directory, TOKEN_FILE, os.O_RDONLY)
                held.callback(os.close, fd)
                content = _read_file(fd)
            except NotAFile:
                raise LegacyTokenUnreadable(file.path, "unreadable") from None
            except OSError as failed:
                raise LegacyTokenUnreadable(file.path, "unreadable", failed.errno) from None
            token = self._decrypt(file.path, content)
            yield OpenedTokenFile(self, file, token, _Descriptors(base, directory, fd))

    def _decrypt(self, path: str, content: bytes | None) -> Token:
        """The token in a file's ``content`` (None: larger than any token file)."""
        from nanoctl.adapters.legacy.cipher import LegacyFormatError, decrypt  # reading only

        if content is None or not content.strip():
            raise LegacyTokenUnreadable(path, "malformed")
        try:
            plain = decrypt(content, self._legacy_key())
            return Token.parse(plain, TokenOrigin.LEGACY)
        except LegacyFormatError as bad:
            raise LegacyTokenUnreadable(path, bad.problem) from None
        except MalformedToken:
            raise LegacyTokenUnreadable(path, "not_a_token") from None

    def decrypt_again(self, path: str, fd: int) -> Token:
        """The token the open file ``fd`` holds now, read from its start."""
        try:
            content = _read_file(fd)
        except OSError as failed:
            raise LegacyTokenUnreadable(path, "unreadable", failed.errno) from None
        return self._decrypt(path, content)

    def _legacy_key(self) -> bytes:
        if self._key is None:
            from nanoctl.adapters.legacy.cipher import legacy_key

            self._key = legacy_key(self._facts() if self._facts else _this_machine())
        return self._key

    def _path(self, name: str) -> Path:
        return self._home / name / TOKEN_DIRECTORY / TOKEN_FILE

    def _token_directory(self, file: LegacyFile, held: ExitStack) -> tuple[int, int]:
        """The open legacy directory and its token/ directory, reached without symlinks
        (closed when ``held`` is)."""
        name = Path(file.path).parent.parent.name
        if name not in LEGACY_DIRECTORIES:
            raise NotAFile()
        home = os.open(self._home, os.O_RDONLY | os.O_DIRECTORY)
        try:
            base = _open_directory(home, name)
        finally:
            os.close(home)
        held.callback(os.close, base)
        directory = _open_directory(base, TOKEN_DIRECTORY)
        held.callback(os.close, directory)
        return base, directory

    def remove_base_if_empty(self, file: LegacyFile) -> None:
        home = os.open(self._home, os.O_RDONLY | os.O_DIRECTORY)
        try:
            remove_if_empty(home, Path(file.path).parent.parent.name)
        finally:
            os.close(home)


class _Descriptors:
    """What an opened token file holds open: the legacy directory, its token/ directory
    and token.enc itself (read-only), each reached without following a link."""

    __slots__ = ("base", "directory", "file")

    def __init__(self, base: int, directory: int, file: int) -> None:
        self.base = base
        self.directory = directory
        self.file = file


class OpenedTokenFile:
    """A token.enc as read, still open: what is destroyed is checked to be what was read."""

    def __init__(
        self, files: LegacyTokenFiles, file: LegacyFile, token: Token, held: _Descriptors
    ) -> None:
        self._files = files
        self._file = file
        self._token = token
        self._held = held

    @property
    def token(self) -> Token:
        return self._token

    def destroy_if_holding(self, token: Token) -> bool:
        held, path = self._held, self._file.path
        try:
            writer, _ = open_regular_file(held.directory, TOKEN_FILE, os.O_WRONLY)
        except FileNotFoundError:
            return True  # removed since it was read: no copy is left at its path
        except NotAFile:
            raise LegacyFileNotRemoved(path, None) from None
        except OSError as failed:
            raise LegacyFileNotRemoved(path, failed.errno) from None
        try:
            # The last check, as late as can be: the file at the path is still the one
            # read, and it still holds the token (the old client rewrites in place).
            if not (same_file(writer, held.file) and self._still_holds(token)):
                return False
            overwrite(writer)
            if not is_at(held.directory, TOKEN_FILE, held.file):
                return False  # replaced meanwhile: the new file is not ours to remove
            unlink(held.directory, TOKEN_FILE)
        except OSError as failed:
            raise LegacyFileNotRemoved(path, failed.errno) from None
        finally:
            os.close(writer)
        if remove_if_empty(held.base, TOKEN_DIRECTORY):
            self._files.remove_base_if_empty(self._file)
        return True

    def _still_holds(self, token: Token) -> bool:
        try:
            return self._files.decrypt_again(self._file.path, self._held.file) == token
        except LegacyTokenUnreadable:
            return False


def _first_link(*paths: Path) -> Path | None:
    """The first of ``paths`` (each inside the one before) that is a symbolic link; None
    when none is, or when one is missing before a link is met."""
    for path in paths:
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return path
        except OSError:
            return None
    return None


def _open_directory(parent: int, name: str) -> int:
    try:
        return os.open(name, _DIRECTORY_FLAGS, dir_fd=parent)
    except OSError as failed:
        if failed.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotAFile() from None
        raise


def _read_file(fd: int) -> bytes | None:
    """The bytes of the open token.enc, from its start; None when it is larger than any
    token file can be."""
    chunks: list[bytes] = []
    total = 0
    while chunk := os.pread(fd, MAX_FILE_BYTES + 1 - total, total):
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            return None
    return b"".join(chunks)


def _this_machine() -> MachineFacts:
    from nanoctl.adapters.legacy.machine import MachineFacts

    return MachineFacts.of_this_process()
