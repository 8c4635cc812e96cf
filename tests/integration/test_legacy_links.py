"""A legacy token file reached through a symbolic link (#20 item 5): `~/.nanoctl` (or its
`token/`, or `token.enc`) linked elsewhere, as dotfile managers do. It is found and named
(status, `legacy_files`, the import's error), never imported: the import destroys what it
reads, and nanoctl does not do that at the end of a link. The file it points at is left
byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NOT_LOGGED_IN_LINE,
    TOKEN_PAGE,
    config_dir,
    files_under,
    one_line,
    run_nanoctl,
)
from tests.legacy_files import legacy_path, write_legacy


def linked(home: Path, elsewhere: Path, how: str) -> tuple[Path, Path]:
    """``~/.nanoctl/token/token.enc`` reaching ``elsewhere`` (a real legacy file) through a
    link at the directory, at ``token/`` or at the file: (the path, the link)."""
    path = legacy_path(home)
    if how == "directory":
        link = home / ".nanoctl"
        link.symlink_to(elsewhere.parent.parent)
    elif how == "token directory":
        link = home / ".nanoctl" / "token"
        link.parent.mkdir()
        link.symlink_to(elsewhere.parent)
    else:
        link = path
        link.parent.mkdir(parents=True)
        link.symlink_to(elsewhere)
    return path, link


def behind_link_line(path: Path, link: Path) -> str:
    return (
        f"Error: The old nanoctl's token file {path} is reached through the symbolic link "
        f"{link}; nanoctl does not import it, as the import destroys the file it reads and "
        f"will not do that at the end of a link. Check where the link points (`ls -l {link}`): "
        "to import the token, put the real directory or file in place of the link and run "
        "`nanoctl login --import-legacy` again; else delete the old file and run `nanoctl "
        f"login` with a new token from {TOKEN_PAGE}."
    )


@pytest.mark.parametrize("how", ["directory", "token directory", "file"])
def test_a_linked_legacy_file_is_named_with_its_link_and_not_imported(
    server: ReferenceServer, isolated_home: Path, tmp_path: Path, how: str
) -> None:
    elsewhere = write_legacy(tmp_path / "dotfiles", api.VALID)
    before = elsewhere.read_bytes()
    path, link = linked(isolated_home, elsewhere, how)

    result = run_nanoctl("login", "--import-legacy", env={"NANOSERVICES_API_URL": server.url})

    assert (result.exit_code, one_line(result)) == (5, behind_link_line(path, link))
    assert elsewhere.read_bytes() == before
    assert link.is_symlink()
    assert files_under(config_dir()) == {}
    assert server.requests == []


def test_status_lists_a_linked_legacy_file(
    server: ReferenceServer, isolated_home: Path, tmp_path: Path
) -> None:
    elsewhere = write_legacy(tmp_path / "dotfiles", api.VALID)
    path, link = linked(isolated_home, elsewhere, "directory")

    text = run_nanoctl("status", env={"NANOSERVICES_API_URL": server.url})
    as_json = run_nanoctl("status", "--json", env={"NANOSERVICES_API_URL": server.url})

    assert text.exit_code == 1
    assert text.stderr_lines == [
        f"Warning: the old nanoctl saved a token at {path} (through the symbolic link {link}); "
        "run `nanoctl login --import-legacy` to import it and remove the unsafe copy.",
        NOT_LOGGED_IN_LINE,
    ]
    assert json.loads(as_json.stdout)["legacy_files"] == [str(path)]


def test_beside_a_plain_legacy_file_a_linked_one_is_kept_and_named(
    server: ReferenceServer, isolated_home: Path, tmp_path: Path
) -> None:
    plain = write_legacy(isolated_home, api.VALID, ".blok")
    elsewhere = write_legacy(tmp_path / "dotfiles", api.VALID)
    before = elsewhere.read_bytes()
    path, link = linked(isolated_home, elsewhere, "directory")

    result = run_nanoctl("login", "--import-legacy", env={"NANOSERVICES_API_URL": server.url})

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == f"Imported the token saved by the old nanoctl at {plain}."
    assert result.stdout_lines[-1] == (
        f"Kept {path}: it is reached through the symbolic link {link}, which nanoctl does not "
        "follow to destroy what it points to."
    )
    assert not plain.exists()
    assert elsewhere.read_bytes() == before


def test_a_dangling_link_is_no_legacy_file(server: ReferenceServer, isolated_home: Path) -> None:
    (isolated_home / ".nanoctl").symlink_to(isolated_home / "nowhere")

    result = run_nanoctl("login", "--import-legacy", env={"NANOSERVICES_API_URL": server.url})

    assert result.exit_code == 1
    assert one_line(result).startswith("Error: No token saved by the old nanoctl was found")
