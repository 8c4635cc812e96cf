"""Permission faults as an unprivileged user (nobody), and a full disk: the error names the
cause and the previous credential survives.
Every fault is staged for real (files, modes, owners, a forked child as nobody, file size
limits, signals, concurrent processes); each error is checked for its words and for the
token in none of them, and the previous credential for being byte-identical.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE, private_files
from nanoctl.adapters.store.keys import KEY_FILE
from nanoctl.domain.store_errors import (
    StoreWriteFailed,
)
from nanoctl.entrypoints.words.errors import explain
from tests.store_helpers import (
    NOBODY_UID,
    NOGROUP_GID,
    TOKEN_A,
    TOKEN_B,
    as_nobody,
    assert_decrypts_to,
    chown_tree,
    credential,
    file_store,
    in_child,
    snapshot,
    temporaries,
)

# --- permission faults, as nobody -------------------------------------------------------


@pytest.fixture
def warm(tmp_path: Path) -> None:
    """Import everything a forked child needs: nobody cannot read /root's library."""
    scratch = tmp_path / "warm"
    store = file_store(scratch)
    store.save(credential(TOKEN_A))
    store.load()
    store.delete()


@pytest.fixture
def nobody_dir(warm: None) -> Iterator[Path]:
    """``<base>/nanoctl`` with a good credential, everything owned by nobody.

    pytest's tmp_path lives under /tmp/pytest-of-root (0700), which nobody cannot
    enter; this base is 0711 so nobody can reach (not list) its own directory.
    """
    base = Path(tempfile.mkdtemp(prefix="nanoctl-store-test-"))
    base.chmod(0o711)
    directory = base / "nanoctl"
    file_store(directory).save(credential(TOKEN_A))
    chown_tree(directory, NOBODY_UID, NOGROUP_GID)
    try:
        yield directory
    finally:
        shutil.rmtree(base)


def _load_token(directory: Path) -> Callable[[], str | None]:
    def load() -> str | None:
        loaded = file_store(directory).load()
        return None if loaded is None else loaded.token.reveal()

    return load


def test_nobody_reads_a_store_it_owns_so_the_faults_below_are_real(nobody_dir: Path) -> None:
    outcome = as_nobody(_load_token(nobody_dir))
    assert outcome.error is None, outcome.message
    assert outcome.value == TOKEN_A


def test_unreadable_credential_file_is_a_storage_error_as_nobody(nobody_dir: Path) -> None:
    path = nobody_dir / CREDENTIAL_FILE
    path.chmod(0o000)  # ours (nobody's), exposes nothing, but cannot be read
    before = snapshot(nobody_dir)
    outcome = as_nobody(_load_token(nobody_dir))
    assert outcome.error == "StoreUnreadable", outcome
    assert outcome.kind == "storage"
    assert f"Cannot read {path}: permission denied" in outcome.message
    assert TOKEN_A not in outcome.message
    assert snapshot(nobody_dir) == before


def test_config_dir_left_by_root_is_refused_for_nobody(nobody_dir: Path) -> None:
    """`sudo nanoctl login` once, then a normal run: the dir belongs to root."""
    chown_tree(nobody_dir, 0, 0)
    outcome = as_nobody(_load_token(nobody_dir))
    assert outcome.error == "ForeignOwner", outcome
    assert "another user (uid 0)" in outcome.message


def test_read_only_directory_keeps_the_previous_credential_as_nobody(
    nobody_dir: Path,
) -> None:
    nobody_dir.chmod(0o500)
    before = snapshot(nobody_dir)

    def save() -> None:
        file_store(nobody_dir).save(credential(TOKEN_B))

    outcome = as_nobody(save)
    assert outcome.error == "StoreWriteFailed", outcome
    assert "permission denied" in outcome.message and "read-only" in outcome.message
    assert str(nobody_dir / CREDENTIAL_FILE) in outcome.message
    assert "kept unchanged" in outcome.message
    assert snapshot(nobody_dir) == before  # byte-identical, no temp file
    assert as_nobody(_load_token(nobody_dir)).value == TOKEN_A


def test_read_only_directory_makes_delete_fail_loudly_as_nobody(nobody_dir: Path) -> None:
    nobody_dir.chmod(0o500)
    outcome = as_nobody(lambda: file_store(nobody_dir).delete())
    assert outcome.error == "StoreWriteFailed", outcome
    assert "Could not remove" in outcome.message
    assert as_nobody(_load_token(nobody_dir)).value == TOKEN_A


# --- disk full --------------------------------------------------------------------------


def test_disk_full_as_a_real_file_size_limit_keeps_the_previous_credential(
    stored: Path, warm: None
) -> None:
    before = snapshot(stored)
    big = credential("x" * 4000)  # the new file is larger than the limit; the old fit

    def save() -> None:
        file_store(stored).save(big)

    outcome = in_child(save, fsize_limit=1024)
    assert outcome.error == "StoreWriteFailed", outcome
    assert "disk full" in outcome.message
    assert snapshot(stored) == before
    assert temporaries(stored) == []
    assert_decrypts_to(stored, TOKEN_A)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk full"),
        (errno.EDQUOT, "disk full"),
        (errno.EFBIG, "disk full"),
        (errno.EROFS, "read-only"),
        (errno.EIO, os.strerror(errno.EIO)),
    ],
    ids=["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EIO"],
)
def test_write_failure_keeps_the_previous_credential(
    stored: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    before = snapshot(stored)
    written: list[int] = []

    def fail_midway(fd: int, data: bytes) -> None:
        written.append(os.write(fd, data[: len(data) // 2]))  # a partial write first
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(private_files, "_write_all", fail_midway)
    with pytest.raises(StoreWriteFailed) as caught:
        file_store(stored).save(credential(TOKEN_B))
    assert written, "the fault was not injected at the write"
    assert words in explain(caught.value).cause
    assert str(stored / CREDENTIAL_FILE) in explain(caught.value).cause
    assert TOKEN_B not in str(caught.value)
    assert snapshot(stored) == before
    monkeypatch.undo()
    assert_decrypts_to(stored, TOKEN_A)


def test_disk_full_on_the_first_save_leaves_no_credential_and_no_temp_file(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_files, "_write_all", full)
    with pytest.raises(StoreWriteFailed) as caught:
        file_store(directory).save(credential(TOKEN_A))
    assert "disk full" in str(explain(caught.value))
    assert not (directory / CREDENTIAL_FILE).exists()
    assert not (directory / KEY_FILE).exists()
    assert temporaries(directory) == []
    monkeypatch.undo()
    assert file_store(directory).load() is None
