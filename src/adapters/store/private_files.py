"""Private files the way OpenSSH treats private keys: ours, 0600, never through a symlink.

Every operation works relative to an open directory descriptor, so the directory
checked is the directory used. Files are created 0600 from the start (O_EXCL,
O_NOFOLLOW), replaced atomically (temp file, fsync, rename, fsync of the
directory) and read only after their owner and mode were checked. Failures become
domain ``StorageError`` subclasses whose messages name the path and the fix;
they never quote file contents.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from nanoctl.domain.errors import CorruptedStore, StorageError, StoreWriteFailed, UnsafeStore

MAX_FILE_SIZE = 64 * 1024
"""Anything larger is not one of our files (a credential is well under 16 KiB)."""

_DIR_MODE = 0o700
_FILE_MODE = 0o600
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM}


# --- directories -----------------------------------------------------------------------


def open_directory(path: Path, *, check: bool = True) -> int | None:
    """An O_DIRECTORY descriptor on ``path``, or None when it does not exist.

    With ``check`` it must belong to us and be private. A symlinked directory is
    followed (dotfile managers do that), but what it points at must pass the
    same checks. Never creates anything.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _directory_error(path, error) from None
    return _checked(fd, path, check=check)


def ensure_directory(path: Path) -> int:
    """Like ``open_directory``, but makes the directory (and missing parents) first,
    with mode 0700 whatever the umask."""
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        fd = _make_directory(path)
    except OSError as error:
        raise _directory_error(path, error) from None
    return _checked(fd, path, check=True)


def _checked(fd: int, path: Path, *, check: bool) -> int:
    try:
        if check:
            check_private(os.fstat(fd), path, directory=True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _make_directory(path: Path) -> int:
    """Make ``path`` and its missing parents, each 0700 whatever the umask."""
    missing = []
    current = path
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    try:
        for directory in reversed(missing):
            try:
                os.mkdir(directory, _DIR_MODE)
            except FileExistsError:
                continue  # made by a concurrent nanoctl: checked like any other
            # mkdir applied the umask to 0700, so this only adds our own bits back
            # (a umask of 0 or 077 changes nothing); it is never wider than 0700.
            fd = os.open(directory, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
            try:
                os.fchmod(fd, _DIR_MODE)
            finally:
                os.close(fd)
        return os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as error:
        raise write_error("the config directory", path, error, verb="create") from None


def _directory_error(path: Path, error: OSError) -> StorageError:
    if error.errno == errno.ENOTDIR:
        return UnsafeStore(
            f"{path} is not a directory.",
            "Move it away, or point NANOCTL_CONFIG_DIR elsewhere; nanoctl keeps its "
            "credential in a private directory there.",
        )
    if error.errno in _DENIED:
        owner = _owner_of(path)
        if owner is not None and owner != os.geteuid():
            return _foreign_owner(path, owner, directory=True)
        return StorageError(
            f"Cannot open {path}: permission denied.",
            f"Make it yours and private: `chmod 700 {path}`.",
        )
    return StorageError(
        f"Cannot open {path}: {_reason(error)}.",
        "Check the disk and the directory, or run `nanoctl logout` and log in again.",
    )


def _owner_of(path: Path) -> int | None:
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


def fsync_directory(dir_fd: int) -> None:
    """Make a rename durable. Best effort: some file systems cannot fsync a directory,
    and once the rename is done there is nothing better to do with an error."""
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)


# --- ownership and mode ----------------------------------------------------------------


def check_private(st: os.stat_result, path: Path, *, directory: bool) -> None:
    """Refuse, like OpenSSH, what another user owns or could read or write."""
    kind_ok = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        raise _symlink(path)
    if not kind_ok:
        raise _not_a(path, "a directory" if directory else "a regular file")
    if st.st_uid != os.geteuid():
        raise _foreign_owner(path, st.st_uid, directory=directory)
    if st.st_mode & 0o077:
        mode = stat.S_IMODE(st.st_mode)
        wanted = "700" if directory else "600"
        raise UnsafeStore(
            f"{path} is accessible to other users (mode {mode:03o}); "
            "nanoctl refuses to use it, like ssh refuses an exposed private key.",
            f"Run `chmod {wanted} {path}`"
            + (" (and log in again if others could read it)." if not directory else "."),
        )


def _not_a(path: Path, what: str) -> UnsafeStore:
    return UnsafeStore(
        f"{path} is not {what}.", f"Move it away (`mv {path} {path}.bak`), then log in again."
    )


def _foreign_owner(path: Path, uid: int, *, directory: bool) -> UnsafeStore:
    fix = (
        f"Run `chown -R $(id -u) {path}` if it is really yours"
        if directory
        else f"Remove it (`rm {path}`) or `chown $(id -u) {path}` if it is really yours"
    )
    return UnsafeStore(
        f"{path} belongs to another user (uid {uid}); nanoctl only trusts its own files.",
        f"{fix}, or point NANOCTL_CONFIG_DIR at a directory of your own.",
    )


def _symlink(path: Path) -> UnsafeStore:
    return UnsafeStore(
        f"{path} is a symbolic link; nanoctl never reads or writes secrets through one.",
        f"Remove the symlink (`rm {path}` removes the link, not its target), "
        "or run `nanoctl logout`, then log in again.",
    )


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
            raise _symlink(path) from None
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
        raise too_large(path)
    return b"".join(chunks)


def too_large(path: Path) -> StorageError:
    return CorruptedStore(
        f"{path} is larger than any file nanoctl writes; it cannot be decrypted.",
        "Run `nanoctl logout` to remove it, then log in again.",
    )


def _read_error(path: Path, error: OSError) -> StorageError:
    if error.errno in _DENIED:
        return StorageError(
            f"Cannot read {path}: permission denied.",
            f"It must be readable by you: `chmod 600 {path}` (as its owner), "
            "or run `nanoctl logout` and log in again.",
        )
    return StorageError(
        f"Cannot read {path}: {_reason(error)}.",
        "Check the disk, or run `nanoctl logout` and log in again.",
    )


# --- writing ---------------------------------------------------------------------------


def write_private(dir_fd: int, name: str, data: bytes, path: Path, what: str) -> None:
    """Replace ``name`` with ``data`` atomically: readers see the old file or the new one.

    On failure the old file is untouched and no temporary file is left behind.
    """
    try:
        current = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise write_error(what, path, error) from None
    else:
        if stat.S_ISLNK(current.st_mode):
            raise _symlink(path)
        if not stat.S_ISREG(current.st_mode):
            raise _not_a(path, "a regular file")
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
        raise write_error(what, path, error) from None
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


def remove(dir_fd: int, name: str, path: Path, what: str) -> bool:
    """Unlink ``name`` (a symlink itself, never its target); True when it existed."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise UnsafeStore(
            f"{path} is a directory, not a file nanoctl wrote.",
            f"Remove or rename it yourself (`mv {path} {path}.bak`).",
        ) from None
    except OSError as error:
        raise write_error(what, path, error, verb="remove") from None
    return True


def write_error(what: str, path: Path, error: OSError, verb: str = "save") -> StoreWriteFailed:
    """A write failure, named: disk full, read-only, permission denied, or the OS reason.

    ``verb`` is "save", "create" or "remove"; the message reads "Could not <verb>
    <what> at <path>: <cause>."
    """
    code = error.errno
    if code in _DISK_FULL:
        cause = "disk full (no space left, or a quota or file size limit was reached)"
        hint = "Free some space, then try again."
    elif code == errno.EROFS:
        cause = "the file system is read-only"
        hint = "Point NANOCTL_CONFIG_DIR at a writable directory, or remount it read-write."
    elif code in _DENIED:
        cause = f"permission denied ({path.parent} is read-only for you)"
        hint = f"Make it writable by you (`chmod 700 {path.parent}`), or set NANOCTL_CONFIG_DIR."
    else:
        cause = _reason(error)
        hint = "Check the disk and the directory, then try again."
    if verb in ("save", "create"):
        hint += " Any previously stored credential was kept unchanged."
    return StoreWriteFailed(f"Could not {verb} {what} at {path}: {cause}.", hint)


def _reason(error: OSError) -> str:
    # os.strerror, not str(error): our messages never carry a foreign exception's text.
    return os.strerror(error.errno) if error.errno else type(error).__name__
