"""The wheel users install: one top-level package `nanoctl` that lives beside anything.

Each test installs the built wheel into a fresh venv, as a user would, and runs it. Every
uv call is ``--offline``: the build backend and the locked dependencies come from uv's
cache, which the project's own ``uv sync`` filled, so nothing is downloaded. The stand-in
distributions that claim nanoctl's old top-level names (``entrypoints``, ``domain``,
``adapters``, all published on PyPI) are wheels written here by hand.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import nanoctl
import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import Result, environment, run_nanoctl

# One worker builds the wheels once for every test here (module-scoped fixtures).
pytestmark = pytest.mark.xdist_group("packaging")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
VERSION = nanoctl.__version__


def uv(*args: str, cwd: Path = ROOT) -> None:
    """Run uv offline, as the developer would: their HOME, so their uv cache."""
    executable = os.environ.get("UV") or shutil.which("uv") or "uv"
    env = environment({"HOME": pwd.getpwuid(os.getuid()).pw_dir, "VIRTUAL_ENV": None})
    done = subprocess.run(
        [executable, *args, "--offline", "--quiet"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"uv {' '.join(args)} failed:\n{done.stderr}"


@dataclass(frozen=True)
class Venv:
    path: Path

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    def install(self, *wheels: Path) -> None:
        uv("pip", "install", "--no-deps", "--python", self.python, *map(str, wheels))

    def install_nanoctl(self, wheel: Path, dependencies: Path) -> None:
        """nanoctl with exactly the locked dependencies, then a check that nothing is missing."""
        uv("pip", "install", "--python", self.python, "-r", str(dependencies))
        self.install(wheel)
        uv("pip", "check", "--python", self.python)

    def nanoctl(self, *args: str, env: dict[str, str]) -> Result:
        return run_nanoctl(*args, env=env, command=[str(self.path / "bin" / "nanoctl")])

    def run(self, *argv: str, env: dict[str, str] | None = None, cwd: Path) -> Result:
        """``venv/bin/python *argv`` in ``cwd`` (``-c`` and ``-m`` put it first on sys.path)."""
        done = subprocess.run(
            [self.python, *argv],
            cwd=cwd,
            env=environment(env),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        print(f"$ python {' '.join(argv)}  (in {cwd}, exit {done.returncode})")
        print(f"[stdout]\n{done.stdout}[stderr]\n{done.stderr}[end]")
        return Result(done.returncode, done.stdout, done.stderr, 0.0)


def new_venv(path: Path) -> Venv:
    uv("venv", "--python", sys.executable, str(path))
    return Venv(path)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel as each kind of build makes it: from the sdist (`uv build`, `python -m
    build`, what an index serves) and straight from the tree (`pip install .`, `uv tool
    install .`)."""
    out = tmp_path_factory.mktemp("dist")
    uv("build", "--python", sys.executable, "-o", str(out / "from sdist"))
    uv("build", "--wheel", "--python", sys.executable, "-o", str(out / "from the tree"))
    return {
        kind: next((out / kind).glob("nanoctl-*.whl")) for kind in ("from sdist", "from the tree")
    }


@pytest.fixture(scope="module")
def wheel(wheels: dict[str, Path]) -> Path:
    return wheels["from sdist"]


@pytest.fixture(scope="module")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nanoctl's runtime dependencies at the versions of uv.lock, with their file URLs."""
    path = tmp_path_factory.mktemp("lock") / "pylock.toml"
    uv(
        "export",
        "--frozen",
        "--no-dev",
        "--no-emit-project",
        "--format",
        "pylock.toml",
        "-o",
        str(path),
    )
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path, dependencies: Path, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh venv holding nanoctl and its dependencies, nothing else."""
    venv = new_venv(tmp_path_factory.mktemp("installed") / "venv")
    venv.install_nanoctl(wheel, dependencies)
    return venv


# --- the wheel's files ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["from sdist", "from the tree"])
def test_the_wheel_holds_exactly_src_as_nanoctl_and_its_dist_info(
    wheels: dict[str, Path], kind: str
) -> None:
    names = zipfile.ZipFile(wheels[kind]).namelist()
    dist_info = f"nanoctl-{VERSION}.dist-info/"
    shipped = {name.removeprefix("nanoctl/") for name in names if name.startswith("nanoctl/")}
    on_disk = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }

    assert [name for name in names if not name.startswith(("nanoctl/", dist_info))] == []
    assert shipped == on_disk
    assert {"__init__.py", "__main__.py", "api.py", "py.typed"} <= shipped
    for package in ("domain", "adapters", "entrypoints"):
        assert f"{package}/__init__.py" in shipped


# --- nanoctl in a venv of its own -----------------------------------------------------------


def status_env(server: ReferenceServer) -> dict[str, str]:
    return {"NANOSERVICES_API_URL": server.url, "NANOSERVICES_TOKEN": api.VALID}


def dev_status(server: ReferenceServer) -> Result:
    """`nanoctl status` of the working tree (tests/integration/test_executable.py checks
    every line of it): what the installed wheel must print too."""
    result = run_nanoctl("status", env=status_env(server))
    assert result.exit_code == 0
    assert result.stdout_lines[0] == f"✓ Logged in to {server.url} as ada"
    return result


def assert_same_run(got: Result, want: Result) -> None:
    assert (got.exit_code, got.stdout, got.stderr) == (want.exit_code, want.stdout, want.stderr)


def test_the_installed_wheel_runs_as_nanoctl_and_python_m_nanoctl(
    installed: Venv, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    env = status_env(reference_server)
    want = dev_status(reference_server)

    version = installed.nanoctl("--version", env=env)
    assert (version.exit_code, version.stdout_lines) == (0, [f"nanoctl {VERSION}"])
    assert_same_run(installed.nanoctl("status", env=env), want)
    assert_same_run(installed.run("-m", "nanoctl", "status", env=env, cwd=tmp_path), want)


def test_the_installed_wheel_adds_no_other_top_level_name(installed: Venv, tmp_path: Path) -> None:
    for name in ("domain", "adapters", "entrypoints", "tests", "tools"):
        imported = installed.run("-I", "-c", f"import {name}", cwd=tmp_path)

        assert f"ModuleNotFoundError: No module named '{name}'" in imported.stderr


API_SCRIPT = """
import os
from nanoctl import api
print(api.login(os.environ["NANOSERVICES_TOKEN"]).identity.username)
print(api.current_credential().origin.value)
"""


def test_a_users_own_domain_adapters_and_entrypoints_packages_do_not_shadow_nanoctl(
    installed: Venv, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    for package in ("domain", "adapters", "entrypoints"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text(f"WHOSE = 'their own {package}'\n")
    env = status_env(reference_server)
    want = dev_status(reference_server)

    theirs = installed.run("-c", "import domain; print(domain.WHOSE)", cwd=project)
    assert theirs.stdout == "their own domain\n"  # the user's packages come first here
    assert_same_run(installed.run("-m", "nanoctl", "status", env=env, cwd=project), want)
    from_api = installed.run("-c", API_SCRIPT, env=env, cwd=project)
    assert (from_api.exit_code, from_api.stdout, from_api.stderr) == (0, "ada\nenvironment\n", "")


# --- nanoctl beside distributions that own its subpackages' names ---------------------------

# Each stand-in claims a top-level name nanoctl uses inside its package, as the published
# `entrypoints` (a module), `domain` and `adapters` (packages) do.
STAND_INS: dict[str, dict[str, str]] = {
    "entrypoints": {"entrypoints.py": "def get_group_all(group):\n    return [group]\n"},
    "domain": {"domain/__init__.py": "", "domain/errors.py": "WHOSE = 'stand-in domain'\n"},
    "adapters": {"adapters/__init__.py": "def whose():\n    return 'stand-in adapters'\n"},
}
STAND_IN_SCRIPT = """
import adapters, domain.errors, entrypoints
print(entrypoints.get_group_all("stand-in entrypoints")[0])
print(domain.errors.WHOSE)
print(adapters.whose())
"""


def write_wheel(directory: Path, name: str, files: dict[str, str]) -> Path:
    """A minimal valid wheel (PEP 427) of ``name`` 1.0 holding ``files``."""
    dist_info = f"{name}-1.0.dist-info"
    contents = {
        **{path: text.encode() for path, text in files.items()},
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode(),
        f"{dist_info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: nanoctl-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in contents.items()]
    contents[f"{dist_info}/RECORD"] = "\n".join([*record, f"{dist_info}/RECORD,,", ""]).encode()
    path = directory / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in contents.items():
            archive.writestr(member, data)
    return path


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.mark.parametrize("nanoctl_first", [True, False], ids=["nanoctl first", "stand-ins first"])
def test_nanoctl_and_the_stand_ins_both_work_in_one_venv_installed_in_either_order(
    nanoctl_first: bool,
    wheel: Path,
    dependencies: Path,
    reference_server: ReferenceServer,
    tmp_path: Path,
) -> None:
    stand_ins = [write_wheel(tmp_path, name, files) for name, files in STAND_INS.items()]
    venv = new_venv(tmp_path / "venv")
    if nanoctl_first:
        venv.install_nanoctl(wheel, dependencies)
        venv.install(*stand_ins)
    else:
        venv.install(*stand_ins)
        venv.install_nanoctl(wheel, dependencies)
    env = status_env(reference_server)
    want = dev_status(reference_server)

    uv("pip", "check", "--python", venv.python)
    assert_same_run(venv.nanoctl("status", env=env), want)
    assert_same_run(venv.run("-m", "nanoctl", "status", env=env, cwd=tmp_path), want)
    from_api = venv.run("-c", API_SCRIPT, env=env, cwd=tmp_path)
    assert (from_api.exit_code, from_api.stdout) == (0, "ada\nenvironment\n")
    theirs = venv.run("-I", "-c", STAND_IN_SCRIPT, cwd=tmp_path)
    assert (theirs.exit_code, theirs.stdout_lines) == (
        0,
        ["stand-in entrypoints", "stand-in domain", "stand-in adapters"],
    )
