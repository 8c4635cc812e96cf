"""Faults the encrypted credential store survives, each staged for real.

Permission faults run in a forked child that dropped to nobody/nogroup (tests
run as root, and root passes every permission check); disk full is a real file
size limit (RLIMIT_FSIZE) in a child or an ENOSPC injected at the write boundary;
crashes are real ``kill -9``; races are 20 real processes.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from nanoctl.adapters.diagnostics import Event
from nanoctl.adapters.store import CREDENTIAL_FILE, private_files
from nanoctl.adapters.store.encrypted_store import LOCK_FILE, EncryptedFileStore
from nanoctl.adapters.store.keyring_keys import choose_key_store
from nanoctl.adapters.store.keys import KEY_FILE, FileKeyStore
from nanoctl.domain.store_errors import (
    CorruptedStore,
    KeyringUnavailable,
    NewerStoreFormat,
    StorageError,
    StoreWriteFailed,
    UnsafeStore,
)
from nanoctl.entrypoints.messages.errors import explain
from nanoctl.entrypoints.messages.verbose import note
from tests.store_helpers import (
    NOBODY_UID,
    NOGROUP_GID,
    TOKEN_A,
    TOKEN_B,
    as_nobody,
    chown_tree,
    credential,
    file_store,
    in_child,
    snapshot,
    temporaries,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "config" / "nanoctl"


@pytest.fixture
def stored(directory: Path) -> Path:
    """A directory holding a good credential (TOKEN_A) and its key file."""
    file_store(directory).save(credential(TOKEN_A))
    return directory


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


# --- damaged content: CorruptedStore, reported, never overwritten by a read ----------


def _envelope(directory: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads((directory / CREDENTIAL_FILE).read_bytes())
    return document


def _write_envelope(directory: Path, document: dict[str, object]) -> None:
    (directory / CREDENTIAL_FILE).write_text(json.dumps(document))


def _flip_a_ciphertext_bit(directory: Path) -> None:
    document = _envelope(directory)
    raw = bytearray(base64.b64decode(str(document["ciphertext"])))
    raw[len(raw) // 2] ^= 0x01
    document["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    _write_envelope(directory, document)


def _flip_a_nonce_bit(directory: Path) -> None:
    document = _envelope(directory)
    raw = bytearray(base64.b64decode(str(document["nonce"])))
    raw[0] ^= 0x80
    document["nonce"] = base64.b64encode(bytes(raw)).decode()
    _write_envelope(directory, document)


def _truncate(directory: Path) -> None:
    path = directory / CREDENTIAL_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _bad_base64(directory: Path) -> None:
    document = _envelope(directory)
    document["ciphertext"] = "%%%not*base64%%%"
    _write_envelope(directory, document)


def _wrong_key(directory: Path) -> None:
    (directory / KEY_FILE).write_text(base64.b64encode(secrets.token_bytes(32)).decode())


def _damaged_key(directory: Path) -> None:
    (directory / KEY_FILE).write_text("not a key at all")


def _missing_key(directory: Path) -> None:
    (directory / KEY_FILE).unlink()


def _garbage(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b"\x00\xff\xfegarbage{{{" * 7)


def _empty(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b"")


def _not_an_object(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_text('["format", 1]')


def _huge(directory: Path) -> None:
    (directory / CREDENTIAL_FILE).write_bytes(b" " * (private_files.MAX_FILE_SIZE + 10))


def _no_format(directory: Path) -> None:
    document = _envelope(directory)
    del document["format"]
    _write_envelope(directory, document)


def _unknown_key_place(directory: Path) -> None:
    document = _envelope(directory)
    document["key_store"] = "usb-stick"
    _write_envelope(directory, document)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_garbage, id="corrupted-garbage"),
        pytest.param(_truncate, id="truncated"),
        pytest.param(_empty, id="empty"),
        pytest.param(_not_an_object, id="json-but-not-an-envelope"),
        pytest.param(_no_format, id="no-format-version"),
        pytest.param(_unknown_key_place, id="unknown-key-place"),
        pytest.param(_bad_base64, id="bad-base64"),
        pytest.param(_flip_a_ciphertext_bit, id="tampered-ciphertext"),
        pytest.param(_flip_a_nonce_bit, id="tampered-nonce"),
        pytest.param(_wrong_key, id="wrong-key"),
        pytest.param(_damaged_key, id="damaged-key-file"),
        pytest.param(_missing_key, id="key-file-missing-while-credential-exists"),
        pytest.param(_huge, id="huge-file"),
    ],
)
def test_damaged_store_is_reported_as_corrupted_and_left_untouched(
    stored: Path, damage: Callable[[Path], None]
) -> None:
    damage(stored)
    before = snapshot(stored)
    error = load_error(stored)
    assert isinstance(error, CorruptedStore)
    assert str(stored) in explain(error).cause  # names the file (or the key file in it)
    assert "cannot be decrypted" in explain(error).cause
    assert "nanoctl logout" in explain(error).next_step
    assert snapshot(stored) == before  # a read never repairs, rewrites or removes


def test_damaged_store_can_be_cleared_by_delete_and_replaced(stored: Path) -> None:
    _garbage(stored)
    store = file_store(stored)
    assert store.delete() is True
    assert not (stored / CREDENTIAL_FILE).exists()
    assert not (stored / KEY_FILE).exists()
    assert store.load() is None
    store.save(credential(TOKEN_B))
    assert_decrypts_to(stored, TOKEN_B)


def test_future_format_version_says_newer_nanoctl_not_corrupted(stored: Path) -> None:
    document = _envelope(stored)
    document["format"] = 2
    document["new_field"] = {"whatever": True}
    _write_envelope(stored, document)
    before = snapshot(stored)
    error = load_error(stored)
    assert type(error) is NewerStoreFormat
    assert error.kind == "newer_store_format"
    assert "newer nanoctl" in explain(error).cause
    assert str(stored / CREDENTIAL_FILE) in explain(error).cause
    assert (
        "Upgrade nanoctl" in explain(error).next_step
        and "nanoctl logout" in explain(error).next_step
    )
    assert snapshot(stored) == before


# --- unsafe ownership, modes and links: UnsafeStore, like OpenSSH ------------------------


def test_group_readable_credential_file_is_refused(stored: Path) -> None:
    path = stored / CREDENTIAL_FILE
    path.chmod(0o640)
    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert f"chmod 600 {path}" in explain(error).next_step
    assert "mode 640" in explain(error).cause


def test_world_readable_key_file_is_refused(stored: Path) -> None:
    path = stored / KEY_FILE
    path.chmod(0o644)
    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert f"chmod 600 {path}" in explain(error).next_step


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o711, 0o755])
def test_directory_accessible_to_others_is_refused(stored: Path, mode: int) -> None:
    stored.chmod(mode)
    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert f"chmod 700 {stored}" in explain(error).next_step
    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))
    stored.chmod(0o700)
    assert_decrypts_to(stored, TOKEN_A)  # the refused save wrote nothing


def test_credential_file_owned_by_another_user_is_refused(stored: Path) -> None:
    os.chown(stored / CREDENTIAL_FILE, NOBODY_UID, NOGROUP_GID)
    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert "another user (uid 65534)" in explain(error).cause
    assert str(stored / CREDENTIAL_FILE) in explain(error).cause


def test_key_file_owned_by_another_user_is_refused(stored: Path) -> None:
    os.chown(stored / KEY_FILE, NOBODY_UID, NOGROUP_GID)
    assert isinstance(load_error(stored), UnsafeStore)


def test_directory_owned_by_another_user_is_refused(stored: Path) -> None:
    os.chown(stored, NOBODY_UID, NOGROUP_GID)
    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert str(stored) in explain(error).cause


def test_symlinked_credential_file_is_refused_and_its_target_untouched(
    stored: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.json"
    (stored / CREDENTIAL_FILE).rename(target)
    (stored / CREDENTIAL_FILE).symlink_to(target)
    target_bytes = target.read_bytes()

    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert "symbolic link" in explain(error).cause
    assert "Remove the symlink" in explain(error).next_step

    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))
    assert target.read_bytes() == target_bytes
    assert (stored / CREDENTIAL_FILE).is_symlink()

    assert file_store(stored).delete() is True  # logout removes the link itself...
    assert not os.path.lexists(stored / CREDENTIAL_FILE)
    assert target.read_bytes() == target_bytes  # ...never its target


def test_symlinked_key_file_is_refused_and_its_target_untouched(
    stored: Path, tmp_path: Path
) -> None:
    target = tmp_path / "key-elsewhere"
    (stored / KEY_FILE).rename(target)
    (stored / KEY_FILE).symlink_to(target)
    target_bytes = target.read_bytes()

    error = load_error(stored)
    assert isinstance(error, UnsafeStore)
    assert str(stored / KEY_FILE) in explain(error).cause
    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))
    assert file_store(stored).delete() is True
    assert not os.path.lexists(stored / KEY_FILE)
    assert target.read_bytes() == target_bytes


def test_dangling_symlink_as_credential_file_is_refused_not_followed(stored: Path) -> None:
    (stored / CREDENTIAL_FILE).unlink()
    victim = stored.parent / "created-through-the-link"
    (stored / CREDENTIAL_FILE).symlink_to(victim)
    assert isinstance(load_error(stored), UnsafeStore)
    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))
    assert not victim.exists()


def test_symlinked_lock_file_is_refused(stored: Path, tmp_path: Path) -> None:
    target = tmp_path / "lock-elsewhere"
    target.touch(mode=0o600)
    (stored / LOCK_FILE).unlink()
    (stored / LOCK_FILE).symlink_to(target)
    assert isinstance(load_error(stored), UnsafeStore)
    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))


def test_symlinked_directory_to_a_private_directory_of_ours_is_used(tmp_path: Path) -> None:
    """Dotfile managers symlink config dirs. Whoever can plant a symlink there can
    already write in our parent directory, so a link is followed; what it points
    at must be ours and private (checked on the opened directory itself)."""
    real = tmp_path / "dotfiles" / "nanoctl"
    real.mkdir(parents=True, mode=0o700)
    link = tmp_path / "nanoctl-link"
    link.symlink_to(real, target_is_directory=True)
    file_store(link).save(credential(TOKEN_A))
    assert (real / CREDENTIAL_FILE).is_file()
    assert_decrypts_to(link, TOKEN_A)


def test_symlinked_directory_to_a_directory_open_to_others_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "shared"
    real.mkdir(mode=0o700)
    file_store(real).save(credential(TOKEN_A))
    real.chmod(0o755)
    link = tmp_path / "nanoctl-link"
    link.symlink_to(real, target_is_directory=True)
    error = load_error(link)
    assert isinstance(error, UnsafeStore)
    assert "chmod 700" in explain(error).next_step


def test_fifo_in_place_of_the_credential_is_refused_without_hanging(directory: Path) -> None:
    file_store(directory).save(credential(TOKEN_A))
    (directory / CREDENTIAL_FILE).unlink()
    os.mkfifo(directory / CREDENTIAL_FILE, 0o600)
    error = load_error(directory)
    assert isinstance(error, UnsafeStore)
    assert "not a regular file" in explain(error).cause


def test_directory_in_place_of_the_credential_is_refused(stored: Path) -> None:
    (stored / CREDENTIAL_FILE).unlink()
    (stored / CREDENTIAL_FILE).mkdir(mode=0o700)
    assert isinstance(load_error(stored), UnsafeStore)
    with pytest.raises(UnsafeStore):
        file_store(stored).save(credential(TOKEN_B))


def test_config_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nanoctl"
    path.write_text("not a directory")
    with pytest.raises(UnsafeStore) as caught:
        file_store(path).load()
    assert "not a directory" in str(explain(caught.value))
    with pytest.raises(StorageError):
        file_store(path).save(credential(TOKEN_A))
    assert path.read_text() == "not a directory"


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


# --- crashes and races ------------------------------------------------------------------

SAVE_LOOP = """
import sys
from pathlib import Path
from tests.store_helpers import TOKEN_A, TOKEN_B, credential, file_store
store = file_store(Path(sys.argv[1]))
credentials = [credential(TOKEN_A), credential(TOKEN_B)]
saves = 0
while True:
    store.save(credentials[saves % 2])
    saves += 1
    if saves == 3:
        print("saving", flush=True)
"""


def test_kill_9_in_the_middle_of_saving_leaves_the_old_or_the_new_credential(
    directory: Path,
) -> None:
    rng = random.Random(9)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVE_LOOP, str(directory)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"saving"
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        child.stdout.close()
        loaded = file_store(directory).load()
        assert loaded is not None
        assert loaded.token.reveal() in (TOKEN_A, TOKEN_B)
    file_store(directory).save(credential(TOKEN_A))  # the next writer sweeps leftovers
    assert temporaries(directory) == []
    assert sorted(os.listdir(directory)) == sorted([CREDENTIAL_FILE, KEY_FILE, LOCK_FILE])


WORKER = """
import json, random, sys, time
from pathlib import Path
import cryptography.hazmat.primitives.ciphers.aead
from tests.store_helpers import TOKEN_A, TOKEN_B, credential, file_store
directory, go, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
credentials = [credential(TOKEN_A), credential(TOKEN_B)]
counts = {"save": 0, "delete": 0, "load": 0, "found": 0}
errors = []
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
deadline = time.monotonic() + 1.5
while time.monotonic() < deadline:
    operation = rng.choice(["save", "save", "delete", "load", "load", "load"])
    store = file_store(directory)
    try:
        if operation == "save":
            store.save(rng.choice(credentials))
        elif operation == "delete":
            store.delete()
        else:
            loaded = store.load()
            if loaded is not None:
                if loaded.token.reveal() not in (TOKEN_A, TOKEN_B):
                    errors.append("load: a token that was never saved")
                counts["found"] += 1
        counts[operation] += 1
    except Exception as error:
        errors.append(f"{operation}: {type(error).__name__}: {error}")
print(json.dumps({"counts": counts, "errors": errors}), flush=True)
"""


def test_20_concurrent_processes_saving_deleting_and_loading_never_see_a_torn_store(
    directory: Path, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(directory), str(go), str(seed)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in range(20)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        reports.append(json.loads(out))
    errors = [e for report in reports for e in report["errors"]]
    assert errors == []  # in particular no CorruptedStore from any load while running
    total = {k: sum(r["counts"][k] for r in reports) for k in ("save", "delete", "load")}
    assert min(total.values()) > 20, total  # they really did interleave
    assert sum(r["counts"]["found"] for r in reports) > 0
    final = file_store(directory).load()
    assert final is None or final.token.reveal() in (TOKEN_A, TOKEN_B)
    assert temporaries(directory) == []


# --- the OS keyring ---------------------------------------------------------------------


class Recorder:
    """Diagnostics that keep every -v line, worded as the CLI words them."""

    def __init__(self) -> None:
        self.infos: list[str] = []

    def info(self, event: Event) -> None:
        self.infos.append(note(event))

    def debug(self, detail: str | Event) -> None:
        pass


class FakeBackend(KeyringBackend):
    """A keyring backend of the tests' own, with a real priority."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated


class MemoryKeyring(FakeBackend):
    """A working keyring that keeps entries in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("the keyring is locked")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class RaisingKeyring(FakeBackend):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus said no")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("D-Bus said no")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("D-Bus said no")


class HangingKeyring(FakeBackend):
    """Every call sleeps 30 s (or until the test releases it)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


@pytest.fixture
def install_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    import keyring

    previous = keyring.get_keyring()
    installed: list[KeyringBackend] = []

    def install(backend: KeyringBackend) -> None:
        installed.append(backend)
        keyring.set_keyring(backend)

    yield install
    for backend in installed:
        if isinstance(backend, HangingKeyring):
            backend.release.set()
    keyring.set_keyring(previous)


def keyring_store(
    directory: Path, diagnostics: Recorder | None = None, timeout: float = 3.0
) -> EncryptedFileStore:
    keys = choose_key_store(directory, use_keyring=True, diagnostics=diagnostics, timeout=timeout)
    return EncryptedFileStore(directory, keys, diagnostics)


def test_keyring_that_raises_falls_back_to_the_key_file_and_says_so(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(RaisingKeyring())
    report = Recorder()
    keyring_store(directory, report).save(credential(TOKEN_A))
    assert (directory / KEY_FILE).is_file()
    assert _envelope(directory)["key_store"] == "file"
    assert any(
        "keyring cannot keep" in line and "RuntimeError" in line and str(directory) in line
        for line in report.infos
    ), report.infos
    assert not any("D-Bus said no" in line for line in report.infos)  # class name only
    assert_decrypts_to(directory, TOKEN_A)
    loaded = keyring_store(directory).load()  # the envelope says "file": no keyring call
    assert loaded is not None and loaded.token.reveal() == TOKEN_A


def test_keyring_that_hangs_falls_back_within_the_bounded_time(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(HangingKeyring())
    report = Recorder()
    store = keyring_store(directory, report, timeout=0.5)
    started = time.monotonic()
    store.save(credential(TOKEN_A))
    assert time.monotonic() - started < 3.0
    assert (directory / KEY_FILE).is_file()
    assert any("did not answer within 0.5 s" in line for line in report.infos), report.infos
    started = time.monotonic()
    assert store.delete() is True  # the same run does not wait on the keyring again
    assert time.monotonic() - started < 0.4


def test_keyring_with_no_real_backend_is_not_used(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    from keyring.backends import null

    install_keyring(null.Keyring())
    report = Recorder()
    keyring_store(directory, report).save(credential(TOKEN_A))
    assert (directory / KEY_FILE).is_file()
    assert any("no usable backend" in line for line in report.infos), report.infos


def test_plaintext_file_keyring_is_not_trusted_with_the_key(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    class PlaintextKeyring(MemoryKeyring):
        """Stands for keyrings.alt's plaintext file backend."""

    backend = PlaintextKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    assert backend.entries == {}
    assert (directory / KEY_FILE).is_file()


def test_working_keyring_keeps_the_key_and_no_key_file_is_written(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    report = Recorder()
    store = keyring_store(directory, report)
    store.save(credential(TOKEN_A))
    assert not (directory / KEY_FILE).exists()
    assert _envelope(directory)["key_store"] == "keyring"
    [(service, account)] = backend.entries
    assert service == "nanoctl"
    assert str(directory) in account  # one key per config directory
    assert len(base64.b64decode(backend.entries[(service, account)])) == 32
    assert "keyring" in store.key_location
    fresh = keyring_store(directory)
    loaded = fresh.load()
    assert loaded is not None and loaded.token.reveal() == TOKEN_A
    assert "OS keyring" in fresh.key_location
    assert fresh.delete() is True
    assert backend.entries == {}
    assert not (directory / CREDENTIAL_FILE).exists()
    assert fresh.delete() is False


def test_keyring_key_is_reused_on_replace_and_per_directory(
    tmp_path: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    first, second = tmp_path / "one", tmp_path / "two"
    keyring_store(first).save(credential(TOKEN_A))
    keys = dict(backend.entries)
    keyring_store(first).save(credential(TOKEN_B))
    assert backend.entries == keys
    keyring_store(second).save(credential(TOKEN_A))
    assert len(backend.entries) == 2
    assert_via_keyring = keyring_store(first).load()
    assert assert_via_keyring is not None and assert_via_keyring.token.reveal() == TOKEN_B


def test_keyring_keyed_credential_with_keyring_turned_off_is_a_storage_error(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(MemoryKeyring())
    keyring_store(directory).save(credential(TOKEN_A))
    store = EncryptedFileStore(directory, choose_key_store(directory, use_keyring=False))
    with pytest.raises(StorageError) as caught:
        store.load()
    assert type(caught.value) is KeyringUnavailable
    assert "keyring" in explain(caught.value).cause
    assert "nanoctl logout" in explain(caught.value).next_step


def test_locked_keyring_at_load_asks_to_unlock_or_logout(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    backend.locked = True
    before = snapshot(directory)
    with pytest.raises(StorageError) as caught:
        keyring_store(directory).load()
    assert type(caught.value) is KeyringUnavailable
    assert "it is locked" in explain(caught.value).cause
    assert "Unlock the keyring" in explain(caught.value).next_step
    assert "nanoctl logout" in explain(caught.value).next_step
    assert snapshot(directory) == before


def test_hanging_keyring_at_load_of_a_keyring_keyed_credential_is_bounded(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    install_keyring(MemoryKeyring())
    keyring_store(directory).save(credential(TOKEN_A))
    install_keyring(HangingKeyring())
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        keyring_store(directory, timeout=0.3).load()
    assert re.search(r"did not answer within 0\.3 s", str(explain(caught.value)))
    assert time.monotonic() - started < 3.0


def test_key_missing_from_the_keyring_is_corrupted(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    keyring_store(directory).save(credential(TOKEN_A))
    backend.entries.clear()
    with pytest.raises(CorruptedStore) as caught:
        keyring_store(directory).load()
    assert "key is missing" in str(explain(caught.value))


def test_key_moves_from_the_file_to_the_keyring_on_the_next_save(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    file_store(directory).save(credential(TOKEN_A))  # keyring off: key file
    backend = MemoryKeyring()
    install_keyring(backend)
    store = keyring_store(directory)
    loaded = store.load()  # still readable from the file
    assert loaded is not None and loaded.token.reveal() == TOKEN_A
    store.save(credential(TOKEN_B))
    assert not (directory / KEY_FILE).exists()
    assert len(backend.entries) == 1
    again = keyring_store(directory).load()
    assert again is not None and again.token.reveal() == TOKEN_B


def test_file_key_store_never_touches_the_keyring(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    backend = MemoryKeyring()
    install_keyring(backend)
    store = EncryptedFileStore(directory, FileKeyStore(directory / KEY_FILE))
    store.save(credential(TOKEN_A))
    store.delete()
    assert backend.entries == {}


class CountingKeyring(MemoryKeyring):
    """A working keyring that counts every question asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return super().get_password(service, username)

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        super().delete_password(service, username)


def test_logout_of_a_file_keyed_or_empty_store_never_asks_the_keyring(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    """Asking the OS keyring costs a D-Bus round trip (or an unlock dialog): logout asks
    only where the stored credential says its key is."""
    install_keyring(RaisingKeyring())
    keyring_store(directory).save(credential(TOKEN_A))  # falls back to the key file
    counting = CountingKeyring()
    install_keyring(counting)
    assert keyring_store(directory).delete() is True
    assert not (directory / KEY_FILE).exists()
    assert keyring_store(directory).delete() is False  # nothing stored at all
    assert keyring_store(directory / "never-created").delete() is False
    assert counting.calls == 0


def test_logout_of_a_keyring_keyed_store_removes_the_keyring_entry(
    directory: Path, install_keyring: Callable[[KeyringBackend], None]
) -> None:
    counting = CountingKeyring()
    install_keyring(counting)
    keyring_store(directory).save(credential(TOKEN_A))
    assert len(counting.entries) == 1
    assert keyring_store(directory).delete() is True
    assert counting.entries == {}
