"""Stores written by released nanoctl versions are read by today's, with no new login.

Each directory of tests/fixtures/release_stores/ is the config dir a release's own
`nanoctl login` wrote at a real prompt (make_release_store.py, with the keyring off so
the key is in its file), against the reference server on a fixed loopback address. The
tests put it where today's nanoctl looks, read it every way a user does, and check that
reading never rewrites it and that the first write over it is never half done.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import config_dir, files_under
from tests.integration.in_process import run_nanoctl
from tests.store_helpers import TOKEN_B, file_store, kill_9_while_saving

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "release_stores"
STORE_FILES = ("credentials.json", "credentials.key")


@dataclass(frozen=True)
class ReleaseStore:
    name: str
    api_url: str
    username: str
    expires_at: str
    commit: str


def release_stores() -> list[ReleaseStore]:
    stores = []
    for about in sorted(FIXTURES.glob("*/release.json")):
        facts = json.loads(about.read_text())
        stores.append(
            ReleaseStore(
                about.parent.name,
                facts["api_url"],
                facts["username"],
                facts["expires_at"],
                facts["commit"],
            )
        )
    return stores


RELEASES = release_stores()


def test_there_are_stores_of_the_first_and_the_previous_release() -> None:
    assert {store.commit for store in RELEASES} >= {"2ac230e", "10ebc8f"}


def install(release: ReleaseStore) -> dict[str, bytes]:
    """The release's config dir where nanoctl looks, modes as the release left them
    (git keeps no modes: the release wrote 0700 and 0600); its files' bytes."""
    directory = config_dir()
    directory.mkdir(parents=True, mode=0o700)
    os.chmod(directory, 0o700)
    for name in STORE_FILES:
        shutil.copyfile(FIXTURES / release.name / name, directory / name)
        os.chmod(directory / name, 0o600)
    return files_under(directory)


@pytest.fixture
def release_api() -> Iterator[ReferenceServer]:
    """The reference server again at the URL the release stored. That address is fixed, so
    a test on another worker (or another run on this machine) may be holding it: wait."""
    deadline = time.monotonic() + 60
    while True:
        try:
            server = ReferenceServer("127.0.0.9", 18765).start()
            break
        except OSError as error:
            if error.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    with server:
        yield server


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_a_release_store_is_read_offline_as_the_release_wrote_it(release: ReleaseStore) -> None:
    before = install(release)
    env = {"NANOSERVICES_API_URL": release.api_url}

    result = run_nanoctl("status", "--offline", "--json", env=env, secrets=[api.VALID])

    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["logged_in"] is True
    assert shown["username"] == release.username
    assert shown["api_url"] == release.api_url
    assert shown["source"] == "stored"
    assert shown["expires_at"] == release.expires_at
    assert shown["key_location"] == str(config_dir() / "credentials.key")
    assert files_under(config_dir()) == before, "reading rewrote the release's store"


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_a_release_store_gives_its_token_to_other_tools(release: ReleaseStore) -> None:
    install(release)
    env = {"NANOSERVICES_API_URL": release.api_url}

    result = run_nanoctl("token", env=env, reveals=api.VALID)

    assert (result.exit_code, result.stdout) == (0, api.VALID + "\n"), result.stderr


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_a_release_store_is_accepted_by_the_api_it_was_made_for(
    release: ReleaseStore, release_api: ReferenceServer
) -> None:
    assert release_api.url == release.api_url
    before = install(release)
    env = {"NANOSERVICES_API_URL": release.api_url}

    result = run_nanoctl("status", env=env, secrets=[api.VALID])

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == f"✓ Logged in to {release.api_url} as ada"
    assert len(release_api.requests_with(api.VALID)) == 1
    assert files_under(config_dir()) == before


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_logout_removes_a_release_store_and_its_key(release: ReleaseStore) -> None:
    install(release)

    result = run_nanoctl("logout", secrets=[api.VALID])

    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(config_dir())) == [".credentials.lock"]


FIRST_SAVE = """
import sys
from pathlib import Path
from tests.store_helpers import TOKEN_B, credential, file_store
store = file_store(Path(sys.argv[1]))
assert store.load() is not None
print("saving", flush=True)
store.save(credential(TOKEN_B))
"""


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_kill_9_during_the_first_save_over_a_release_store_leaves_it_or_the_new_one(
    release: ReleaseStore,
) -> None:
    """Today's code replacing the release's credential (a new login), killed at a random
    moment: what is left is the release's store byte for byte, or the new credential."""
    rng = random.Random(12)
    for _ in range(8):
        shutil.rmtree(config_dir(), ignore_errors=True)
        before = install(release)
        kill_9_while_saving(FIRST_SAVE, str(config_dir()), delay=rng.uniform(0, 0.02), cwd=ROOT)
        loaded = file_store(config_dir()).load()
        assert loaded is not None
        if loaded.token.reveal() == api.VALID:
            after = files_under(config_dir())
            assert {n: after[n] for n in STORE_FILES} == before, "the old store was changed"
        else:
            assert loaded.token.reveal() == TOKEN_B


# --- with profiles (#12): the release's store is profile `default` --------------------------


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_a_release_store_is_the_default_profile_bound_to_its_url_with_no_new_login(
    release: ReleaseStore, release_api: ReferenceServer
) -> None:
    """No --api-url, no NANOSERVICES_API_URL: the URL the release stored is the one used."""
    before = install(release)

    offline = run_nanoctl("status", "--offline", "--json", secrets=[api.VALID])
    named = run_nanoctl("--profile", "default", "status", secrets=[api.VALID])
    listed = run_nanoctl("status", "--all", "--offline", "--json", secrets=[api.VALID])

    assert offline.exit_code == 0, offline.stderr
    shown = json.loads(offline.stdout)
    assert (shown["profile"], shown["api_url"], shown["username"]) == (
        "default",
        release.api_url,
        "ada",
    )
    assert named.exit_code == 0, named.stderr
    assert named.stdout_lines[0] == f"✓ Logged in to {release.api_url} as ada"
    assert len(release_api.requests_with(api.VALID)) == 1
    assert listed.exit_code == 0, listed.stderr
    profiles = json.loads(listed.stdout)["profiles"]
    assert [(p["profile"], p["api_url"]) for p in profiles] == [("default", release.api_url)]
    assert files_under(config_dir()) == before
