"""Private files the way OpenSSH treats private keys: ours, 0600, never through a symlink.

Every operation works relative to an open directory descriptor, so the directory
checked is the directory used. Files are created 0600 from the start (O_EXCL,
O_NOFOLLOW), replaced atomically (temp file, fsync, rename, fsync of the
directory) and read only after their owner and mode were checked. Failures become
domain ``StorageError`` subclasses naming the path, the file's role and the OS error
number; they never quote file contents.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from nanoctl.domain.store_errors import (
    ConfigPathNotDirectory,
    DirectoryInTheWay,
    DirectoryOrigin,
    ExposedToOthers,
    ForeignOwner,
    OversizedFile,
    StorageError,
    StoreFile,
    StoreUnreadable,
    StoreWriteFailed,
    SymlinkedDirectory,
    SymlinkRefused,
    WriteAction,
    WrongFileType,
)

MAX_FILE_SIZE = 64 * 1024
"""Anything larger is not one of our files (a credential is well under 16 KiB)."""

_DIR_MODE = 0o700
_FILE_MODE = 0o600
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DENIED = {errno.EACCES, errno.EPERM}

OWN_NAMES = frozenset({"credentials.json", "credentials.key", ".credentials.lock", "profiles"})
"""What nanoctl keeps in its config directory (with the temporaries of write_private): a
directory holding anything else is another program's, never to be chmodded on its behalf."""


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


def _checked(fd: int, path: Path, *, check: bool, trusted_only: bool = False) -> int:
    """``fd``, once checked (``check``: ours and private; ``trusted_only``: ours and
    writable by nobody else); closed when it is refused."""
    try:
        if check:
            _check_directory(fd, path)
        elif trusted_only:
            _check_trusted(fd, path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_directory(fd: int, path: Path) -> None:
    """check_private on the opened directory; a refused one says whose it looks like, as
    the fix differs (chmod or chown for ours, another NANOCTL_CONFIG_DIR for /tmp)."""
    st = os.fstat(fd)
    try:
        check_private(st, path, directory=True)
    except ExposedToOthers as error:
        origin = _origin(fd, st)
        raise ExposedToOthers(error.path, error.mode, directory=True, origin=origin) from None
    except ForeignOwner as error:
        origin = _origin(fd, st)
        raise ForeignOwner(error.path, error.uid, directory=True, origin=origin) from None


def _origin(fd: int, st: os.stat_result) -> DirectoryOrigin:
    if st.st_mode & stat.S_ISVTX:
        return "shared"  # the sticky bit: a directory for everyone's files, like /tmp
    try:
        names = os.listdir(fd)
    except OSError:
        return "own"  # cannot tell: the advice for our own directory, as before
    return "own" if all(_is_own(name) for name in names) else "other"


def _is_own(name: str) -> bool:
    """One of OWN_NAMES, or a temporary write_private makes for one of our two files."""
    if name in OWN_NAMES:
        return True
    for own in ("credentials.json", "credentials.key"):
        prefix = f".{own}."
        if name.startswith(prefix) and name.endswith(".tmp"):
            middle = name[len(prefix) : -len(".tmp")]
            return bool(middle) and all(char in "0123456789abcdef" for char in middle)
    return False


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
        raise write_error("directory", path, error, action="create") from None


def open_child_directory(
    parent: int, name: str, path: Path, *, check: bool, create: bool = False
) -> int | None:
    """The directory ``name`` in the open directory ``parent`` (``path`` for the words), or
    None when there is none. Never through a symbolic link: one there is refused
    (SymlinkedDirectory), so whoever can write ``parent`` cannot point it elsewhere.

    With ``check`` it must be ours and private, as ``open_directory`` checks; without (to
    remove files), still ours and writable by nobody else, since the names in it decide
    what is removed. ``create`` makes a missing one 0700 (then checked).
    """
    made = False
    while True:
        try:
            fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=parent)
            break
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(name, _DIR_MODE, dir_fd=parent)
                made = True
            except FileExistsError:
                continue  # made by a concurrent nanoctl: opened and checked like any other
            except OSError as error:
                raise write_error("directory", path, error, action="create") from None
        except OSError as error:
            raise _child_error(parent, name, path, error) from None
    if made:
        try:
            os.fchmod(fd, _DIR_MODE)  # the umask may have narrowed it; never wider than 0700
        except OSError as error:
            os.close(fd)
            raise write_error("directory", path, error, action="create") from None
    return _checked(fd, path, check=check, trusted_only=not check)


def _check_trusted(fd: int, path: Path) -> None:
    """Ours, and nobody else may add or swap names in it."""
    st = os.fstat(fd)
    if st.st_uid != os.geteuid():
        raise ForeignOwner(str(path), st.st_uid, directory=True, origin=_origin(fd, st))
    if st.st_mode & 0o022:
        mode = stat.S_IMODE(st.st_mode)
        raise ExposedToOthers(str(path), mode, directory=True, origin=_origin(fd, st))


def _child_error(parent: int, name: str, path: Path, error: OSError) -> StorageError:
    """What stands at ``name`` when it could not be opened as a directory."""
    try:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return StoreUnreadable(str(path), "open", error.errno)
    if stat.S_ISLNK(st.st_mode):
        return SymlinkedDirectory(str(path))
    if not stat.S_ISDIR(st.st_mode):
        return WrongFileType(str(path), directory=True)
    if error.errno in _DENIED and st.st_uid != os.geteuid():
        return ForeignOwner(str(path), st.st_uid, directory=True)
    return StoreUnreadable(str(path), "open", error.errno)


def entry_exists(dir_fd: int, name: str) -> bool:
    """Whether ``name`` is in the open directory, as anything (a link is not followed)."""
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return False
    return True


def _directory_error(path: Path, error: OSError) -> StorageError:
    if error.errno == errno.ENOTDIR:
        return ConfigPathNotDirectory(str(path))
    if error.errno in _DENIED:
        owner = _owner_of(path)
        if owner is not None and owner != os.geteuid():
            return ForeignOwner(str(path), owner, directory=True)
    return StoreUnreadable(str(path), "open", error.errno)


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
