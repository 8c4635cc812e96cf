"""Profiles never cost a credential: the first write of a new profile, kill -9 in it, ten
logins to ten profiles at once, and a damaged or unsafe profile beside a good one.

The stores are real (files, modes, locks, the key file), the logins are real prompt
logins in pseudo-terminals against two reference servers (127.0.0.1 and 127.0.0.2), and
the first store on disk is one the previous release wrote with its own code
(tests/fixtures/release_stores/).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtySession,
    config_dir,
    files_under,
    run_nanoctl,
    store_credential,
)
from tests.integration.test_release_stores import RELEASES, STORE_FILES, install
from tests.store_helpers import TOKEN_B, file_store, kill_9_while_saving, temporaries

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = next(release for release in RELEASES if release.commit == "10ebc8f")


def profile_dir(name: str) -> Path:
    return config_dir() / "profiles" / name


def default_files() -> dict[str, bytes]:
    every = files_under(config_dir())
    return {name: every[name] for name in STORE_FILES if name in every}


def all_profiles() -> dict[str, dict[str, object]]:
    """`status --all --offline --json`, by profile name."""
    result = run_nanoctl("status", "--all", "--offline", "--json")
    assert result.exit_code == 0, result.stderr
    return {entry["profile"]: entry for entry in json.loads(result.stdout)["profiles"]}


def login_at_prompt(profile: str, server: ReferenceServer, token: str) -> PtySession:
    return PtySession(
        "login", "--profile", profile, env={"NANOSERVICES_API_URL": server.url}, secrets=[token]
    )


def test_the_first_login_to_another_profile_leaves_the_release_store_byte_identical(
    server: ReferenceServer,
) -> None:
    before = install(PREVIOUS)

    session = login_at_prompt("staging", server, api.VALID_EMAIL)
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID_EMAIL)
    assert session.finish().exit_code == 0

    assert default_files() == before
    profiles = all_profiles()
    assert sorted(profiles) == ["default", "staging"]
    assert (profiles["default"]["username"], profiles["default"]["api_url"]) == (
        "ada",
        PREVIOUS.api_url,
    )
    assert (profiles["staging"]["username"], profiles["staging"]["api_url"]) == (
        "grace@example.com",
        server.url,
    )


def test_profile_directories_and_files_are_private_like_the_default_store(
    server: ReferenceServer,
) -> None:
    session = login_at_prompt("dev", server, api.VALID)
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    assert session.finish().exit_code == 0

    for directory in (config_dir() / "profiles", profile_dir("dev")):
        assert stat.S_IMODE(os.lstat(directory).st_mode) == 0o700, directory
    for name in STORE_FILES:
        assert stat.S_IMODE(os.lstat(profile_dir("dev") / name).st_mode) == 0o600, name
    assert not os.path.exists(config_dir() / "credentials.json"), "default got a credential"


FIRST_SAVE = """
import os, sys
from datetime import UTC, datetime
from nanoctl.domain.model import ApiUrl, Credential, Identity, Token, TokenOrigin
from nanoctl.entrypoints.container import for_invocation
from nanoctl.entrypoints.invocation import Invocation
from tests.store_helpers import TOKEN_B
container = for_invocation(Invocation(os.environ, profile="staging"))
store = container.store()
assert store.load() is None
print("saving", flush=True)
store.save(Credential(Token.parse(TOKEN_B, TokenOrigin.PROMPT),
                      ApiUrl.parse(sys.argv[1]), Identity("ada", None),
                      saved_at=datetime.now(UTC)))
"""


def test_kill_9_during_the_first_save_of_a_new_profile_never_touches_the_default_one(
    server: ReferenceServer,
) -> None:
    """The store of the selected profile as the container builds it, killed at a random
    moment of its first save, ten times: the previous release's store is byte-identical
    each time, the new profile is absent or whole, and the next login to it works."""
    rng = random.Random(12)
    before = install(PREVIOUS)
    for _ in range(10):
        shutil.rmtree(config_dir() / "profiles", ignore_errors=True)
        kill_9_while_saving(FIRST_SAVE, server.url, delay=rng.uniform(0, 0.02), cwd=ROOT)
        assert default_files() == before
        if profile_dir("staging").exists():
            loaded = file_store(profile_dir("staging")).load()
            assert loaded is None or loaded.token.reveal() == TOKEN_B

    assert run_nanoctl("logout", "--profile", "staging").exit_code == 0
    session = login_at_prompt("staging", server, api.VALID)
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    assert session.finish().exit_code == 0
    assert temporaries(profile_dir("staging")) == []
    assert all_profiles()["staging"]["username"] == "ada"
    assert default_files() == before


@pytest.mark.alone
def test_ten_prompt_logins_to_ten_profiles_at_once_lose_none(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    servers = [server, other_host_server]
    tokens = [api.VALID, api.VALID_EMAIL]
    sessions = [login_at_prompt(f"p{n}", servers[n % 2], tokens[n % 2]) for n in range(10)]
    for session in sessions:
        session.expect_exact(TOKEN_INPUT)
    for n, session in enumerate(sessions):  # all waiting: the ten saves overlap
        session.child.sendline(tokens[n % 2])
    assert [session.finish().exit_code for session in sessions] == [0] * 10

    profiles = all_profiles()
    assert sorted(profiles) == [f"p{n}" for n in range(10)]
    for n in range(10):
        entry = profiles[f"p{n}"]
        assert entry["api_url"] == servers[n % 2].url
        assert entry["username"] == ("ada", "grace@example.com")[n % 2]


def test_a_symlink_in_one_profile_is_refused_there_and_blocks_no_other(
    server: ReferenceServer, tmp_path: Path
) -> None:
    """The no-symlink rule holds per profile: `staging`'s credential file replaced by a
    link is refused (exit 5, the link named, its target never read or written) while
    `default` goes on working."""
    before = install(PREVIOUS)
    session = login_at_prompt("staging", server, api.VALID)
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    assert session.finish().exit_code == 0
    target = tmp_path / "elsewhere.json"
    target.write_bytes((profile_dir("staging") / "credentials.json").read_bytes())
    (profile_dir("staging") / "credentials.json").unlink()
    (profile_dir("staging") / "credentials.json").symlink_to(target)
    target_bytes = target.read_bytes()

    refused = run_nanoctl("--profile", "staging", "status", "--offline")
    fine = run_nanoctl("status", "--offline")

    assert refused.exit_code == 5, refused.stderr
    assert f"{profile_dir('staging') / 'credentials.json'} is a symbolic link" in refused.stderr
    assert fine.exit_code == 0, fine.stderr
    assert target.read_bytes() == target_bytes
    assert default_files() == before


def _corrupt(path: Path) -> None:
    path.write_bytes(b"{not json")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _newer_format(path: Path) -> None:
    document = json.loads(path.read_bytes())
    path.write_text(json.dumps({**document, "format": 99}))


def _expose(path: Path) -> None:
    os.chmod(path, 0o640)


def _lose_key(path: Path) -> None:
    (path.parent / "credentials.key").unlink()


def _directory_in_place(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    "damage",
    [_corrupt, _truncate, _newer_format, _expose, _lose_key, _directory_in_place],
    ids=["corrupted", "truncated", "newer format", "group-readable", "key lost", "a directory"],
)
def test_a_damaged_profile_is_reported_on_its_own_and_blocks_no_other(
    damage: Callable[[Path], None], server: ReferenceServer
) -> None:
    from datetime import UTC, datetime, timedelta

    expires = datetime.now(UTC) + timedelta(days=30)
    store_credential(server.url, api.VALID, expires, profile="dev")
    store_credential(server.url, api.VALID_EMAIL, expires, "grace@example.com", profile="staging")
    damaged = profile_dir("staging") / "credentials.json"
    damage(damaged)
    dev_before = files_under(profile_dir("dev"))

    broken = run_nanoctl("--profile", "staging", "status", "--offline")
    dev = run_nanoctl("--profile", "dev", "status")
    listed = run_nanoctl("status", "--all", "--offline", "--json")
    dev_after_reads = files_under(profile_dir("dev"))
    dev_out = run_nanoctl("--profile", "dev", "logout", "--json")

    assert broken.exit_code == 5, broken.stderr
    assert str(damaged) in broken.stderr
    assert dev.exit_code == 0, dev.stderr
    assert dev.stdout_lines[0] == f"✓ Logged in to {server.url} as ada"
    assert listed.exit_code == 5
    entries = {e["profile"]: e for e in json.loads(listed.stdout)["profiles"]}
    assert entries["dev"]["logged_in"] is True
    assert entries["staging"]["logged_in"] is False
    assert str(damaged) in entries["staging"]["message"]
    assert dev_after_reads == dev_before  # read, never written
    assert dev_out.exit_code == 0, dev_out.stderr
    assert json.loads(dev_out.stdout)["profiles_removed"] == ["dev"]
    assert os.path.lexists(damaged), "logging out of dev touched staging"


def test_with_no_usable_keyring_a_profile_keeps_its_key_in_its_own_file(
    server: ReferenceServer,
) -> None:
    """The keyring fallback holds per profile: the keyring on (as users run nanoctl) but
    no real backend, so each profile's key goes to the key file in its own directory."""
    env = {"NANOSERVICES_API_URL": server.url, "NANOCTL_KEYRING": None}
    for profile in ("default", "staging"):
        session = PtySession("--profile", profile, "login", env=env, secrets=[api.VALID])
        session.expect_exact(TOKEN_INPUT)
        session.child.sendline(api.VALID)
        assert session.finish().exit_code == 0

    for directory in (config_dir(), profile_dir("staging")):
        envelope = json.loads((directory / "credentials.json").read_bytes())
        assert envelope["key_store"] == "file", directory
        assert (directory / "credentials.key").is_file()
    keys = {(d / "credentials.key").read_bytes() for d in (config_dir(), profile_dir("staging"))}
    assert len(keys) == 2, "two profiles share one key"
    listed = run_nanoctl("status", "--all", "--offline", "--json", env={"NANOCTL_KEYRING": None})
    assert [p["key_location"] for p in json.loads(listed.stdout)["profiles"]] == [
        str(config_dir() / "credentials.key"),
        str(profile_dir("staging") / "credentials.key"),
    ]
