"""What each command of the installed `nanoctl` imports (not timed, deterministic).

Startup time is mostly import time, and one eager import at the top of a module
(requests, cryptography, pydantic, keyring, the container) puts its cost on every
command. Each test runs the installed console script in a fresh interpreter, exactly
as the `nanoctl` executable does (the script file executed as ``__main__``), and records
``sorted(sys.modules)`` when the process exits. A command must not load what it
does not use:

- ``--version`` and the front page (``nanoctl``, ``--help``, ``help``, ``list``): nothing
  beyond what the interpreter's own start loads but nanoctl's entry modules; no cleo
  (so no rapidfuzz either), not even ``typing``;
- ``help <command>``, ``<command> --help``: cleo, but no HTTP, crypto, pydantic,
  dependency-injector, keyring, platformdirs, importlib.metadata, getpass, nor the
  container; no command loads rapidfuzz (cleo's "did you mean") unless a name was
  mistyped;
- ``logout``: no HTTP, no crypto; no keyring with ``NANOCTL_KEYRING=0``;
- ``status --offline``: no HTTP; no keyring with ``NANOCTL_KEYRING=0``;
- ``login`` with ``NANOSERVICES_TOKEN`` or ``--token -``: never touches the store,
  so neither cryptography nor keyring; nor the prompt, nor the legacy import;
- ``status --offline`` not even the HTTP adapter's own modules;
- ``logout``, ``status --offline`` and ``token`` build no pydantic model: they load no
  pydantic at all (dependency-injector's probe for it is answered without it); ``login``
  loads only ``pydantic_core``;
- ``token`` costs what ``status --offline`` costs, without even the HTTP adapter's
  modules; with ``NANOSERVICES_TOKEN`` no crypto or keyring either;
- ``exec`` without ``--check`` sends no request: no HTTP, and with ``NANOSERVICES_TOKEN``
  no crypto or keyring; the relay and the mask of its output only where it masks
  (``--no-mask`` loads neither), and no other command loads them;
- ``api`` loads nothing that ``status`` does not, but its own modules (the benchmark keeps
  ``api /login`` within 5 % of ``status``); with ``NANOSERVICES_TOKEN`` no crypto or keyring;
  its help page nothing heavy.

benchmarks/startup.py measures the time; these tests keep the imports honest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from reference_server import VALID, ReferenceServer
from tests.integration.cli_harness import (
    allow_reveal,
    assert_no_secret,
    login_interactively,
    without_reveal,
)

# Runs the console script as the interpreter runs a script file, then writes the module
# names loaded by the end of the process (taken before the dump imports json). Not
# runpy: its run_path imports pkgutil, and with it re, enum and typing.
RUNNER = r"""
import atexit, sys
_out, _script, *_args = sys.argv[1:]
def _dump():
    names = sorted(sys.modules)
    import json
    with open(_out, "w", encoding="utf-8") as f:
        json.dump(names, f)
atexit.register(_dump)
sys.argv = [_script, *_args]
with open(_script, "rb") as _file:
    _code = compile(_file.read(), _script, "exec")
exec(_code, {"__name__": "__main__", "__file__": _script, "__builtins__": __builtins__})
"""

HTTP = ("requests", "urllib3", "charset_normalizer", "idna", "certifi")
CRYPTO = ("cryptography",)
KEYRING = ("keyring",)
# importlib.metadata (a version lookup) costs ~15-25 ms; getpass is for the prompt only.
SLOW_STDLIB = ("importlib.metadata", "getpass")
# What `from pydantic import SecretStr` or a BaseModel costs beyond `import pydantic`: ~50-100 ms.
PYDANTIC_MODELS = ("pydantic.types", "pydantic.main", "pydantic.json_schema", "annotated_types")
# dependency-injector imports it only to read its version (entrypoints/di.py): ~20 ms.
PYDANTIC = ("pydantic",)
HTTP_ADAPTER = ("nanoctl.adapters.http",)
# What only an interactive login, `login --import-legacy` and `status` use.
LEGACY = ("nanoctl.adapters.legacy", "nanoctl.domain.legacy")
PROMPT = ("nanoctl.adapters.terminal.prompt", "getpass")
# cleo imports it for "Did you mean …?" only (cli/lazy_rapidfuzz.py): 5-17 ms.
RAPIDFUZZ = ("rapidfuzz",)
MASKING = ("nanoctl.domain.masking", "nanoctl.adapters.process")
"""exec's program, and the relay that masks its output: loaded by exec alone."""
HEAVY = (
    *SLOW_STDLIB,
    *HTTP,
    *CRYPTO,
    *KEYRING,
    "pydantic",
    "pydantic_core",
    "dependency_injector",
    "platformdirs",
    "nanoctl.entrypoints.container",
    "nanoctl.entrypoints.settings",
    *RAPIDFUZZ,
)


def _installed_script() -> Path:
    script = Path(sys.executable).parent / "nanoctl"
    if not script.is_file():
        pytest.fail(f"no installed nanoctl next to {sys.executable}: run `uv sync`")
    return script


def _interpreter_of(script: Path) -> str:
    first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    if first.startswith("#!") and Path(first[2:].strip()).is_file():
        return first[2:].strip()
    return sys.executable


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    modules: frozenset[str]

    def loaded(self, packages: Sequence[str]) -> list[str]:
        """The loaded modules that are, or are inside, one of ``packages``."""
        return sorted(
            name
            for name in self.modules
            if any(name == pkg or name.startswith(pkg + ".") for pkg in packages)
        )

    def assert_not_loaded(self, packages: Sequence[str]) -> None:
        found = self.loaded(packages)
        assert not found, (
            f"`nanoctl {' '.join(self.argv)}` imported {len(found)} modules it does not "
            f"need: {found[:6]}; import them inside the function that needs them. "
            "`python benchmarks/import_profile.py` shows who imports what."
        )


def run_nanoctl(
    *args: str,
    env: dict[str, str],
    workdir: Path,
    stdin: str | None = None,
    reveals: str | None = None,
) -> Run:
    """``reveals``: the token `nanoctl token` prints by design (cli_harness.allow_reveal)."""
    allow_reveal(args, reveals)
    return _run_script(
        _installed_script(), args, env=env, workdir=workdir, stdin=stdin, reveals=reveals
    )


def _run_script(
    script: Path,
    args: Sequence[str],
    *,
    env: dict[str, str],
    workdir: Path,
    stdin: str | None,
    reveals: str | None = None,
) -> Run:
    out = workdir / "modules.json"
    out.unlink(missing_ok=True)
    done = subprocess.run(
        [_interpreter_of(_installed_script()), "-c", RUNNER, str(out), str(script), *args],
        env=env,
        cwd=workdir,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Echoed for the leak sweep of tests/conftest.py, and checked here on the spot.
    stdout = without_reveal(done.stdout, reveals)
    print(f"$ nanoctl {' '.join(args)}  (exit {done.returncode})")
    print(f"[stdout]\n{stdout}[stderr]\n{done.stderr}[end]")
    assert_no_secret(stdout + done.stderr, [VALID], "the output")
    assert out.is_file(), f"the runner wrote no module list; stderr:\n{done.stderr}"
    modules = frozenset(json.loads(out.read_text(encoding="utf-8")))
    return Run(tuple(args), done.returncode, done.stdout, done.stderr, modules)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def env(isolated_home: Path, reference_server: ReferenceServer) -> dict[str, str]:
    """The isolated test environment (HOME, config dir, NANOCTL_KEYRING=0) for a child."""
    environ = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"):
        environ.pop(name, None)
    environ["NANOSERVICES_API_URL"] = reference_server.url
    environ["NANOCTL_KEYRING"] = "0"
    environ["NO_COLOR"] = "1"
    return environ


def store_credential(env: dict[str, str]) -> None:
    """A real interactive login through a pty: prompt, hidden input, encrypted store."""
    login_interactively(VALID, env=env)
    assert (Path(env["NANOCTL_CONFIG_DIR"]) / "credentials.json").is_file()


# --- the answers given before cleo is imported --------------------------------------

# What `main.main()` needs to answer --version and the front page (gc: its freeze at exit;
# __future__: what `from __future__ import annotations` loads, a few dozen lines).
FAST_PATH = frozenset(
    {
        "__future__",
        "nanoctl",
        "nanoctl.entrypoints",
        "nanoctl.entrypoints.cli",
        "nanoctl.entrypoints.cli.main",
        "nanoctl.entrypoints.cli.table",
        "nanoctl.entrypoints.cli.front_page",
        "nanoctl.entrypoints.cli.layout",  # the page laid out for the terminal's width (#23)
        "gc",
    }
)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--version",),
        ("-V",),
        ("--help",),
        ("-h",),
        ("help",),
        ("list",),
        ("-q", "--help"),
        ("--no-ansi", "-v", "--help"),
        ("login", "--version"),
    ],
    ids=lambda args: " ".join(args) or "(bare)",
)
def test_version_and_front_page_load_nothing_beyond_the_interpreter(
    args: tuple[str, ...], env: dict[str, str], workdir: Path
) -> None:
    empty = workdir / "empty.py"
    empty.write_text("", encoding="utf-8")
    interpreter = _run_script(empty, (), env=env, workdir=workdir, stdin=None)

    run = run_nanoctl(*args, env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    extra = sorted(run.modules - interpreter.modules - FAST_PATH)
    assert extra == [], (
        f"`nanoctl {' '.join(args)}` is answered before cleo, yet imported {extra[:8]}: "
        "the fast path of main.main() must stay at Python's own start-up cost."
    )


# --- the commands that only talk about nanoctl -------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("-V",),
        ("--help",),
        ("list",),
        ("help", "login"),
        ("help", "logout"),
        ("help", "status"),
        ("login", "--help"),
        ("status", "--help"),
    ],
    ids=" ".join,
)
def test_version_and_help_import_nothing_heavy(
    args: tuple[str, ...], env: dict[str, str], workdir: Path
) -> None:
    run = run_nanoctl(*args, env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()
    run.assert_not_loaded(HEAVY)


# --- logout -------------------------------------------------------------------------


def test_logout_with_nothing_stored_imports_no_http_crypto_or_keyring(
    env: dict[str, str], workdir: Path
) -> None:
    run = run_nanoctl("logout", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert "Not logged in" in run.stdout
    run.assert_not_loaded((*HTTP, *HTTP_ADAPTER, *CRYPTO, *KEYRING, *SLOW_STDLIB, *RAPIDFUZZ))
    run.assert_not_loaded((*PROMPT, *LEGACY, *PYDANTIC, *MASKING))


def test_logout_of_a_stored_credential_imports_no_http_or_crypto(
    env: dict[str, str], workdir: Path
) -> None:
    store_credential(env)

    run = run_nanoctl("logout", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert "Logged out" in run.stdout
    assert not (Path(env["NANOCTL_CONFIG_DIR"]) / "credentials.json").exists()
    run.assert_not_loaded((*HTTP, *CRYPTO, *KEYRING, *SLOW_STDLIB))


def test_logout_builds_no_pydantic_model(env: dict[str, str], workdir: Path) -> None:
    run = run_nanoctl("logout", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    run.assert_not_loaded(PYDANTIC_MODELS)


def test_status_offline_builds_no_pydantic_model(env: dict[str, str], workdir: Path) -> None:
    store_credential(env)

    run = run_nanoctl("status", "--offline", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    run.assert_not_loaded(PYDANTIC_MODELS)


# --- status --------------------------------------------------------------------------


def test_status_offline_imports_no_http_or_keyring(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    store_credential(env)
    reference_server.reset()

    run = run_nanoctl("status", "--offline", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert "Logged in" in run.stdout
    assert "ada" in run.stdout
    assert reference_server.requests == []
    # it did decrypt the stored credential: the check below is about a real path
    assert run.loaded(CRYPTO)
    # --offline asks no API: the HTTP adapter is not even built (#22)
    run.assert_not_loaded((*HTTP, *HTTP_ADAPTER, *KEYRING, *SLOW_STDLIB, *RAPIDFUZZ, *PYDANTIC))
    run.assert_not_loaded(MASKING)


def test_status_offline_not_logged_in_imports_no_http_crypto_or_keyring(
    env: dict[str, str], workdir: Path
) -> None:
    run = run_nanoctl("status", "--offline", env=env, workdir=workdir)

    assert run.returncode == 1
    run.assert_not_loaded((*HTTP, *CRYPTO, *KEYRING, *SLOW_STDLIB))


# --- login without the store ---------------------------------------------------------


def test_login_with_environment_token_imports_no_crypto_or_keyring(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    env["NANOSERVICES_TOKEN"] = VALID
    reference_server.reset()

    run = run_nanoctl("login", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert len(reference_server.requests_with(VALID)) == 1
    # requests loads importlib.metadata
    run.assert_not_loaded((*CRYPTO, *KEYRING, "getpass", *MASKING))
    run.assert_not_loaded((*PROMPT, *LEGACY, *RAPIDFUZZ, *PYDANTIC))  # pydantic_core only


def test_login_with_token_from_stdin_imports_no_crypto_or_keyring(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    reference_server.reset()

    run = run_nanoctl("login", "--token", "-", env=env, workdir=workdir, stdin=VALID + "\n")

    assert run.returncode == 0, run.stderr
    assert "Authenticated as ada" in run.stdout
    assert len(reference_server.requests_with(VALID)) == 1
    run.assert_not_loaded((*CRYPTO, *KEYRING, "getpass"))  # requests loads importlib.metadata
    # a login given its token builds no interactive part: no prompt, no legacy offer (#22)
    run.assert_not_loaded((*PROMPT, *LEGACY, *RAPIDFUZZ, *PYDANTIC))  # pydantic_core only


# --- token and exec --------------------------------------------------------------------


def test_token_of_a_stored_credential_imports_what_status_offline_does_without_http(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    store_credential(env)
    reference_server.reset()

    run = run_nanoctl("token", env=env, workdir=workdir, reveals=VALID)

    assert (run.returncode, run.stdout) == (0, f"{VALID}\n")
    assert reference_server.requests == []
    assert run.loaded(CRYPTO)  # it did decrypt the stored credential
    run.assert_not_loaded(
        (*HTTP, *HTTP_ADAPTER, *KEYRING, *SLOW_STDLIB, *PYDANTIC_MODELS, *PYDANTIC, *MASKING)
    )


def test_token_from_the_environment_imports_no_crypto_or_keyring(
    env: dict[str, str], workdir: Path
) -> None:
    env["NANOSERVICES_TOKEN"] = VALID

    run = run_nanoctl("token", "--header", env=env, workdir=workdir, reveals=VALID)

    assert (run.returncode, run.stdout) == (0, f"Authorization: Bearer {VALID}\n")
    run.assert_not_loaded((*HTTP, *HTTP_ADAPTER, *CRYPTO, *KEYRING, *SLOW_STDLIB, *MASKING))


def test_exec_without_check_imports_no_http_crypto_or_keyring(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    env["NANOSERVICES_TOKEN"] = VALID
    reference_server.reset()

    run = run_nanoctl("exec", "--", "true", env=env, workdir=workdir)

    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert reference_server.requests == []
    assert run.loaded(MASKING)  # its output is a pipe: masked
    run.assert_not_loaded((*HTTP, *HTTP_ADAPTER, *CRYPTO, *KEYRING, *SLOW_STDLIB))


def test_exec_no_mask_loads_neither_the_relay_nor_the_mask(
    env: dict[str, str], workdir: Path
) -> None:
    env["NANOSERVICES_TOKEN"] = VALID

    run = run_nanoctl("exec", "--no-mask", "--", "true", env=env, workdir=workdir)

    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert run.loaded(("nanoctl.adapters.process.runner",))
    run.assert_not_loaded(("nanoctl.domain.masking", "nanoctl.adapters.process.relay"))


def test_token_help_and_exec_help_import_nothing_heavy(env: dict[str, str], workdir: Path) -> None:
    for name in ("token", "exec"):
        run = run_nanoctl("help", name, env=env, workdir=workdir)

        assert run.returncode == 0, run.stderr
        run.assert_not_loaded((*HEAVY, *MASKING))


# --- the harness itself ------------------------------------------------------------


def test_the_runner_sees_what_a_command_imports(env: dict[str, str], workdir: Path) -> None:
    """Guards the guard: a command that needs HTTP is seen loading it."""
    env["NANOSERVICES_TOKEN"] = VALID

    run = run_nanoctl("login", env=env, workdir=workdir)

    assert run.loaded(("requests",)), "the runner did not record the imports of the command"
    assert "nanoctl.entrypoints.cli" in run.modules


def test_a_mistyped_command_loads_rapidfuzz_and_is_told_what_was_meant(
    env: dict[str, str], workdir: Path
) -> None:
    """Guards the guard: the one run that needs rapidfuzz gets the real one."""
    run = run_nanoctl("logn", env=env, workdir=workdir)

    assert run.returncode == 2
    assert "Did you mean `login`?" in run.stderr
    assert run.loaded(("rapidfuzz.distance.Levenshtein",))
