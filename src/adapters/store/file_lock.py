"""An inter-process lock on a private lock file: fcntl.flock, bounded wait.

Writers (save, delete) hold it exclusively around their read-modify-write; readers
hold it shared, so a load never pairs a credential with a key another process is
replacing. The lock file is created once, by the first writer with something to write
(a logout with nothing to remove takes no lock), and never deleted: unlinking a lock file
others may be waiting on would let two writers in at once.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nanoctl.adapters.store.private_files import check_private, write_error
from nanoctl.domain.store_errors import (
    LockFailed,
    LockHeld,
    StorageError,
    StoreUnreadable,
    SymlinkedLock,
)

_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_POLL = 0.02


@contextmanager
def locked(
    dir_fd: int, name: str, path: Path, *, exclusive: bool, timeout: float = 10.0
) -> Iterator[bool]:
    """Hold the lock ``name`` in ``dir_fd``; yields whether a lock is actually held.

    A shared lock never creates the lock file: when it does not exist nothing was
    ever saved there, and the caller proceeds without it (yields False).
    """
    fd = _open(dir_fd, name, path, create=exclusive)
    if fd is None:
        yield False
        return
    try:
        _acquire(fd, path, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, timeout)
        yield True
    finally:
        os.close(fd)  # closing the last descriptor releases the flock


def _open(dir_fd: int, name: str, path: Path, *, create: bool) -> int | None:
    while True:
        try:
            fd = os.open(name, _OPEN, dir_fd=dir_fd)
        except FileNotFoundError:
            if not create:
                return None
            try:
                fd = os.open(name, _OPEN | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=dir_fd)
            except FileExistsError:
                continue  # another process created it first: open theirs
            except OSError as error:
                raise _error(path, error, create=True) from None
            os.fchmod(fd, 0o600)
        except OSError as error:
            raise _error(path, error, create=create) from None
        try:
            check_private(os.fstat(fd), path, directory=False)
        except BaseException:
            os.close(fd)
            raise
        return fd


def _error(path: Path, error: OSError, *, create: bool) -> StorageError:
    if error.errno == errno.ELOOP:
        return SymlinkedLock(str(path))
    if create:
        return write_error("lock", path, error)
    return StoreUnreadable(str(path), "open_lock", error.errno)


def _acquire(fd: int, path: Path, operation: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EINTR):
                raise LockFailed(str(path), error.errno) from None
        if time.monotonic() >= deadline:
            raise LockHeld(str(path), timeout)
        time.sleep(_POLL)
