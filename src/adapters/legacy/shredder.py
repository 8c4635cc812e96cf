"""Destroy a file for good, as far as a file system lets us: overwrite it with zeros, then
with random bytes, fsync each pass, unlink it; then remove the directories left empty.
The caller checks, through the descriptors, that what it destroys is what it read.

Everything is opened relative to a directory descriptor with O_NOFOLLOW, so a symlink put in
the way (for the file or a directory) is refused, never followed to someone else's file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

_CHUNK = 64 * 1024


class NotAFile(Exception):
    """What is at the name is not a regular file (a symlink, a directory, a FIFO)."""


def open_regular_file(directory: int, name: str, access: int) -> tuple[int, int]:
    """``name`` in the open directory ``directory`` opened for ``access`` (os.O_RDONLY or
    os.O_WRONLY), and its size. Never through a symlink, never blocking on a FIFO.

    Raises NotAFile, or OSError from the system.
    """
    flags = access | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, dir_fd=directory)
    except OSError as failed:
        if failed.errno == errno.ELOOP:
            raise NotAFile() from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotAFile()
    return fd, info.st_size


def overwrite(fd: int) -> None:
    """Overwrite the whole file open for writing as ``fd`` with zeros, then with random
    bytes, fsyncing each pass. Raises OSError from the system."""
    size = os.fstat(fd).st_size
    for fill in (_zeros, os.urandom):
        _overwrite(fd, size, fill)


def unlink(directory: int, name: str) -> None:
    """Remove ``name`` from the open directory ``directory``, durably."""
    os.unlink(name, dir_fd=directory)
    os.fsync(directory)


def same_file(first: int, second: int) -> bool:
    """Whether two descriptors are open on the same file."""
    one, other = os.fstat(first), os.fstat(second)
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def is_at(directory: int, name: str, fd: int) -> bool:
    """Whether ``name`` in ``directory`` is (still) the file open as ``fd``."""
    try:
        entry = os.stat(name, dir_fd=directory, follow_symlinks=False)
    except OSError:
        return False
    info = os.fstat(fd)
    return (entry.st_dev, entry.st_ino) == (info.st_dev, info.st_ino)


def remove_if_empty(directory: int, name: str) -> bool:
    """Remove the directory ``name`` in ``directory`` when it is empty; True when removed."""
    try:
        os.rmdir(name, dir_fd=directory)
    except OSError:  # not empty, gone already, or not ours to remove: leave it
        return False
    os.fsync(directory)
    return True


def _zeros(count: int) -> bytes:
    return bytes(count)


def _overwrite(fd: int, size: int, fill: Callable[[int], bytes]) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    left = size
    while left > 0:
        chunk = min(left, _CHUNK)
        written = os.write(fd, fill(chunk))
        left -= written
    os.fsync(fd)
