"""nanoctl as users get it: the wheel of the working tree, installed with the locked
dependencies into a private venv under ``.bench/`` (gitignored), bytecode compiled
at install time as `uv tool install --compile-bytecode`, pipx and pip do.

The dev install is editable and compiles nothing ahead of time, so timing it would
time neither what users run nor their first run after an install. Everything here
is offline: `./scripts/test`'s bootstrap has put every locked package (and the
build backend) in uv's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"


def uv_command() -> list[str]:
    """uv as `uv run` exports it (``$UV``), else the one on PATH."""
    uv = os.environ.get("UV") or shutil.which("uv")
    if not uv:
        raise SystemExit("uv not found: run ./scripts/benchmark, which sets it up")
    return [uv]


@dataclass(frozen=True)
class Wheel:
    path: Path
    requirements: Path
    """The locked runtime dependencies (with hashes), without nanoctl itself."""


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")


def build_wheel(uv: list[str], out_dir: Path = BENCH / "dist") -> Wheel:
    """The wheel of the working tree as it is on disk, and the lock's requirements."""
    shutil.rmtree(out_dir, ignore_errors=True)
    _run([*uv, "build", "--wheel", "--offline", "--quiet", "--out-dir", str(out_dir)])
    # pylock.toml names each file by its URL, which uv finds in its cache offline; a
    # requirements.txt names versions, which need the index (not cached: only files are).
    requirements = out_dir / "pylock.toml"
    _run(
        [
            *uv,
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--format",
            "pylock.toml",
            "--quiet",
            "--output-file",
            str(requirements),
        ]
    )
    (wheel,) = out_dir.glob("nanoctl-*.whl")
    return Wheel(wheel, requirements)


def install(uv: list[str], wheel: Wheel, venv: Path, python: str) -> tuple[Path, float]:
    """A new venv at ``venv`` holding nanoctl; its bin directory and the seconds the
    install took (venv, dependencies, wheel, bytecode)."""
    shutil.rmtree(venv, ignore_errors=True)
    started = time.perf_counter()
    _run([*uv, "venv", "--quiet", "--offline", "--python", python, str(venv)])
    target = str(venv / "bin" / "python")
    pip = [*uv, "pip", "install", "--quiet", "--offline", "--compile-bytecode", "--python", target]
    _run([*pip, "--requirement", str(wheel.requirements)])  # hash-checked
    _run([*pip, "--no-deps", str(wheel.path)])
    return venv / "bin", time.perf_counter() - started


def install_working_tree(uv: list[str], python: str) -> tuple[Wheel, Path, float]:
    """The working tree's wheel installed into ``.bench/venv``: the wheel, the bin
    directory and the install's seconds."""
    wheel = build_wheel(uv)
    bin_dir, seconds = install(uv, wheel, BENCH / "venv", python)
    return wheel, bin_dir, seconds
