"""Private files the way OpenSSH treats private keys: ours, 0600, never through a symlink.

Every operation works relative to an open directory descriptor (``private_directories``
opens it), so the directory checked is the directory used. Files are created 0600 from the
start (O_EXCL, O_NOFOLLOW), replaced atomically (temp file, fsync, rename, fsync of the
directory) and read only after their owner and mode were checked. Failures become domain
``StorageError`` subclasses naming the path, the file's role and the OS error number; they
never quote file contents.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from nanoctl.domain.store_errors import (
    DirectoryInTheWay,
    ExposedToOthers,
    ForeignOwner,
    OversizedFile,
    StorageError,
    StoreFile,
    StoreUnreadable,
    StoreWriteFailed,
    SymlinkRefused,
    WriteAction,
    WrongFileType,
)

MAX_FILE_SIZE = 64 * 1024
"""Anything larger is not one of our files (a credential is well under 16 KiB)."""

_FILE_MODE = 0o600
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


# --- entries of an open directory -----------------------------------------------------


def fsync_directory(dir_fd: int) -> None:
    """Make a rename durable. Best effort: some file systems cannot fsync a directory,
    and once the rename is done there is nothing better to do with an error."""
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)


def entry_exists(dir_fd: int, name: str) -> bool:
    """Whether ``name`` is in the open directory, as anything (a link is not followed)."""
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return False
    return True


# --- ownership and mode ----------------------------------------------------------------


def check_private(st: os.stat_result, path: Path, *, directory: bool) -> None:
    """Refuse, like OpenSSH, what another user owns or could read or write."""
    kind_ok = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        raise SymlinkRefused(str(path))
    if not kind_ok:
        raise WrongFileType(str(path), directory=directory)
    if st.st_uid != os.geteuid():
        raise ForeignOwner(str(path), st.st_uid, directory=directory)
    if st.st_mode & 0o077:
        raise ExposedToOthers(str(path), stat.S_IMODE(st.st_mode), directory=directory)


# --- reading ---------------------------------------------------------------------------


def read_private(dir_fd: int, name: str, path: Path) -> bytes | None:
    """The content of a private file, or None when there is none. Never follows a link."""
    try:
        before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _read_error(path, error) from None
    check_private(before, path, directory=False)  # refuses a symlink too
    try:
        # O_NONBLOCK: a FIFO swapped in after the lstat must not hang us (fstat rejects it).
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SymlinkRefused(str(path)) from None
        raise _read_error(path, error) from None
    try:
        check_private(os.fstat(fd), path, directory=False)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_SIZE:
            chunk = os.read(fd, MAX_FILE_SIZE + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise _read_error(path, error) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_SIZE:
        raise OversizedFile(str(path))
    return b"".join(chunks)


def _read_error(path: Path, error: OSError) -> StorageError:
    return StoreUnreadable(str(path), "read", error.errno)


# --- writing ---------------------------------------------------------------------------


def write_private(dir_fd: int, name: str, data: bytes, path: Path, role: StoreFile) -> None:
    """Replace ``name`` with ``data`` atomically: readers see the old file or the new one.

    On failure the old file is untouched and no temporary file is left behind.
    """
    try:
        current = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise write_error(role, path, error) from None
    else:
        if stat.S_ISLNK(current.st_mode):
            raise SymlinkRefused(str(path))
        if not stat.S_ISREG(current.st_mode):
            raise WrongFileType(str(path), directory=False)
    temp = f".{name}.{os.urandom(8).hex()}.tmp"
    fd = -1
    try:
        fd = os.open(
            temp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC,
            _FILE_MODE,
            dir_fd=dir_fd,
        )
        os.fchmod(fd, _FILE_MODE)  # the umask may have narrowed it; never widens past 0600
        _write_all(fd, data)
        os.fsync(fd)
        closing, fd = fd, -1
        os.close(closing)
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError as error:
        if fd >= 0:
            os.close(fd)
        _discard(dir_fd, temp)
        raise write_error(role, path, error) from None
    fsync_directory(dir_fd)


def _write_all(fd: int, data: bytes) -> None:
    """The write boundary (tests inject ENOSPC here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _discard(dir_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=dir_fd)


def remove_stale_temporaries(dir_fd: int, name: str) -> None:
    """Remove temp files of ``name`` left by a writer that was killed mid-save.

    Call only while holding the store's exclusive lock: then no writer is active.
    """
    try:
        entries = os.listdir(dir_fd)
    except OSError:
        return
    prefix = f".{name}."
    for entry in entries:
        if entry.startswith(prefix) and entry.endswith(".tmp"):
            _discard(dir_fd, entry)


def remove(dir_fd: int, name: str, path: Path, role: StoreFile) -> bool:
    """Unlink ``name`` (a symlink itself, never its target); True when it existed."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise DirectoryInTheWay(str(path)) from None
    except OSError as error:
        raise write_error(role, path, error, action="remove") from None
    return True


def write_error(
    role: StoreFile, path: Path, error: OSError, action: WriteAction = "save"
) -> StoreWriteFailed:
    """A write failure: what was being written, where, and the OS error number (never
    the exception's text)."""
    return StoreWriteFailed(str(path), role, action, error.errno)
