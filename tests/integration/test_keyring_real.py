"""The encryption key in a real OS keyring: gnome-keyring's Secret Service on a private
D-Bus session, with the installed `nanoctl` and the `keyring` package left to choose
its backend (NANOCTL_KEYRING unset, no PYTHON_KEYRING_BACKEND).

Each test starts its own session bus (``dbus-daemon --session --nofork``) and
``gnome-keyring-daemon --foreground --unlock --components=secrets`` on it, with a
throwaway login keyring under the test's HOME, and stops both by process id at the
end. DISPLAY and WAYLAND_DISPLAY are removed, so a locked keyring can never pop up an
unlock dialog on the developer's desktop: gnome-keyring's prompter fails at once and
the keyring reports itself locked. What was stored and removed is read back with
``secretstorage`` over the same bus.

The tools come from scripts/system-deps.sh; without them these tests fail (never skip).
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtyResult,
    PtySession,
    config_dir,
    files_under,
    run_nanoctl,
)

# A machine-wide service each test starts with a deadline: not shared with other tests.
pytestmark = pytest.mark.alone

TOOLS = ("dbus-daemon", "gnome-keyring-daemon")
SECRETS_BUS_NAME = "org.freedesktop.secrets"
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
KEYRING = "the OS keyring (service 'nanoctl')"
STARTUP_TIMEOUT = 10.0


# --- a private Secret Service ---------------------------------------------------------------


@dataclass
class SecretService:
    """gnome-keyring on a private session bus; the test's os.environ points at it."""

    address: str
    log: Path

    def _connect(self) -> Any:
        import secretstorage

        return secretstorage.dbus_init()  # DBUS_SESSION_BUS_ADDRESS is ours (monkeypatched)

    def nanoctl_items(self) -> list[tuple[dict[str, str], bytes]]:
        """(attributes, secret) of every item whose service is "nanoctl", in any collection.

        Reading secrets needs the collection unlocked; in a locked one only the
        attributes are returned (secret b"").
        """
        import secretstorage

        with closing(self._connect()) as connection:
            found = []
            for collection in secretstorage.get_all_collections(connection):
                locked = collection.is_locked()
                for item in collection.search_items({"service": "nanoctl"}):
                    found.append((item.get_attributes(), b"" if locked else item.get_secret()))
            return found

    def lock(self) -> None:
        """Lock the default (login) collection, as a screen lock or `secret-tool lock` does."""
        import secretstorage

        with closing(self._connect()) as connection:
            collection = secretstorage.Collection(connection, DEFAULT_COLLECTION)
            collection.lock()
            assert collection.is_locked()

    def describe(self) -> str:
        return f"bus {self.address}; daemons' log:\n{self.log.read_text(errors='replace')}"


def _missing_tools_message(missing: list[str]) -> str:
    return (
        f"{', '.join(missing)} not found: this test needs a real Secret Service. Run "
        "scripts/system-deps.sh as root (or install gnome-keyring, dbus-x11 and dbus-daemon "
        "with your package manager), then run the tests again."
    )


def _read_line(stream: Any, timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
        return str(stream.readline().decode("ascii", errors="replace").strip())


def _name_has_owner(address: str, name: str) -> bool:
    """Asked of the bus itself, so it never auto-starts a second keyring daemon."""
    from jeepney import DBus
    from jeepney.io.blocking import open_dbus_connection

    with closing(open_dbus_connection(bus=address)) as connection:
        reply = connection.send_and_get_reply(DBus().NameHasOwner(name), timeout=2)
        return bool(reply.body[0])


def _default_collection_unlocked() -> bool:
    import secretstorage
    from secretstorage.exceptions import ItemNotFoundException

    with closing(secretstorage.dbus_init()) as connection:
        try:
            return not secretstorage.Collection(connection, DEFAULT_COLLECTION).is_locked()
        except ItemNotFoundException:
            return False  # the login keyring is not created yet


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def secret_service(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SecretService]:
    """An unlocked login keyring (password "pw") on a session bus of this test only."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(_missing_tools_message(missing), pytrace=False)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL"):
        monkeypatch.delenv(name, raising=False)
    # gnome-keyring's control socket goes there: short path (sun_path is 108 bytes), 0700
    runtime = Path(tempfile.mkdtemp(prefix="nanoctl-kr-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    log = tmp_path / "secret-service.log"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with log.open("ab") as log_file:
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log_file,
                env=dict(os.environ),
            )
            processes.append(bus)
            address = _read_line(bus.stdout, STARTUP_TIMEOUT)
            assert address, f"dbus-daemon printed no address; log:\n{log.read_text()}"
            monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
            service = SecretService(address, log)

            daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=log_file,
                stderr=log_file,
                env=dict(os.environ),
            )
            processes.append(daemon)
            assert daemon.stdin is not None
            daemon.stdin.write(b"pw")  # the login keyring's password, read up to EOF
            daemon.stdin.close()

            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not (
                _name_has_owner(address, SECRETS_BUS_NAME) and _default_collection_unlocked()
            ):
                assert daemon.poll() is None, f"gnome-keyring-daemon exited; {service.describe()}"
                assert time.monotonic() < deadline, (
                    f"no unlocked Secret Service after {STARTUP_TIMEOUT:g} s; {service.describe()}"
                )
                time.sleep(0.05)
            yield service
    finally:
        for process in reversed(processes):
            _stop(process)
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(runtime, ignore_errors=True)


# --- helpers --------------------------------------------------------------------------------


def keyring_env(server: ReferenceServer) -> dict[str, str | None]:
    """As a user runs nanoctl: keyring on by default, `keyring` picks its own backend."""
    return {
        "NANOSERVICES_API_URL": server.url,
        "NANOCTL_KEYRING": None,
        "PYTHON_KEYRING_BACKEND": None,
    }


def login_verbose(server: ReferenceServer) -> PtyResult:
    """`nanoctl login -v` with the token typed at the hidden prompt."""
    session = PtySession("login", "-v", env=keyring_env(server), secrets=[api.VALID])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    return session.finish()


def envelope() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((config_dir() / "credentials.json").read_text())
    return document


def account() -> str:
    return f"encryption-key:{os.path.abspath(config_dir())}"


# --- the scenarios ----------------------------------------------------------------------------


def test_login_keeps_the_key_in_the_secret_service_status_reads_it_logout_removes_it(
    secret_service: SecretService, reference_server: ReferenceServer
) -> None:
    env = keyring_env(reference_server)
    directory = config_dir()

    # (a) an interactive login through a terminal
    login = login_verbose(reference_server)
    assert login.exit_code == 0, login.transcript
    assert f"nanoctl: The encryption key is kept in {KEYRING}." in login.lines
    assert "cannot keep" not in login.transcript
    assert api.VALID not in login.transcript

    # (b) the key is in the Secret Service, not in a file; the file holds ciphertext only
    items = secret_service.nanoctl_items()
    assert len(items) == 1, f"{items}; {secret_service.describe()}"
    attributes, secret = items[0]
    assert attributes["service"] == "nanoctl"
    assert attributes["username"] == account()
    key = base64.b64decode(secret, validate=True)
    assert len(key) == 32
    stored = files_under(directory)
    assert "credentials.json" in stored
    assert "credentials.key" not in stored
    for name, data in stored.items():
        assert api.VALID.encode() not in data, name
        assert secret not in data, f"the key itself is in {name}"
    assert envelope()["key_store"] == "keyring"
    # the key in the keyring is the one that decrypts the file
    from nanoctl.adapters.store.envelope import decode_envelope, unseal

    path = directory / "credentials.json"
    credential = unseal(decode_envelope(path.read_bytes(), path), key, path)
    assert credential.token.reveal() == api.VALID
    assert credential.identity.username == "ada"

    # (c) status reads the key from the keyring
    status = run_nanoctl("status", "-v", env=env, secrets=[api.VALID])
    assert status.exit_code == 0, status.stderr
    assert f"  Key:          {KEYRING}" in status.stdout_lines
    assert f"  Token source: stored credential ({path})" in status.stdout_lines
    assert f"nanoctl: Read the credential from {path}; its key is in {KEYRING}." in (
        status.stderr_lines
    )
    as_json = run_nanoctl("status", "--json", env=env, secrets=[api.VALID])
    assert as_json.exit_code == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["key_location"] == KEYRING
    assert report["location"] == str(path)
    assert report["source"] == "stored"
    assert report["username"] == "ada"
    assert report["validated"] is True

    # (d) logout removes the file and the keyring item
    logout = run_nanoctl("logout", "-v", env=env, secrets=[api.VALID])
    assert logout.exit_code == 0, logout.stderr
    assert "Could not remove" not in logout.stderr
    assert secret_service.nanoctl_items() == []
    assert not {"credentials.json", "credentials.key"} & set(files_under(directory))
    after = run_nanoctl("status", env=env)
    assert after.exit_code == 1, after.stderr


def test_a_locked_keyring_at_login_moves_the_key_to_a_file_and_says_so_on_v(
    secret_service: SecretService, reference_server: ReferenceServer
) -> None:
    env = keyring_env(reference_server)
    directory = config_dir()
    secret_service.lock()

    login = login_verbose(reference_server)

    assert login.exit_code == 0, login.transcript
    assert (
        "nanoctl: The OS keyring cannot keep the encryption key (it is locked); "
        f"using the key file {directory / 'credentials.key'} instead."
    ) in login.lines, f"{login.transcript}\n{secret_service.describe()}"
    assert secret_service.nanoctl_items() == []
    stored = files_under(directory)
    assert {"credentials.json", "credentials.key"} <= set(stored)
    assert not any(api.VALID.encode() in data for data in stored.values())
    assert envelope()["key_store"] == "file"

    # the credential says its key is in the file: reading it never asks the locked keyring
    status = run_nanoctl("status", "--json", env=env, secrets=[api.VALID])
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["key_location"] == str(directory / "credentials.key")
    logout = run_nanoctl("logout", "-v", env=env, secrets=[api.VALID])
    assert logout.exit_code == 0, logout.stderr
    assert not {"credentials.json", "credentials.key"} & set(files_under(directory))


def test_a_key_in_a_keyring_locked_later_is_reported_with_the_fix_and_logout_still_works(
    secret_service: SecretService, reference_server: ReferenceServer
) -> None:
    env = keyring_env(reference_server)
    directory = config_dir()
    login = login_verbose(reference_server)
    assert login.exit_code == 0, login.transcript
    assert len(secret_service.nanoctl_items()) == 1
    secret_service.lock()

    status = run_nanoctl("status", env=env, secrets=[api.VALID])
    assert status.exit_code == 5, status.stderr
    assert status.stderr_lines[0] == (
        f"Error: The stored credential's encryption key is in {KEYRING}, which cannot be "
        "used now: it is locked. Unlock the keyring (or start its service) and try again, "
        "or run `nanoctl logout` and log in again."
    ), status.stderr
    as_json = run_nanoctl("status", "--json", env=env, secrets=[api.VALID])
    assert as_json.exit_code == 5
    assert json.loads(as_json.stderr)["error"]["kind"] == "keyring_unavailable"

    logout = run_nanoctl("logout", "-v", env=env, secrets=[api.VALID])
    assert logout.exit_code == 0, logout.stderr
    path = directory / "credentials.json"
    assert logout.stdout_lines == [f"Logged out: removed the stored credential ({path})."]
    assert not {"credentials.json", "credentials.key"} & set(files_under(directory))
    # the key stays in the locked keyring (it unlocks nothing now), and -v says so ...
    assert (
        f"nanoctl: Could not remove the encryption key from {KEYRING} (it is locked); "
        "without the credential file it unlocks nothing."
    ) in logout.stderr_lines
    assert [attributes["username"] for attributes, _ in secret_service.nanoctl_items()] == [
        account()
    ]
    # ... and must not then claim the opposite (fails: EncryptedFileStore.delete says
    # "Removed the credential ... and its key." whenever the credential file was removed)
    claims = [line for line in logout.stderr_lines if "and its key" in line]
    assert not claims, f"-v says the key was removed, but it is still in the keyring: {claims}"


def test_each_profile_keeps_its_own_key_in_the_secret_service_and_logout_removes_only_its(
    secret_service: SecretService,
    reference_server: ReferenceServer,
    other_host_server: ReferenceServer,
) -> None:
    """Two profiles, two keyring items (one account per profile directory); logging out
    of one removes its item only, and the other still decrypts."""
    for profile, server in (("default", reference_server), ("staging", other_host_server)):
        session = PtySession(
            "--profile", profile, "login", env=keyring_env(server), secrets=[api.VALID]
        )
        session.expect_exact(TOKEN_INPUT)
        session.child.sendline(api.VALID)
        assert session.finish().exit_code == 0
    staging_dir = config_dir() / "profiles" / "staging"
    accounts = sorted(attributes["username"] for attributes, _ in secret_service.nanoctl_items())
    assert accounts == sorted([account(), f"encryption-key:{os.path.abspath(staging_dir)}"])
    assert "credentials.key" not in files_under(config_dir())  # neither profile's key in a file

    env = {"NANOCTL_KEYRING": None, "PYTHON_KEYRING_BACKEND": None}
    logout = run_nanoctl("--profile", "staging", "logout", env=env, secrets=[api.VALID])
    assert logout.exit_code == 0, logout.stderr
    remaining = [attributes["username"] for attributes, _ in secret_service.nanoctl_items()]
    assert remaining == [account()]
    status = run_nanoctl("status", "--offline", "--json", env=env, secrets=[api.VALID])
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["key_location"] == KEYRING
