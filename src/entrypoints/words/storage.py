"""The sentence and the next step of each error of the local credential store (exit 5).

They name the file and the fix: the chmod, chown or mv to run, ``nanoctl logout`` to clear
a damaged store (aimed at the profile, ``{logout}`` in a template), NANOCTL_CONFIG_DIR to
move it. ``errors.explain`` uses these entries.
"""

from __future__ import annotations

import errno
import os
from functools import singledispatch
from pathlib import Path

from nanoctl.domain import store_errors as s
from nanoctl.domain.errors import NanoctlError
from nanoctl.entrypoints.words.context import Context

_LOGOUT = "Run {logout} to remove it, then log in again."
_DAMAGED = "The stored credential {path} is damaged and cannot be decrypted ({what})."

SENTENCES: dict[type[NanoctlError], tuple[str, str]] = {
    s.StorageError: (
        "The credential store at {path} cannot be used.",
        "Run {logout} to clear the stored credential, then log in again.",
    ),
    s.StoreUnreadable: ("Cannot {verb} {path}: {what}.", "{next}"),
    s.LockFailed: (
        "Cannot lock {path}: {what}.",
        "Check the file system of the config directory, then try again.",
    ),
    s.LockHeld: (
        "Another nanoctl process has held {path} for over {seconds:g} s.",
        "Wait for it to finish (or stop it), then try again.",
    ),
    s.StoreUnsupported: (
        "Storing a credential is not supported on {system}.",
        "Use NANOSERVICES_TOKEN or {login_stdin}; they need no stored credential.",
    ),
    s.CorruptedStore: (_DAMAGED, _LOGOUT),
    s.OversizedFile: (
        "{path} is larger than any file nanoctl writes; it cannot be decrypted.",
        _LOGOUT,
    ),
    s.MissingKey: (
        "The stored credential {path} cannot be decrypted: its key is missing from {key_location}.",
        _LOGOUT,
    ),
    s.DamagedKey: (
        "The encryption key in {path} is damaged, so the stored credential cannot be decrypted.",
        "Run {logout} to remove both, then log in again.",
    ),
    s.UnsafeStore: ("{path} is not safe to use.", _LOGOUT),
    s.ExposedToOthers: (
        "{path} {exposure}; nanoctl refuses to use it, like ssh refuses an exposed private key.",
        "{next}",
    ),
    s.ForeignOwner: (
        "{path} belongs to another user (uid {uid}); nanoctl only trusts its own files.",
        "{next}",
    ),
    s.SymlinkRefused: (
        "{path} is a symbolic link; nanoctl never reads or writes secrets through one.",
        "Remove the symlink (`rm {path}` removes the link, not its target), "
        "or run {logout}, then log in again.",
    ),
    s.SymlinkedDirectory: (
        "{path} is a symbolic link; nanoctl keeps each profile in a directory of its own "
        "and never follows a link there.",
        "Remove the link (`rm {path}` removes the link, not what it points to).",
    ),
    s.ForeignSymlink: (
        "{path} is a symbolic link that another user (uid {uid}) made; nanoctl never "
        "follows one on the way to its config directory.",
        "Choose a NANOCTL_CONFIG_DIR of your own, e.g. "
        "`export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, private).",
    ),
    s.SymlinkedLock: (
        "{path} is a symbolic link; nanoctl never follows one in its directory.",
        "Remove the symlink (`rm {path}` removes the link, not its target).",
    ),
    s.WrongFileType: (
        "{path} is not {what}.",
        "Move it away (`mv {path} {path}.bak`), then log in again.",
    ),
    s.ConfigPathNotDirectory: (
        "{path} is not a directory.",
        "Move it away, or point NANOCTL_CONFIG_DIR elsewhere; nanoctl keeps its "
        "credential in a private directory there.",
    ),
    s.DirectoryInTheWay: (
        "{path} is a directory, not a file nanoctl wrote.",
        "Remove or rename it yourself (`mv {path} {path}.bak`).",
    ),
    s.StoreWriteFailed: ("Could not {action} {role} at {path}: {what}.", "{next}"),
    s.NewerStoreFormat: (
        "The stored credential {path} was written by a newer nanoctl "
        "(format {version}; this one reads format {supported}).",
        "Upgrade nanoctl, or run {logout} and log in again with this version.",
    ),
    s.KeyringUnavailable: (
        "The stored credential's encryption key is in {path}, which {what}.",
        "{next}",
    ),
}


@singledispatch
def phrases(error: s.StorageError, context: Context) -> dict[str, str]:
    """The words a store error's sentence needs beyond its facts."""
    return {}


@phrases.register
def _(error: s.CorruptedStore, context: Context) -> dict[str, str]:
    if isinstance(error, s.DamagedCredential):
        return {"what": _DAMAGE[error.damage].format(field=error.field)}
    return {"what": "it cannot be read"}


@phrases.register
def _(error: s.StoreUnreadable, context: Context) -> dict[str, str]:
    denied = error.errno in _DENIED
    logout = context.nanoctl("logout")
    if error.action == "open_lock":
        return {
            "verb": "open the lock file",
            "what": os.strerror(error.errno or 0),
            "next": f"It must be yours and readable: `chmod 600 {error.path}`.",
        }
    if error.action == "open":
        fix = f"Make it yours and private: `chmod 700 {error.path}`."
        other = f"Check the disk and the directory, or run {logout} and log in again."
    else:
        fix = (
            f"It must be readable by you: `chmod 600 {error.path}` (as its owner), "
            f"or run {logout} and log in again."
        )
        other = f"Check the disk, or run {logout} and log in again."
    if denied:
        return {"verb": error.action, "what": "permission denied", "next": fix}
    return {"verb": error.action, "what": _reason(error.errno), "next": other}


@phrases.register
def _(error: s.LockFailed, context: Context) -> dict[str, str]:
    return {"what": os.strerror(error.errno or 0)}


@phrases.register
def _(error: s.StoreUnsupported, context: Context) -> dict[str, str]:
    return {"system": {"win32": "Windows", "cygwin": "Cygwin"}.get(error.platform, error.platform)}


@phrases.register
def _(error: s.UnsafeStore, context: Context) -> dict[str, str]:
    if isinstance(error, s.ExposedToOthers):
        return _exposed(error)
    if isinstance(error, s.ForeignOwner):
        return {"next": _foreign_owner_fix(error)}
    if isinstance(error, s.WrongFileType):
        return {"what": "a directory" if error.directory else "a regular file"}
    return {}


def _exposed(error: s.ExposedToOthers) -> dict[str, str]:
    """chmod only what is nanoctl's own: closing a shared directory (like /tmp) or another
    program's would lock its other users out, so those get another NANOCTL_CONFIG_DIR."""
    mode = f"mode {error.mode:03o}"
    if not error.directory:
        fix = f"Run `chmod 600 {error.path}` (and log in again if others could read it)."
        return {"exposure": f"is accessible to other users ({mode})", "next": fix}
    if error.origin == "shared":
        return {"exposure": f"is a shared directory ({mode}, like /tmp)", "next": _ELSEWHERE}
    if error.origin == "other":
        exposure = f"is accessible to other users ({mode}) and holds files that are not nanoctl's"
        return {"exposure": exposure, "next": _ELSEWHERE}
    return {
        "exposure": f"is accessible to other users ({mode})",
        "next": f"Run `chmod 700 {error.path}`.",
    }


def _foreign_owner_fix(error: s.ForeignOwner) -> str:
    """chown only what looks like nanoctl's own: /tmp or someone's home is not to be taken."""
    path = error.path
    if error.directory and error.origin != "own":
        return _ELSEWHERE
    if error.directory:
        fix = f"Run `chown -R $(id -u) {path}` if it is really yours"
    else:
        fix = f"Remove it (`rm {path}`) or `chown $(id -u) {path}` if it is really yours"
    return f"{fix}, or point NANOCTL_CONFIG_DIR at a directory of your own."


_ELSEWHERE = (
    "Leave it as it is and choose another NANOCTL_CONFIG_DIR, for nanoctl alone, e.g. "
    "`export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, private)."
)


@phrases.register
def _(error: s.StoreWriteFailed, context: Context) -> dict[str, str]:
    parent = Path(error.path).parent
    if error.errno in _DISK_FULL:
        what = "disk full (no space left, or a quota or file size limit was reached)"
        fix = "Free some space, then try again."
    elif error.errno == errno.EROFS:
        what = "the file system is read-only"
        fix = "Point NANOCTL_CONFIG_DIR at a writable directory, or remount it read-write."
    elif error.errno in _DENIED:
        what = f"permission denied ({parent} is read-only for you)"
        fix = f"Make it writable by you (`chmod 700 {parent}`), or set NANOCTL_CONFIG_DIR."
    else:
        what = _reason(error.errno)
        fix = "Check the disk and the directory, then try again."
    if error.action in ("save", "create"):
        fix += " Any previously stored credential was kept unchanged."
    return {"role": _ROLES[error.role], "what": what, "next": fix}


@phrases.register
def _(error: s.KeyringUnavailable, context: Context) -> dict[str, str]:
    logout = context.nanoctl("logout")
    if error.fault is None:
        return {
            "what": "is turned off for this run (NANOCTL_KEYRING=0)",
            "next": f"Unset NANOCTL_KEYRING to use the keyring again, or run {logout} "
            "and log in again to keep a new key in a file.",
        }
    return {
        "what": f"cannot be used now: {keyring_fault(error.fault)}",
        "next": "Unlock the keyring (or start its service) and try again, or run "
        f"{logout} and log in again.",
    }


def keyring_fault(fault: s.KeyringFault) -> str:
    return {
        "timeout": f"it did not answer within {fault.detail} s",
        "locked": "it is locked",
        "raised": f"it failed with {fault.detail}",
        "no_backend": f"no usable backend, only {fault.detail}",
        "lost_key": "it did not keep the key it was given",
    }[fault.problem]


_DAMAGE: dict[s.Damage, str] = {
    "empty": "it is empty",
    "not_json": "it is not valid JSON; truncated?",
    "not_a_credential": "it is not a nanoctl credential",
    "no_format": "it has no valid format version",
    "no_key_place": "it does not say where its key is",
    "field_missing": "its {field} is missing",
    "field_not_base64": "its {field} is not valid base64",
    "nonce_size": "its nonce has the wrong size",
    "ciphertext_truncated": "its ciphertext is truncated",
    "wrong_key": "wrong key, or the file was modified",
    "bad_content": "its content is not a valid credential",
}
_ROLES: dict[s.StoreFile, str] = {
    "credential": "the credential",
    "key": "the encryption key",
    "lock": "the lock file",
    "directory": "the config directory",
}
_DENIED = {errno.EACCES, errno.EPERM}
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _reason(code: int | None) -> str:
    # os.strerror, not the exception's text: no message here carries a foreign one.
    return os.strerror(code) if code else "OSError"
