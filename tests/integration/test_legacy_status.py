"""`nanoctl status` names a token file the old Node nanoctl left (one line, with the import
command), `status --json` lists them in ``legacy_files``, and finding them stays cheap: no
cryptography for `status --offline`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import NOT_LOGGED_IN_LINE, store_credential
from tests.integration.in_process import run_nanoctl
from tests.integration.test_import_cost import CRYPTO, env, workdir
from tests.integration.test_import_cost import run_nanoctl as run_counting_imports
from tests.legacy_files import write_legacy

__all__ = ["env", "workdir"]  # the import-cost fixtures


def status_line(*paths: Path) -> str:
    return (
        f"  Old nanoctl:  an unsafe token file at {', '.join(map(str, paths))}; "
        "run `nanoctl login --import-legacy` to import it"
    )


def test_status_names_the_legacy_file_on_one_line(
    server: ReferenceServer, isolated_home: Path
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30))
    path = write_legacy(isolated_home, api.VALID_USER, ".blokctl")

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": server.url})

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[-1] == status_line(path)
    assert sum("old nanoctl" in line.lower() for line in result.stdout_lines) == 1


def test_status_json_lists_the_legacy_files_and_an_empty_list_without_them(
    server: ReferenceServer, isolated_home: Path
) -> None:
    env = {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN": api.VALID}
    assert json.loads(run_nanoctl("status", "--json", env=env).stdout)["legacy_files"] == []
    first = write_legacy(isolated_home, api.VALID, ".nanoctl")
    second = write_legacy(isolated_home, api.VALID, ".blok", mtime=first.stat().st_mtime - 10)
    write_legacy(isolated_home, None, ".blokctl")  # empty: nothing in it to import

    result = run_nanoctl("status", "--json", env=env)

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["legacy_files"] == [str(first), str(second)]


def test_not_logged_in_status_points_at_the_import(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": server.url})

    assert result.exit_code == 1
    assert result.stderr_lines == [
        f"Warning: the old nanoctl saved a token at {path}; run `nanoctl login "
        "--import-legacy` to import it and remove the unsafe copy.",
        NOT_LOGGED_IN_LINE,
    ]


def test_a_symlink_in_place_of_a_legacy_file_is_listed_never_imported(
    server: ReferenceServer, isolated_home: Path, tmp_path: Path
) -> None:
    """#20 item 5 changed this: a linked legacy file is named (it was reported as absent),
    and still never imported or destroyed through the link."""
    elsewhere = write_legacy(tmp_path, api.VALID)
    before = elsewhere.read_bytes()
    (isolated_home / ".nanoctl").symlink_to(elsewhere.parent.parent)
    (isolated_home / ".blok" / "token").mkdir(parents=True)
    (isolated_home / ".blok" / "token" / "token.enc").symlink_to(elsewhere)
    env = {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN": api.VALID}

    result = run_nanoctl("status", "--json", env=env)
    imported = run_nanoctl("login", "--import-legacy", env={"NANOSERVICES_API_URL": server.url})

    listed = json.loads(result.stdout)["legacy_files"]
    assert sorted(listed) == sorted(
        str(isolated_home / name / "token" / "token.enc") for name in (".nanoctl", ".blok")
    )
    assert imported.exit_code == 5
    assert "is reached through the symbolic link" in imported.stderr
    assert elsewhere.read_bytes() == before


def test_status_offline_with_a_legacy_file_loads_no_cryptography(
    env: dict[str, str], workdir: Path, isolated_home: Path
) -> None:
    write_legacy(isolated_home, api.VALID)
    env["NANOSERVICES_TOKEN"] = api.VALID

    run = run_counting_imports("status", "--offline", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert "Old nanoctl:" in run.stdout
    run.assert_not_loaded(CRYPTO)
    assert not [m for m in run.modules if m.startswith("nanoctl.adapters.legacy.cipher")]
    assert os.path.exists(isolated_home / ".nanoctl" / "token" / "token.enc")
