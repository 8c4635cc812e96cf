"""`nanoctl login --import-legacy`: the old Node nanoctl's token stored, its weak copies
destroyed, and each failure with its own words and exit code (the installed nanoctl,
the reference API, legacy files written by Node)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_PAGE,
    config_dir,
    expiry,
    files_under,
    one_line,
    store_credential,
)
from tests.integration.in_process import run_nanoctl
from tests.legacy_files import LOCATIONS, legacy_path, renamed_host, write_legacy

IMPORT = ("login", "--import-legacy")


def url_env(server: ReferenceServer) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url}


def removed_line(*paths: Path) -> str:
    return (
        f"Removed the old nanoctl's copies of the token: {', '.join(map(str, paths))}; they "
        "were unsafe: anyone who could read them could rebuild their key from this machine's "
        "host name and your user name."
    )


def stored_user(server: ReferenceServer) -> str | None:
    status = run_nanoctl("status", "--json", env=url_env(server))
    assert status.exit_code == 0, status.stderr
    payload = json.loads(status.stdout)
    assert payload["source"] == "stored"
    return payload["username"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("location", LOCATIONS)
def test_import_stores_the_token_and_destroys_the_legacy_directory(
    server: ReferenceServer, isolated_home: Path, location: str
) -> None:
    path = write_legacy(isolated_home, api.VALID, location)

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines == [
        f"Imported the token saved by the old nanoctl at {path}.",
        f"Welcome, ada! Your token expires {expiry(server.after(days=30))}.",
        "The token is stored encrypted; `nanoctl logout` removes it.",
        removed_line(path),
    ]
    assert result.stderr == ""
    assert not (isolated_home / location).exists()  # the file, token/ and the directory
    assert server.requests_with(api.VALID)
    assert stored_user(server) == "ada"


def test_the_newest_file_wins_and_a_file_with_another_token_is_kept(
    server: ReferenceServer, isolated_home: Path
) -> None:
    older = write_legacy(isolated_home, api.VALID, ".nanoctl", mtime=time.time() - 3600)
    newer = write_legacy(isolated_home, api.VALID_USER, ".blokctl")
    before = older.read_bytes()

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == f"Imported the token saved by the old nanoctl at {newer}."
    assert result.stdout_lines[-2:] == [
        removed_line(newer),
        f"Kept {older}: it holds another token.",
    ]
    assert older.read_bytes() == before
    assert not newer.exists()
    assert stored_user(server) == "linus"


def test_every_copy_of_the_imported_token_is_destroyed_and_empty_files_are_skipped(
    server: ReferenceServer, isolated_home: Path
) -> None:
    empty = write_legacy(isolated_home, None, ".blokctl")  # the old client's, written last
    first = write_legacy(isolated_home, api.VALID, ".nanoctl", mtime=time.time() - 60)
    second = write_legacy(isolated_home, api.VALID, ".blok", mtime=time.time() - 120)

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == f"Imported the token saved by the old nanoctl at {first}."
    assert result.stdout_lines[-1] == removed_line(first, second)
    assert not first.exists() and not second.exists()
    assert empty.exists()


def test_a_file_from_before_a_host_rename_does_not_decrypt_and_a_new_token_still_works(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID, facts=renamed_host())
    before = path.read_bytes()

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 5
    assert one_line(result) == (
        f"Error: The old nanoctl's token file {path} does not decrypt: its key is made from "
        "the host name and the user name, and one of them changed since it was written. "
        f"Run `nanoctl login` with a new token from {TOKEN_PAGE}, then delete the old file "
        f"(`rm {path}`)."
    )
    assert path.read_bytes() == before
    assert files_under(config_dir()) == {}
    assert server.requests == []
    again = run_nanoctl("login", "--token", "-", stdin=api.VALID_USER, env=url_env(server))
    assert again.exit_code == 0, again.stderr


def test_an_empty_file_has_no_token_to_import(server: ReferenceServer, isolated_home: Path) -> None:
    path = write_legacy(isolated_home, None)

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 1
    assert one_line(result) == (
        f"Error: The old nanoctl's token file {path} is empty (it creates an empty one "
        "whenever it runs): there is no token to import. "
        f"Run `nanoctl login` with a new token from {TOKEN_PAGE}."
    )
    assert path.exists()


def test_no_legacy_file_says_where_it_looked(server: ReferenceServer, isolated_home: Path) -> None:
    result = run_nanoctl(*IMPORT, env=url_env(server))

    searched = ", ".join(str(legacy_path(isolated_home, name)) for name in LOCATIONS)
    assert result.exit_code == 1
    assert one_line(result) == (
        f"Error: No token saved by the old nanoctl was found ({searched}). "
        f"Run `nanoctl login` with a new token from {TOKEN_PAGE}."
    )


@pytest.mark.parametrize("content", [b"garbage", b"00:11:22\n", b"\x00\xff" * 40])
def test_a_malformed_file_is_reported_and_kept(
    server: ReferenceServer, isolated_home: Path, content: bytes
) -> None:
    path = write_legacy(isolated_home, None, content=content)

    result = run_nanoctl(*IMPORT, env=url_env(server))

    assert result.exit_code == 5
    assert one_line(result).startswith(
        f"Error: The old nanoctl's token file {path} is malformed: it is not the old "
        "client's iv:tag:ciphertext format. Run `nanoctl login` with a new token"
    )
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("nano_unknown_legacy_Rk4Wq", "invalid"),
        (api.INACTIVE, "no longer active"),
        (api.EXPIRED, "expired"),
        (api.FORBIDDEN, "it lacks permission to log in"),
    ],
)
def test_a_token_the_api_rejects_is_not_stored_and_its_file_is_kept(
    server: ReferenceServer, isolated_home: Path, token: str, why: str
) -> None:
    path = write_legacy(isolated_home, token)
    before = path.read_bytes()

    result = run_nanoctl(*IMPORT, env=url_env(server), secrets=[token])

    assert result.exit_code == 3
    assert one_line(result) == (
        f"Error: The API rejected the token saved by the old nanoctl in {path} ({why}); the "
        f"file was kept. Delete it (`rm {path}`) and run `nanoctl login` with a new token "
        f"from {TOKEN_PAGE}."
    )
    assert path.read_bytes() == before
    assert files_under(config_dir()) == {}


def test_an_unreachable_api_keeps_the_file(down_url: str, isolated_home: Path) -> None:
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    result = run_nanoctl(*IMPORT, env={"NANOSERVICES_API_URL": down_url})

    assert result.exit_code == 4
    assert path.read_bytes() == before


def test_already_logged_in_with_no_interaction_keeps_both(
    server: ReferenceServer, isolated_home: Path
) -> None:
    store_credential(server.url, api.VALID_USER, server.after(days=30), username="linus")
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    result = run_nanoctl(*IMPORT, "-n", env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines == [
        f"Already logged in as linus, expires {expiry(server.after(days=30))}. "
        "Kept the stored credential.",
        "Run `nanoctl logout` first to log in with another token.",
        f"The old nanoctl's token file {path} was left as it was.",
    ]
    assert path.read_bytes() == before
    assert stored_user(server) == "linus"


def test_a_token_already_stored_has_its_legacy_copies_destroyed(
    server: ReferenceServer, isolated_home: Path
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    path = write_legacy(isolated_home, api.VALID, ".blok")

    result = run_nanoctl(*IMPORT, "-n", env=url_env(server))

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == (
        f"The token saved by the old nanoctl at {path} is already nanoctl's stored credential."
    )
    assert result.stdout_lines[-1] == removed_line(path)
    assert not path.exists()
    assert server.requests == []


def test_json_names_the_source_and_the_removed_files(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)

    result = run_nanoctl(*IMPORT, "--json", env=url_env(server))

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["source"] == "legacy_file"
    assert payload["stored"] is True
    assert payload["legacy"] == {
        "source": str(path),
        "removed": [str(path)],
        "kept": [],
        "not_removed": [],
    }


def test_import_with_a_token_option_is_a_usage_error(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)

    result = run_nanoctl(*IMPORT, "--token", "-", stdin=api.VALID_USER, env=url_env(server))

    assert result.exit_code == 2
    assert "--import-legacy" in one_line(result)
    assert path.exists()
    assert server.requests == []
