"""Startup time of nanoctl as users install it, as ratios to bare-interpreter baselines.

A login CLI is run constantly, so every 100 ms is felt. The working tree is built into
a wheel and installed, bytecode compiled, into a private venv under .bench/
(benchmarks/wheel_install.py). Each command below runs as a whole subprocess (wall
time, ``time.perf_counter``; CPU time of the child beside it), interleaved with the
baselines round by round in a shuffled order, so machine noise hits all alike:

    F0  python -I -c pass
    F1  python -c "import cleo.application"
    F2  F1 + dependency_injector.containers
    F2c F2 + cryptography.hazmat.primitives.ciphers.aead
    F3  F2c + requests

| command                                    | baseline      | target  |
| `nanoctl --version`, `--help`, bare        | F0            | <= 1.30 |
| `nanoctl logout` (nothing stored)          | F2            | <= 0.90 |
| `nanoctl status --offline` (stored)        | F2c           | <= 0.90 |
| `nanoctl token` (stored)                   | F2c           | <= 0.90 |
| `nanoctl login` (env token), `--token -`   | F3            | <= 0.95 |
| `nanoctl api /login` (stored)              | `nanoctl status` (stored, online) | <= 1.05 |
| first `--version` / `login` after install  | the 2nd run   | <= 1.20 |

The floors pay the interpreter's teardown like the commands do, which is how a
command can beat its floor. `nanoctl help login` (cleo's page of a command) and
`nanoctl logout (default dir)` (no NANOCTL_CONFIG_DIR, as most users run it) and
`nanoctl exec -- true` (env token; it also starts and waits for a child; its output is a
pipe, so it is masked) and `nanoctl exec --no-mask -- true` are shown without a target, and
so is `nanoctl status` (online: it asks the reference server), the baseline of `nanoctl api
/login` (the same credential, the same request, its body written instead of worded).

The cost of masking per MB: `nanoctl exec -- cat FILE` of a 100 MiB text file (random
base64 lines, the token in one line of 100) read through a pipe, masked and with
--no-mask, interleaved like the rest; their difference over the file's size is printed as
"masked overhead" (ms per MB, of wall time and of CPU time).

Each command has its own fresh temporary HOME (NANOCTL_CONFIG_DIR inside it,
NANOCTL_KEYRING=0, a minimal environment). For `status`, `status --offline`, `api` and
`token` a credential is stored first by a real interactive login through a pty (pexpect), typing the
reference server's valid token. The reference server (tools/reference_server.py)
is started here.

The first-run rows install afresh for every sample (a new venv each time) and time
the first and the second run of that install, without warm-up: bytecode compiled at
install time is what makes them equal.

    ./scripts/benchmark [--runs 15] [--warmup 2] [--fresh-runs 10] [--json] [--no-fail]
    uv run --frozen --no-sync python benchmarks/startup.py ...   (the same, by hand)

``--bin-dir DIR`` times an install made elsewhere instead (it must hold what src/
holds, unless ``--allow-stale``); the first-run rows still use their own installs.

Exit status: 0 all targets met (or --no-fail), 1 a target missed, 2 a command
misbehaved (wrong exit status or output) or the install is stale.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import reference_server  # noqa: E402
import wheel_install  # noqa: E402
from reference_server import ReferenceServer  # noqa: E402

PROMPT = "Please provide the token for authentication."

CLEO = "import cleo.application"
DI = "dependency_injector.containers"
AEAD = "cryptography.hazmat.primitives.ciphers.aead"
BASELINE_CODE: dict[str, tuple[list[str], str]] = {
    # name: (interpreter flags + code, description)
    "F0": (["-I", "-c", "pass"], "python -I -c pass"),
    "F1": (["-c", CLEO], CLEO),
    "F2": (["-c", f"{CLEO}, {DI}"], f"{CLEO}, {DI}"),
    "F2c": (["-c", f"{CLEO}, {DI}, {AEAD}"], f"{CLEO}, {DI}, {AEAD}"),
    "F3": (["-c", f"{CLEO}, {DI}, {AEAD}, requests"], f"{CLEO}, {DI}, {AEAD}, requests"),
}


@dataclass
class Case:
    """One thing to time: a command line in an environment, with what must come out."""

    name: str
    argv: list[str]
    env: dict[str, str]
    baseline: str | None = None
    target: float | None = None
    expect_stdout: str | None = None
    """A substring stdout must contain on every run (None: not checked)."""
    expect_empty_stdout: bool = False
    stdin: bytes | None = None
    """What the command reads on stdin (None: /dev/null)."""
    drain: bool = False
    """stdout is a large stream: read from the pipe and thrown away, its size checked
    against ``expect_stdout`` (a byte count)."""
    samples: list[float] = field(default_factory=list)
    cpu_samples: list[float] = field(default_factory=list)

    def record(self) -> None:
        elapsed, cpu = self.run_once()
        self.samples.append(elapsed)
        self.cpu_samples.append(cpu)

    def run_once(self) -> tuple[float, float]:
        """Wall ms and CPU ms (user + system) of one run."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        if self.drain:
            done = drained(self.argv, self.env)
        else:
            done = subprocess.run(
                self.argv,
                env=self.env,
                input=self.stdin,
                stdin=subprocess.DEVNULL if self.stdin is None else None,
                capture_output=True,
                check=False,
            )
        elapsed = (time.perf_counter() - start) * 1000.0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000.0
        self._check(done)
        return elapsed, cpu

    def _check(self, done: subprocess.CompletedProcess[bytes]) -> None:
        out = done.stdout.decode("utf-8", "replace")
        err = done.stderr.decode("utf-8", "replace")
        problem = None
        if done.returncode != 0:
            problem = f"exit status {done.returncode}"
        elif self.expect_stdout is not None and self.expect_stdout not in out:
            problem = f"stdout lacks {self.expect_stdout!r}"
        elif self.expect_empty_stdout and out.strip():
            problem = "stdout is not empty"
        if self.drain and problem is None and out != self.expect_stdout:
            problem = f"{out} bytes on stdout, not {self.expect_stdout}"
        if problem:
            raise Misbehaved(f"{self.name}: {problem}\n--- stdout\n{out}--- stderr\n{err}")


def drained(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """``argv`` with its stdout read from a pipe and thrown away: the result's stdout is
    the number of bytes read."""
    with (
        tempfile.TemporaryFile() as err,
        subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err
        ) as process,
    ):
        stdout = process.stdout
        received = 0
        while stdout is not None and (chunk := stdout.read1(1 << 20)):
            received += len(chunk)
        code = process.wait()
        err.seek(0)
        errors = err.read()
    return subprocess.CompletedProcess(argv, code, str(received).encode(), errors)


STREAM_MIB = 100
STREAM_MASKED = "nanoctl exec -- cat 100 MiB"
STREAM_UNMASKED = "nanoctl exec --no-mask -- cat 100 MiB"


def stream_file(directory: Path) -> tuple[Path, int, int]:
    """A STREAM_MIB MiB text file of random base64 lines, the token in one line of 100:
    its path, its size, and the size of what `exec` passes on masked."""
    token = reference_server.VALID.encode()
    rng = random.Random(25)
    lines, tokens = [], 0
    for number in range(STREAM_MIB * 1024 * 1024 // 128):
        body = base64.b64encode(rng.randbytes(95))[:127]
        if number % 100 == 0:
            body = token + b" " + body[: 126 - len(token)]
            tokens += 1
        lines.append(body + b"\n")
    path = directory / "stream.txt"
    path.write_bytes(b"".join(lines))
    size = path.stat().st_size
    return path, size, size - tokens * (len(token) - len(b"***"))


def masking_overhead(rows: Sequence[Row], stream_bytes: int) -> str | None:
    """The masked overhead per MB from the two stream rows' medians."""
    by_name = {row.name: row for row in rows}
    masked, unmasked = by_name.get(STREAM_MASKED), by_name.get(STREAM_UNMASKED)
    if masked is None or unmasked is None:
        return None
    mb = stream_bytes / 1e6
    wall = (masked.median - unmasked.median) / mb
    cpu = (masked.cpu_median - unmasked.cpu_median) / mb
    return (
        f"masked overhead: {wall:.2f} ms per MB of wall time, {cpu:.2f} ms per MB of CPU "
        f"({STREAM_MIB} MiB through `exec -- cat`: {masked.median:.0f} ms ({masked.cpu_median:.0f}"
        f" CPU) masked, {unmasked.median:.0f} ms ({unmasked.cpu_median:.0f} CPU) with --no-mask)"
    )


class Misbehaved(Exception):
    """A timed command did not do what it is timed for: its time would mean nothing."""


# --- environment -----------------------------------------------------------------------

_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")


def base_env(home: Path, api_url: str) -> dict[str, str]:
    """A minimal, reproducible environment: no user config, no proxies, no keyring."""
    env = {name: os.environ[name] for name in _KEPT_ENV if name in os.environ}
    env.update(
        HOME=str(home),
        NANOCTL_CONFIG_DIR=str(home / ".config" / "nanoctl"),
        NANOCTL_KEYRING="0",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        NANOSERVICES_API_URL=api_url,
        NO_PROXY="127.0.0.1,localhost",
        NO_COLOR="1",
        TERM="dumb",
    )
    return env


def fresh_home(stack: ExitStack, name: str) -> Path:
    root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"nanoctl-bench-{name}-")))
    home = root / "home"
    home.mkdir()
    return home


# --- the installed executable ----------------------------------------------------------


def find_executable(bin_dir: Path) -> tuple[Path, Path]:
    """``nanoctl`` and the interpreter its shebang names (the one baselines must use)."""
    script = bin_dir / "nanoctl"
    if not script.is_file():
        raise SystemExit(f"no nanoctl in {bin_dir}: run `uv sync --no-editable` first")
    first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    python = Path(first[2:].strip()) if first.startswith("#!") else bin_dir / "python"
    if not python.is_file():
        python = bin_dir / "python"
    return script, python


def installed_package_dir(python: Path, env: dict[str, str]) -> Path:
    code = "import nanoctl, pathlib; print(pathlib.Path(nanoctl.__file__).parent)"
    done = subprocess.run(
        [str(python), "-c", code], env=env, capture_output=True, text=True, check=True, cwd="/"
    )
    return Path(done.stdout.strip())


def stale_files(python: Path, env: dict[str, str]) -> list[str]:
    """Files of src/ whose installed copy differs: the install would not be what is timed."""
    site = installed_package_dir(python, env)
    src = ROOT / "src"
    if site.resolve() == src.resolve():
        return ["(editable install: entrypoints is imported from src/)"]
    stale = []
    for path in sorted(src.rglob("*.py")):
        installed = site / path.relative_to(src)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if not installed.is_file() or hashlib.sha256(installed.read_bytes()).hexdigest() != digest:
            stale.append(str(path.relative_to(ROOT)))
    return stale


# --- seeding a stored credential ------------------------------------------------------


def seed_with_pty(script: Path, env: dict[str, str]) -> None:
    """A real interactive login: the prompt, hidden input, encryption, the store."""
    import pexpect

    child = pexpect.spawn(
        str(script), ["login"], env=env, encoding="utf-8", timeout=30, dimensions=(24, 200)
    )
    try:
        child.expect_exact(PROMPT)
        child.sendline(reference_server.VALID)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    if child.exitstatus != 0:
        raise Misbehaved(f"interactive login exited {child.exitstatus}: {child.before!r}")


# --- measuring -------------------------------------------------------------------------


def build_cases(stack: ExitStack, script: Path, python: Path, server_url: str) -> list[Case]:
    def env_for(name: str) -> dict[str, str]:
        return base_env(fresh_home(stack, name), server_url)

    nanoctl = [str(script)]
    status_env = env_for("status")
    seed_with_pty(script, status_env)
    login_env = env_for("login")
    login_env["NANOSERVICES_TOKEN"] = reference_server.VALID
    stream, stream_size, masked_size = stream_file(fresh_home(stack, "stream"))
    # What a user without NANOCTL_CONFIG_DIR runs: the default config dir is looked up.
    default_dir_env = env_for("logout-default-dir")
    del default_dir_env["NANOCTL_CONFIG_DIR"]
    cases = [
        Case(
            "nanoctl --version",
            [*nanoctl, "--version"],
            env_for("version"),
            "F0",
            1.30,
            expect_stdout="nanoctl",
        ),
        Case(
            "nanoctl --help",
            [*nanoctl, "--help"],
            env_for("help"),
            "F0",
            1.30,
            expect_stdout="Usage",
        ),
        Case("nanoctl (bare)", nanoctl, env_for("bare"), "F0", 1.30, expect_stdout="Usage"),
        Case(
            "nanoctl help login",
            [*nanoctl, "help", "login"],
            env_for("help-login"),
            "F1",
            None,
            expect_stdout="--token",
        ),
        Case(
            "nanoctl logout",
            [*nanoctl, "logout"],
            env_for("logout"),
            "F2",
            0.90,
            expect_stdout="Not logged in",
        ),
        Case(
            "nanoctl logout (default dir)",
            [*nanoctl, "logout"],
            default_dir_env,
            "F2",
            None,
            expect_stdout="Not logged in",
        ),
        Case(
            "nanoctl status --offline",
            [*nanoctl, "status", "--offline"],
            status_env,
            "F2c",
            0.90,
            expect_stdout="Logged in",
        ),
        Case(
            "nanoctl status",
            [*nanoctl, "status"],
            status_env,
            "F3",
            None,
            expect_stdout="Logged in",
        ),
        Case(
            "nanoctl api /login",
            [*nanoctl, "api", "/login"],
            status_env,
            "nanoctl status",
            1.05,
            expect_stdout='"username": "ada"',
        ),
        Case(
            "nanoctl token",
            [*nanoctl, "token"],
            status_env,
            "F2c",
            0.90,
            expect_stdout=reference_server.VALID,
        ),
        Case(
            "nanoctl exec -- true",
            [*nanoctl, "exec", "--", "true"],
            login_env,
            "F2",
            None,
            expect_empty_stdout=True,
        ),
        Case(
            "nanoctl exec --no-mask -- true",
            [*nanoctl, "exec", "--no-mask", "--", "true"],
            login_env,
            "F2",
            None,
            expect_empty_stdout=True,
        ),
        Case(
            STREAM_MASKED,
            [*nanoctl, "exec", "--", "cat", str(stream)],
            login_env,
            STREAM_UNMASKED,
            None,
            expect_stdout=str(masked_size),
            drain=True,
        ),
        Case(
            STREAM_UNMASKED,
            [*nanoctl, "exec", "--no-mask", "--", "cat", str(stream)],
            login_env,
            expect_stdout=str(stream_size),
            drain=True,
        ),
        Case(
            "nanoctl login (env token)",
            [*nanoctl, "login"],
            login_env,
            "F3",
            0.95,
            expect_empty_stdout=True,
        ),
        Case(
            "nanoctl login --token - (stdin)",
            [*nanoctl, "login", "--token", "-"],
            env_for("login-stdin"),
            "F3",
            0.95,
            expect_stdout="Authenticated as",
            stdin=f"{reference_server.VALID}\n".encode(),
        ),
    ]
    baseline_env = env_for("baselines")
    for name, (args, _) in BASELINE_CODE.items():
        cases.append(Case(name, [str(python), *args], baseline_env))
    return cases


@dataclass
class FirstRun:
    """The first and the second run of ``args`` after each fresh install."""

    args: list[str]
    first: Case
    second: Case


def build_first_runs(stack: ExitStack, server_url: str) -> list[FirstRun]:
    version_env = base_env(fresh_home(stack, "fresh-version"), server_url)
    login_env = base_env(fresh_home(stack, "fresh-login"), server_url)
    login_env["NANOSERVICES_TOKEN"] = reference_server.VALID
    return [
        FirstRun(
            ["--version"],
            Case("1st --version after install", [], version_env, "2nd --version", 1.20, "nanoctl"),
            Case("2nd --version", [], version_env, expect_stdout="nanoctl"),
        ),
        FirstRun(
            ["login"],
            Case(
                "1st login (env) after install",
                [],
                login_env,
                "2nd login (env)",
                1.20,
                expect_empty_stdout=True,
            ),
            Case("2nd login (env)", [], login_env, expect_empty_stdout=True),
        ),
    ]


def measure_first_runs(
    first_runs: Sequence[FirstRun],
    rounds: int,
    wheel: wheel_install.Wheel,
    uv: list[str],
    progress: Callable[[str], None],
) -> float:
    """Each round, for each command: a new install, its first run, its second run.
    Returns the median install time in seconds."""
    installs = []
    venv = wheel_install.BENCH / "fresh"
    for round_ in range(rounds):
        for pair in first_runs:
            bin_dir, seconds = wheel_install.install(uv, wheel, venv, sys.executable)
            installs.append(seconds)
            for case in (pair.first, pair.second):
                case.argv = [str(bin_dir / "nanoctl"), *pair.args]
                case.record()
        progress(f"fresh install {round_ + 1}/{rounds}")
    shutil.rmtree(venv, ignore_errors=True)
    return statistics.median(installs) if installs else 0.0


def measure(
    cases: Sequence[Case],
    runs: int,
    warmup: int,
    rng: random.Random,
    progress: Callable[[str], None],
) -> None:
    for round_ in range(-warmup, runs):
        order = list(cases)
        rng.shuffle(order)
        for case in order:
            elapsed, cpu = case.run_once()
            if round_ >= 0:
                case.samples.append(elapsed)
                case.cpu_samples.append(cpu)
        progress(f"round {round_ + 1}/{runs}" if round_ >= 0 else "warm-up")


@dataclass(frozen=True)
class Row:
    name: str
    median: float
    minimum: float
    maximum: float
    baseline: str | None
    ratio: float | None
    target: float | None
    passed: bool | None
    ratio_f0: float
    samples: list[float]
    cpu_median: float
    cpu_ratio: float | None
    cpu_samples: list[float]
    min_ratio: float | None


def summarise(cases: Sequence[Case]) -> list[Row]:
    medians = {case.name: statistics.median(case.samples) for case in cases}
    cpu = {case.name: statistics.median(case.cpu_samples) for case in cases}
    rows = []
    for case in cases:
        median = medians[case.name]
        ratio = median / medians[case.baseline] if case.baseline else None
        cpu_ratio = cpu[case.name] / cpu[case.baseline] if case.baseline else None
        fastest = {other.name: min(other.samples) for other in cases}
        min_ratio = fastest[case.name] / fastest[case.baseline] if case.baseline else None
        passed = None if ratio is None or case.target is None else ratio <= case.target
        rows.append(
            Row(
                case.name,
                median,
                min(case.samples),
                max(case.samples),
                case.baseline,
                ratio,
                case.target,
                passed,
                median / medians["F0"],
                list(case.samples),
                cpu[case.name],
                cpu_ratio,
                list(case.cpu_samples),
                min_ratio,
            )
        )
    return rows


def render(rows: Sequence[Row], meta: dict[str, object]) -> str:
    header = (
        "command",
        "median",
        "min",
        "max",
        "baseline",
        "ratio",
        "target",
        "result",
        "vs F0",
        "cpu",
        "cpu ratio",
        "min ratio",
    )
    table = [header]
    for row in rows:
        table.append(
            (
                row.name,
                f"{row.median:.1f}",
                f"{row.minimum:.1f}",
                f"{row.maximum:.1f}",
                row.baseline or "-",
                f"{row.ratio:.3f}" if row.ratio is not None else "-",
                f"<= {row.target:.2f}" if row.target is not None else "-",
                "-" if row.passed is None else ("PASS" if row.passed else "FAIL"),
                f"{row.ratio_f0:.2f}",
                f"{row.cpu_median:.1f}",
                f"{row.cpu_ratio:.3f}" if row.cpu_ratio is not None else "-",
                f"{row.min_ratio:.3f}" if row.min_ratio is not None else "-",
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [
        f"nanoctl startup benchmark, {meta['date']}, {meta['runs']} runs "
        f"(+{meta['warmup']} warm-up), wall ms",
        f"{meta['cpu']}, nproc {meta['nproc']}, "
        f"Python {meta['python_version']}, {meta['platform']}",
        f"timed: {meta['executable']}" + _install_note(meta),
        "",
    ]
    for i, line in enumerate(table):
        cells = [
            cell.ljust(widths[j]) if j in (0, 4, 6, 7) else cell.rjust(widths[j])
            for j, cell in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    for name, (_, code) in BASELINE_CODE.items():
        lines.append(f"{name:<3}  {code}")
    lines.append(
        "median/min/max: wall ms; ratio: median / its baseline's median (the target); "
        "1st/2nd ... after install: the first and second run of a fresh install; "
        "cpu: median user+system ms of the process, cpu ratio likewise; min ratio: fastest "
        "run / its baseline's fastest (both less sensitive to load than the median). "
        f"Load average before/after: {meta['load_before']} / {meta['load_after']}."
    )
    return "\n".join(lines)


def render_markdown(rows: Sequence[Row], meta: dict[str, object]) -> str:
    """The rows with a target, as README's Speed section shows them."""
    medians = {row.name: row.median for row in rows}
    lines = [
        f"Run {str(meta['date'])[:10]}, {meta['cpu']} ({meta['nproc']} CPUs), Python "
        f"{meta['python_version']}, `--runs {meta['runs']} --fresh-runs {meta['fresh_runs']}`; "
        f"F0 = {medians['F0']:.1f} ms. Wall ms (CPU ms of the process beside it):",
        "",
        "| command | median (cpu) | baseline | ratio | target | cpu ratio | vs F0 |",
        "| --- | ---: | --- | ---: | --- | ---: | ---: |",
    ]
    for row in rows:
        if row.baseline is None or row.ratio is None:
            continue
        target = "-" if row.target is None else f"≤ {row.target:.2f}"
        verdict = "" if row.passed is None else (" ✓" if row.passed else " ✗")
        lines.append(
            f"| `{row.name}` | {row.median:.1f} ({row.cpu_median:.1f}) | "
            f"{row.baseline} {medians[row.baseline]:.1f} | {row.ratio:.2f}{verdict} | {target} | "
            f"{row.cpu_ratio:.2f} | {row.ratio_f0:.2f} |"
        )
    return "\n".join(lines)


def _install_note(meta: dict[str, object]) -> str:
    notes = []
    if isinstance(meta.get("install_seconds"), float):
        notes.append(f"the working tree's wheel, installed in {meta['install_seconds']:.1f} s")
    if isinstance(meta.get("fresh_install_seconds"), float):
        notes.append(
            f"first-run rows: {meta['fresh_runs']} fresh installs each, "
            f"{meta['fresh_install_seconds']:.1f} s apiece"
        )
    return f" ({'; '.join(notes)}; bytecode compiled at install)" if notes else ""


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@contextmanager
def running_server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as server:
        yield server


def json_results(rows: Sequence[Row]) -> list[dict[str, object]]:
    return [
        {
            "command": row.name,
            "median_ms": round(row.median, 2),
            "min_ms": round(row.minimum, 2),
            "max_ms": round(row.maximum, 2),
            "baseline": row.baseline,
            "ratio": None if row.ratio is None else round(row.ratio, 4),
            "target": row.target,
            "passed": row.passed,
            "ratio_to_f0": round(row.ratio_f0, 4),
            "samples_ms": [round(s, 2) for s in row.samples],
            "cpu_median_ms": round(row.cpu_median, 2),
            "cpu_ratio": None if row.cpu_ratio is None else round(row.cpu_ratio, 4),
            "cpu_samples_ms": [round(s, 2) for s in row.cpu_samples],
            "min_ratio": None if row.min_ratio is None else round(row.min_ratio, 4),
        }
        for row in rows
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first (2)")
    parser.add_argument(
        "--fresh-runs",
        type=int,
        default=10,
        help="fresh installs per first-run row (10; 0 leaves those rows out)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the table for README's Speed section"
    )
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target is missed")
    parser.add_argument(
        "--bin-dir",
        type=Path,
        default=None,
        help="time the nanoctl installed there (default: build the wheel of the working "
        "tree and install it into .bench/venv)",
    )
    parser.add_argument("--shuffle-seed", type=int, default=None, help="fix the run order")
    parser.add_argument(
        "--allow-stale", action="store_true", help="time even if the install differs from src/"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.fresh_runs < 0:
        parser.error("--runs must be at least 1, --fresh-runs at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    progress: Callable[[str], None] = (
        (lambda text: None) if args.json else (lambda text: print(text, file=sys.stderr))
    )
    uv = wheel_install.uv_command()
    install_seconds = None
    wheel: wheel_install.Wheel | None
    if args.bin_dir is None:
        progress("building the wheel of the working tree and installing it")
        wheel, bin_dir, install_seconds = wheel_install.install_working_tree(uv, sys.executable)
    else:
        wheel = wheel_install.build_wheel(uv) if args.fresh_runs else None
        bin_dir = args.bin_dir.absolute()
    script, python = find_executable(bin_dir)
    meta: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "runs": args.runs,
        "warmup": args.warmup,
        "fresh_runs": args.fresh_runs,
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "executable": str(script),
        "python": str(python),
        "install_seconds": install_seconds,
        "load_before": _load(),
    }
    try:
        with ExitStack() as stack:
            server = stack.enter_context(running_server())
            probe_env = base_env(fresh_home(stack, "probe"), server.url)
            stale = stale_files(python, probe_env)
            if stale and not args.allow_stale:
                print(
                    f"The nanoctl in {bin_dir} is not what src/ holds (leave out --bin-dir to "
                    "time the working tree). Differs: " + ", ".join(stale[:8]),
                    file=sys.stderr,
                )
                return 2
            cases = build_cases(stack, script, python, server.url)
            measure(cases, args.runs, args.warmup, random.Random(args.shuffle_seed), progress)
            if args.fresh_runs and wheel is not None:
                first_runs = build_first_runs(stack, server.url)
                meta["fresh_install_seconds"] = measure_first_runs(
                    first_runs, args.fresh_runs, wheel, uv, progress
                )
                cases += [case for pair in first_runs for case in (pair.first, pair.second)]
    except Misbehaved as error:
        print(f"benchmark aborted, a command misbehaved: {error}", file=sys.stderr)
        return 2
    meta["load_after"] = _load()
    rows = summarise(cases)
    stream_bytes = next(
        (int(case.expect_stdout or 0) for case in cases if case.name == STREAM_UNMASKED), 0
    )
    meta["masked_overhead"] = masking_overhead(rows, stream_bytes)
    failed = [row.name for row in rows if row.passed is False]
    if args.json:
        results = json_results(rows)
        baselines = {name: code for name, (_, code) in BASELINE_CODE.items()}
        print(json.dumps({"meta": meta, "baselines": baselines, "results": results}, indent=2))
    else:
        print(render(rows, meta))
        if meta["masked_overhead"]:
            print(meta["masked_overhead"])
        print()
        if args.markdown:
            print(render_markdown(rows, meta))
            print()
        print("FAILED: " + ", ".join(failed) if failed else "All targets met.")
    return 1 if failed and not args.no_fail else 0


if __name__ == "__main__":
    raise SystemExit(main())
