"""An unsafe store, refused like OpenSSH refuses an exposed key: group/world access, another
owner, symlinks at the file, key or lock, a FIFO or directory in place of the file.
Every fault is staged for real (files, modes, owners, a forked child as nobody, file size
limits, signals, concurrent processes); each error is checked for its words and for the
token in none of them, and the previous credential for being byte-identical.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import LOCK_FILE
from nanoctl.adapters.store.keys import KEY_FILE
from nanoctl.domain.store_errors import (
    StorageError,
    UnsafeStore,
)
from nanoctl.entrypoints.words.errors import explain
from tests.store_helpers import (
    NOBODY_UID,
    NOGROUP_GID,
    TOKEN_A,
    TOKEN_B,
    assert_decrypts_to,
    credential,
    file_store,
    load_error,
)

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
