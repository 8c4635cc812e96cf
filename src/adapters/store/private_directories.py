"""Private directories the way OpenSSH treats a private key's: ours, 0700, reached safely.

The config directory is opened by its path: a symlinked one is followed (dotfile managers
link it) when the link is ours, and what it points at must be ours and private. Below it,
each directory (``profiles``, a profile's own) is opened relative to its checked parent
without following a link. What is opened is checked, so the directory checked is the
directory used. Failures are domain ``StorageError`` subclasses naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from nanoctl.adapters.store.private_files import check_private, write_error
from nanoctl.domain.store_errors import (
    ConfigPathNotDirectory,
    DirectoryOrigin,
    ExposedToOthers,
    ForeignOwner,
    ForeignSymlink,
    StorageError,
    StoreUnreadable,
    SymlinkedDirectory,
    WrongFileType,
)

_DIR_MODE = 0o700
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DENIED = {errno.EACCES, errno.EPERM}

OWN_NAMES = frozenset({"credentials.json", "credentials.key", ".credentials.lock", "profiles"})
"""What nanoctl keeps in its config directory (with the temporaries of write_private): a
directory holding anything else is another program's, never to be chmodded on its behalf."""


# --- directories -----------------------------------------------------------------------


def open_directory(path: Path, *, check: bool = True) -> int | None:
    """An O_DIRECTORY descriptor on ``path``, or None when it does not exist.

    With ``check`` it must belong to us and be private. A symlinked directory is
    followed (dotfile managers do that), but what it points at must pass the
    same checks, and the link must be ours (``trusted_links``). Never creates anything.
    """
    trusted_links(path)
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
    trusted_links(path)
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except FileNotFoundError:
        fd = _make_directory(path)
    except OSError as error:
        raise _directory_error(path, error) from None
    return _checked(fd, path, check=True)


_MAX_LINKS = 40  # as the kernel's own limit on the links of one path


def trusted_links(path: Path) -> None:
    """Refuse (ForeignSymlink) a symbolic link on the way to ``path`` that another user
    owns: in a shared directory (a CI runner's /tmp), anyone can plant one where a
    NANOCTL_CONFIG_DIR will be, pointing at the victim's own files, which a logout would
    then remove. Ours (a dotfile manager's) and root's are followed; the path is resolved
    as the kernel does, a few lstat calls, until a part that does not exist yet."""
    parts = list(Path(os.path.abspath(path)).parts)
    current, rest = Path(parts[0]), parts[1:]
    trusted = {os.geteuid(), 0}
    hops = 0
    while rest:
        name = rest.pop(0)
        if name == "..":
            current = current.parent
            continue
        candidate = current / name
        try:
            st = os.lstat(candidate)
        except OSError:
            return  # missing (made later, by us) or unreadable (opening it says why)
        if not stat.S_ISLNK(st.st_mode):
            current = candidate
            continue
        if st.st_uid not in trusted:
            raise ForeignSymlink(str(candidate), st.st_uid)
        hops += 1
        try:
            target = Path(os.readlink(candidate))
        except OSError:
            return
        if hops > _MAX_LINKS:
            return  # a loop: opening it fails with ELOOP, and says so
        if target.is_absolute():
            current = Path(target.parts[0])
            rest = list(target.parts[1:]) + rest
        else:
            rest = list(target.parts) + rest


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
