"""Helpers for the credential store tests: credentials, snapshots, an unprivileged child.

Tests run as root, and root passes every permission check. ``as_nobody`` forks
and drops to nobody/nogroup (no supplementary groups) in the child before running
the code under test, so a permission fault is what the kernel says to a normal
user, not what root gets away with.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import signal
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import EncryptedFileStore
from nanoctl.adapters.store.keys import KEY_FILE, FileKeyStore
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import ApiUrl, Credential, Identity, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.words.errors import explain
from tests import leaks

NOBODY_UID = 65534
NOGROUP_GID = 65534

TOKEN_A = "nano_store_token_A_1f3c9e7d5b"
TOKEN_B = "nano_store_token_B_8a6e4c2d0f"
leaks.register(TOKEN_A, TOKEN_B)


def credential(
    token: str = TOKEN_A,
    *,
    username: str | None = "ada",
    expires_at: datetime | None = datetime(2027, 1, 31, tzinfo=UTC),
    saved_at: datetime | None = datetime(2026, 11, 28, 12, 0, 30, 123456, tzinfo=UTC),
    api_url: str = "https://api.example.test/base",
) -> Credential:
    leaks.register(token)
    return Credential(
        Token.parse(token, TokenOrigin.PROMPT),
        ApiUrl.parse(api_url),
        Identity(username=username, expires_at=expires_at),
        saved_at=saved_at,
    )


def file_store(directory: Path) -> EncryptedFileStore:
    """The store with its key in ``<directory>/credentials.key``."""
    return EncryptedFileStore(directory, FileKeyStore(directory / KEY_FILE))


def read_envelope(directory: Path) -> dict[str, object]:
    """The credential file's JSON envelope, as a dict."""
    document: dict[str, object] = json.loads((directory / CREDENTIAL_FILE).read_bytes())
    return document


def write_envelope(directory: Path, document: dict[str, object]) -> None:
    (directory / CREDENTIAL_FILE).write_text(json.dumps(document))


def credential_path(directory: Path) -> Path:
    return directory / CREDENTIAL_FILE


def key_path(directory: Path) -> Path:
    return directory / KEY_FILE


@dataclass(frozen=True)
class Entry:
    mode: int
    uid: int
    content: bytes | str  # bytes of a file, target of a symlink


def snapshot(directory: Path) -> dict[str, Entry]:
    """Every entry of ``directory``: mode, owner, bytes (or link target)."""
    result: dict[str, Entry] = {}
    if not directory.exists():
        return result
    for name in sorted(os.listdir(directory)):
        path = directory / name
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            content: bytes | str = os.readlink(path)
        elif stat.S_ISREG(st.st_mode):
            content = path.read_bytes()
        else:
            content = ""
        result[name] = Entry(st.st_mode, st.st_uid, content)
    return result


def temporaries(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if n.endswith(".tmp"))


def secrets_in_files(root: Path, *tokens: str) -> list[tuple[Path, str]]:
    """Each (file, needle) where a token or its base64 appears under ``root``."""
    needles: list[bytes] = []
    for token in tokens:
        raw = token.encode()
        needles += [raw, base64.b64encode(raw).rstrip(b"="), base64.urlsafe_b64encode(raw)]
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            hits += [(path, n.decode()) for n in needles if n in data]
    return hits


def chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid, follow_symlinks=False)
    for path in root.rglob("*"):
        os.chown(path, uid, gid, follow_symlinks=False)


@dataclass(frozen=True)
class Outcome:
    """What a child returned, or the error it raised (class, kind, the line users read)."""

    value: Any = None
    error: str | None = None
    kind: str | None = None
    message: str = ""


def in_child(
    function: Callable[[], Any],
    *,
    uid: int | None = None,
    gid: int | None = None,
    fsize_limit: int | None = None,
) -> Outcome:
    """Run ``function`` in a forked child, optionally as another user or with a
    file size limit (SIGXFSZ ignored, so writes past it fail with EFBIG).

    The child inherits the imported modules: import what it needs beforehand
    (nobody cannot read the interpreter's library under /root).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 0
        try:
            os.close(read_end)
            if fsize_limit is not None:
                import resource

                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_limit, fsize_limit))
            if gid is not None:
                os.setgroups([])
                os.setgid(gid)
            if uid is not None:
                os.setuid(uid)
                assert os.geteuid() == uid and os.getegid() == gid and os.getgroups() == []
            try:
                outcome = Outcome(value=function())
            except Exception as error:
                outcome = Outcome(
                    error=type(error).__name__,
                    kind=getattr(error, "kind", None),
                    message=str(explain(error)) if isinstance(error, NanoctlError) else "",
                )
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(outcome))
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child failed before reporting"
    result: Outcome = pickle.loads(data)  # noqa: S301 - our own child's bytes
    return result


def as_nobody(function: Callable[[], Any]) -> Outcome:
    return in_child(function, uid=NOBODY_UID, gid=NOGROUP_GID)


def load_error(directory: Path) -> StorageError:
    with pytest.raises(StorageError) as caught:
        file_store(directory).load()
    error = caught.value
    assert TOKEN_A not in str(error) and TOKEN_A not in repr(error)
    assert TOKEN_A not in str(explain(error))
    return error


def assert_decrypts_to(directory: Path, token: str) -> None:
    loaded = file_store(directory).load()
    assert loaded is not None
    assert loaded.token.reveal() == token


def kill_9_while_saving(script: str, *args: str, delay: float, cwd: Path) -> None:
    """Run ``python -c script *args``, which prints "saving" just before it saves; SIGKILL
    it ``delay`` seconds after that line, and reap it."""
    import subprocess
    import sys
    import time

    child = subprocess.Popen([sys.executable, "-c", script, *args], cwd=cwd, stdout=subprocess.PIPE)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == b"saving"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.stdout.close()
