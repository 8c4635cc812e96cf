"""What each `nanoctl` command imports beyond its baseline, from ``python -X importtime``.

For every command of benchmarks/startup.py, the installed console script (by default
the working tree's wheel, installed into .bench/venv as the benchmark does) runs under
``-X importtime`` (in the same fresh HOME and environment as the benchmark), and so
does its baseline. The modules the command loads that the baseline does not are
grouped two ways:

- by *import root*: the first module of a chain not in the baseline, with the module
  that imported it and the self time of everything it pulled in (where to cut);
- by top-level package: the self time of its extra modules (what it costs).

Each module's self time is the minimum over ``--repeat`` runs, to damp noise.

    uv run --frozen --no-sync python benchmarks/import_profile.py [--repeat 5] [--top 12] [cmd ...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import startup
import wheel_install
from reference_server import ReferenceServer

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)\s*$")


@dataclass(frozen=True)
class Imported:
    name: str
    self_us: int
    cumulative_us: int
    depth: int
    parent: str | None


def parse_importtime(text: str) -> dict[str, Imported]:
    rows = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            rows.append(
                (match.group(4), int(match.group(1)), int(match.group(2)), len(match.group(3)) // 2)
            )
    modules: dict[str, Imported] = {}
    for i, (name, self_us, cumulative_us, depth) in enumerate(rows):
        parent = next((row[0] for row in rows[i + 1 :] if row[3] < depth), None)
        modules[name] = Imported(name, self_us, cumulative_us, depth, parent)
    return modules


def importtime(argv: Sequence[str], env: dict[str, str], python: Path) -> dict[str, Imported]:
    done = subprocess.run(
        [str(python), "-X", "importtime", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    return parse_importtime(done.stderr)


def fastest(runs: list[dict[str, Imported]]) -> dict[str, Imported]:
    """Per module, the run where its self time was least (the others were noise)."""
    best: dict[str, Imported] = {}
    for run in runs:
        for name, imported in run.items():
            if name not in best or imported.self_us < best[name].self_us:
                best[name] = imported
    return best


def report(
    name: str, command: dict[str, Imported], baseline: dict[str, Imported], base_name: str, top: int
) -> str:
    extra = {key: value for key, value in command.items() if key not in baseline}
    total = sum(value.self_us for value in extra.values())
    roots: dict[str, int] = defaultdict(int)
    importer: dict[str, str] = {}
    for key, value in extra.items():
        root = key
        while (parent := command[root].parent) is not None and parent in extra:
            root = parent
        roots[root] += value.self_us
        importer[root] = command[root].parent or "(top level)"
    packages: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for key, value in extra.items():
        packages[key.split(".")[0]] += value.self_us
        counts[key.split(".")[0]] += 1
    lines = [
        f"== {name}: {len(extra)} modules beyond {base_name}, {total / 1000:.1f} ms of import "
        f"self time ({len(command)} loaded in all)",
        "   by import root (root <- imported by: ms of everything it pulled in):",
    ]
    for root, us in sorted(roots.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"   {us / 1000:7.1f}  {root}  <- {importer[root]}")
    lines.append("   by top-level package (ms, modules):")
    for package, us in sorted(packages.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"   {us / 1000:7.1f}  {package} ({counts[package]})")
    lines.append("   by module (self ms  module <- imported by):")
    for key, value in sorted(extra.items(), key=lambda kv: -kv[1].self_us)[:top]:
        lines.append(f"   {value.self_us / 1000:7.1f}  {key}  <- {value.parent or '(top level)'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="*", help="substrings of command names (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (5)")
    parser.add_argument("--top", type=int, default=12, help="rows per section (12)")
    parser.add_argument(
        "--bin-dir",
        type=Path,
        default=None,
        help="profile the nanoctl installed there (default: the working tree's wheel, "
        "installed into .bench/venv)",
    )
    args = parser.parse_args(argv)

    if args.bin_dir is None:
        uv = wheel_install.uv_command()
        _, bin_dir, _ = wheel_install.install_working_tree(uv, sys.executable)
    else:
        bin_dir = args.bin_dir.absolute()
    script, python = startup.find_executable(bin_dir)
    with ExitStack() as stack:
        server = stack.enter_context(ReferenceServer())
        cases = startup.build_cases(stack, script, python, server.url)
        by_name = {case.name: case for case in cases}
        chosen = [
            case
            for case in cases
            if case.baseline and (not args.commands or any(c in case.name for c in args.commands))
        ]
        for case in chosen:
            baseline = by_name[case.baseline]  # type: ignore[index]
            command_runs = [importtime(case.argv, case.env, python) for _ in range(args.repeat)]
            baseline_runs = [
                importtime(baseline.argv[1:], baseline.env, python) for _ in range(args.repeat)
            ]
            print(
                report(
                    case.name,
                    fastest(command_runs),
                    fastest(baseline_runs),
                    case.baseline or "",
                    args.top,
                )
            )
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
