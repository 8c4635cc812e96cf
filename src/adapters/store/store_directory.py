"""The directory a store keeps its files in, opened the same safe way for every operation.

Profile ``default`` is the config directory itself, opened by its path: a symlinked config
directory is followed (dotfile managers link it) and what it points at is checked. Every
other profile is ``profiles/NAME`` below it, reached one name at a time relative to the
directory already opened and checked (dir_fd, O_NOFOLLOW): a link there is refused, never
followed, so whoever can write in ``profiles/`` cannot point a profile, and with it a
logout's unlinks and a login's writes, at other files.
"""

from __future__ import annotations

import os
from pathlib import Path

from nanoctl.adapters.store.private_directories import (
    ensure_directory,
    open_child_directory,
    open_directory,
)
from nanoctl.adapters.store.private_files import entry_exists
from nanoctl.domain.store_errors import StorageError


class StoreDirectory:
    """The config directory at ``path``."""

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def open(self, *, check: bool = True) -> int | None:
        """An O_DIRECTORY descriptor on it (the caller closes it), or None when it does not
        exist. ``check``: ours and private; without, what removing files needs."""
        return open_directory(self.path, check=check)

    def ensure(self) -> int:
        """Like ``open()``, after making what is missing (0700)."""
        return ensure_directory(self.path)

    def holds(self, name: str) -> bool:
        """Whether ``name`` is in it, as anything; told from directory entries only.
        Never raises: what cannot be told is reported by whoever opens it next."""
        return os.path.lexists(self.path / name)


class NestedDirectory(StoreDirectory):
    """``names`` below the config directory ``top`` (``profiles``, then the profile's
    name), each opened relative to its parent without following a link."""

    __slots__ = ("_names", "_top")

    def __init__(self, top: Path, *names: str) -> None:
        super().__init__(Path(top).joinpath(*names))
        self._top = Path(top)
        self._names = names

    def open(self, *, check: bool = True) -> int | None:
        top = open_directory(self._top, check=check)
        return None if top is None else self._descend(top, check=check, create=False)

    def ensure(self) -> int:
        top = ensure_directory(self._top)
        descended = self._descend(top, check=True, create=True)
        if descended is None:  # pragma: no cover - create makes every level
            raise AssertionError("a directory was not made")
        return descended

    def holds(self, name: str) -> bool:
        try:
            fd = self.open(check=False)
        except StorageError:
            return True  # something is in the way: its store reports it when used
        if fd is None:
            return False
        try:
            return entry_exists(fd, name)
        finally:
            os.close(fd)

    def _descend(self, fd: int, *, check: bool, create: bool) -> int | None:
        """From the open ``fd`` (closed here) down through ``names``."""
        path = self._top
        for name in self._names:
            path = path / name
            try:
                child = open_child_directory(fd, name, path, check=check, create=create)
            finally:
                os.close(fd)
            if child is None:
                return None
            fd = child
        return fd


def store_directory(directory: Path | StoreDirectory) -> StoreDirectory:
    """``directory`` as a StoreDirectory: a plain path is a directory of its own."""
    return directory if isinstance(directory, StoreDirectory) else StoreDirectory(directory)
