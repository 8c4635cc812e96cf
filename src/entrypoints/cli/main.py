"""The `nanoctl` process: its streams and its command line are set up, what can be answered
before cleo is imported is answered, and the rest goes to the cleo application.

`nanoctl --version` and the front page (`nanoctl`, `nanoctl --help`, `nanoctl help`)
cost about what Python's own start costs: this module imports nothing but the streams'
set-up, the command table and the front page, and answers only command lines for which
cleo would print the very same bytes (the tests compare both). Anything else, including
a command's own help page, goes to ``nanoctl.entrypoints.cli.app``.
"""

from __future__ import annotations

import gc
import os
import sys

from nanoctl.entrypoints.cli.front_page import front_page, version_line
from nanoctl.entrypoints.cli.streams import prepare_streams
from nanoctl.entrypoints.cli.table import GLOBAL_OPTIONS

TYPE_CHECKING = False  # typing itself costs ~5 ms, a third of `nanoctl --version`
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Options whose value may be a lone "-" (read from stdin). cleo 2.1's argv parser
# takes "-" for an option and fails with "requires a value"; "--token=-" works.
_STDIN_OPTIONS = ("--token", "-t")


def normalize_argv(argv: Sequence[str]) -> list[str]:
    """Rewrite `--token -` / `-t -` as `--token=-` so both spellings work."""
    out: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        if arg in _STDIN_OPTIONS and i + 1 < len(args) and args[i + 1] == "-":
            out.append("--token=-")
            i += 2
            continue
        if arg == "-t-":
            out.append("--token=-")
        else:
            out.append(arg)
        i += 1
    return out


# --- the answers that need no cleo ------------------------------------------------------

_VERSION = ("--version", "-V")
_HELP = ("--help", "-h")
_QUIET = ("--quiet", "-q")
# The global flags as cleo accepts them, each spelled exactly: a command line of only
# these (plus `help` or `list`) makes cleo show the front page.
_FLAGS = frozenset(
    spelling
    for option in GLOBAL_OPTIONS
    if option.name not in ("help", "version") and not option.takes_value
    for spelling in (
        f"--{option.name}",
        *(f"-{short}" for short in (option.shortcut or "").split("|") if short),
    )
)


def _has_option(args: Sequence[str], names: Sequence[str]) -> bool:
    """cleo's ``ArgvInput.has_parameter_option(names, only_params=True)``: a raw token
    before ``--`` that is a long name (or ``--name=...``) or starts with a short one."""
    for token in args:
        if token == "--":
            return False
        for name in names:
            if token == name or token.startswith(f"{name}=" if name.startswith("--") else name):
                return True
    return False


def _wants_front_page(args: Sequence[str]) -> bool:
    if _has_option(args, _HELP):
        # cleo shows `help list` (the front page) when no command is named: here only
        # options, none of which can be a command name or an argument.
        return all(token.startswith("-") and token not in ("-", "--") for token in args)
    rest = [token for token in args if token not in _FLAGS]
    return rest in ([], ["help"], ["list"])


def early_answer(args: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """What cleo would print for ``args`` when that is the version or the front page
    (decided without cleo), or None when cleo must run."""
    if "SHELL_VERBOSITY" in environ:  # cleo's own verbosity setting: let cleo read it
        return None
    if _has_option(args, _VERSION):  # cleo checks it first, whatever else is there
        text = f"{version_line()}\n"
    elif _wants_front_page(args):
        text = front_page()
    else:
        return None
    return "" if _has_option(args, _QUIET) else text


def _print(text: str) -> int:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # As cleo does for `nanoctl --help | head -1`: the reader is gone, exit 0.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The process: `nanoctl` and `python -m nanoctl` run this once, then exit."""
    # A run lasts well under a second and the OS takes all memory back at exit, so the
    # cycle collector only costs time: its passes over the ~100k objects that importing
    # cleo, dependency-injector and pydantic creates are ~10 ms of every command.
    gc.disable()
    prepare_streams(os.environ)
    args = normalize_argv(sys.argv[1:] if argv is None else argv)
    answer = early_answer(args, os.environ)
    if answer is not None:
        code = _print(answer)
    else:
        # Here: cleo and the commands, for what the fast path cannot answer.
        from nanoctl.entrypoints.cli.lazy_rapidfuzz import defer_rapidfuzz

        defer_rapidfuzz()
        from nanoctl.entrypoints.cli.app import run

        code = run(args)
    # What follows is interpreter teardown, whose final collection (run even with the
    # collector disabled) walks every object the imports made: ~15 ms on `logout`.
    # Frozen objects are skipped; the process's exit frees them.
    gc.freeze()
    return code
