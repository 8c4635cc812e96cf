"""The wheel users install: one top-level package `nanoctl`, and it runs from a fresh venv."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.integration.cli_harness import environment, run_nanoctl


def uv(*args: str, cwd: Path | None = None) -> None:
    """Run uv as the developer would: their HOME (and so their uv cache), not the test's."""
    executable = os.environ.get("UV") or shutil.which("uv") or "uv"
    env = environment({"HOME": pwd.getpwuid(os.getuid()).pw_dir, "VIRTUAL_ENV": None})
    subprocess.run([executable, *args], cwd=cwd, env=env, check=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    uv("build", "--wheel", "--quiet", "-o", str(out), cwd=Path(__file__).resolve().parents[2])
    (built,) = out.glob("nanoctl-0.1.0-*.whl")
    return built


def test_the_wheel_ships_one_nanoctl_package_and_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names}

    assert top_level == {"nanoctl", "nanoctl-0.1.0.dist-info"}
    for package in ("domain", "adapters", "entrypoints"):
        assert f"nanoctl/{package}/__init__.py" in names
    assert {"nanoctl/__init__.py", "nanoctl/__main__.py", "nanoctl/api.py"} <= set(names)
    assert "nanoctl/py.typed" in names


def test_the_wheel_installed_in_a_fresh_venv_runs_nanoctl(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    uv("venv", "--quiet", str(venv))
    uv("pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel))

    result = run_nanoctl("--version", command=[str(venv / "bin" / "nanoctl")])

    assert result.exit_code == 0
    assert result.stdout_lines == ["nanoctl 0.1.0"]
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import nanoctl.entrypoints.cli, tests"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert "No module named 'tests'" in imported.stderr
