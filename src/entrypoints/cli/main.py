"""The `nanoctl` process: its streams and its command line are set up, what can be answered
before cleo is imported is answered, and the rest goes to the cleo application.

`nanoctl --version` and the front page (`nanoctl`, `nanoctl --help`, `nanoctl help`)
cost about what Python's own start costs: this module imports nothing but the command
table and the front page, and answers only command lines for which cleo would print the
very same bytes (the tests compare both). Anything else, including
a command's own help page, goes to ``nanoctl.entrypoints.cli.app``.
"""

from __future__ import annotations

import codecs
import gc
import os
import sys

from nanoctl.entrypoints.cli.front_page import front_page, version_line
from nanoctl.entrypoints.cli.layout import DEFAULT_WIDTH, page_width
from nanoctl.entrypoints.cli.table import GLOBAL_OPTIONS

TYPE_CHECKING = False  # typing itself costs ~5 ms, a third of `nanoctl --version`
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Options whose value may be a lone "-" (read from stdin). cleo 2.1's argv parser
# takes "-" for an option and fails with "requires a value"; "--token=-" works.
_STDIN_OPTIONS = {"--token": "--token", "-t": "--token", "--input": "--input"}


def normalize_argv(argv: Sequence[str]) -> list[str]:
    """Rewrite `--token -` / `-t -` as `--token=-` (and `--input -` as `--input=-`) so both
    spellings work."""
    out: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        if arg in _STDIN_OPTIONS and i + 1 < len(args) and args[i + 1] == "-":
            out.append(f"{_STDIN_OPTIONS[arg]}=-")
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


def early_answer(
    args: Sequence[str], environ: Mapping[str, str], width: int = DEFAULT_WIDTH
) -> str | None:
    """What cleo would print for ``args`` when that is the version or the front page
    (laid out for ``width`` columns, decided without cleo), or None when cleo must run."""
    if "SHELL_VERBOSITY" in environ:  # cleo's own verbosity setting: let cleo read it
        return None
    if _has_option(args, _VERSION):  # cleo checks it first, whatever else is there
        text = f"{version_line()}\n"
    elif _wants_front_page(args):
        text = front_page(width)
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


# --- the standard streams, made fit before anything is written --------------------------

# What the few non-ASCII characters nanoctl writes become where they cannot be shown.
_ASCII = {"✓": "OK", "✗": "X", "—": "-", "…": "..."}
_FALLBACK = "nanoctl-ascii"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: our characters in ASCII, anything else escaped."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    shown = "".join(_ASCII.get(c) or c.encode("ascii", "backslashreplace").decode() for c in text)
    return shown, error.end


def _terminal_shows_ascii_only(environ: Mapping[str, str]) -> bool:
    """Under a C or POSIX locale (`LANG=C`) Python writes UTF-8 all the same (PEP 538 and
    540), while the terminal shows ASCII: the user's locale says what it can show. Not
    when UTF-8 was asked for (PYTHONUTF8, -X utf8, PYTHONIOENCODING)."""
    if not sys.flags.utf8_mode or "utf8" in sys._xoptions:
        return False
    if environ.get("PYTHONUTF8") or environ.get("PYTHONIOENCODING"):
        return False
    # LC_CTYPE is skipped: Python itself sets it to C.UTF-8 when it coerces a C locale.
    name = (environ.get("LC_ALL") or environ.get("LANG") or "").lower()
    return "utf-8" not in name and "utf8" not in name


_CLOSED_MARK = "nanoctl_stands_in_for_a_closed_stream"


def was_closed(stream: object) -> bool:
    """Whether ``stream`` is what prepare_streams put where a closed one was."""
    return getattr(stream, _CLOSED_MARK, False) is True


def prepare_streams(environ: Mapping[str, str]) -> None:
    if sys.stdin is None:
        # A closed descriptor (`nanoctl login --token - <&-`) reads as empty, so the
        # command reports what is missing instead of failing inside.
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    codecs.register_error(_FALLBACK, _ascii_fallback)
    ascii_only = _terminal_shows_ascii_only(environ)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            # Closed (`nanoctl logout >&-`): what would go there is lost anyway, and
            # the command must still run and exit with its own code. Marked, for a
            # command whose output is its result (`nanoctl token`).
            stand_in = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(stand_in, _CLOSED_MARK, True)
            setattr(sys, name, stand_in)
            continue
        # A terminal that cannot show "✓" gets "OK" (and no crash on an encoding error).
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            if ascii_only:
                reconfigure(encoding="ascii", errors=_FALLBACK)
            else:
                reconfigure(errors=_FALLBACK)


def main(argv: Sequence[str] | None = None) -> int:
    """The process: `nanoctl` and `python -m nanoctl` run this once, then exit."""
    # A run lasts well under a second and the OS takes all memory back at exit, so the
    # cycle collector only costs time: its passes over the ~100k objects that importing
    # cleo, dependency-injector and pydantic creates are ~10 ms of every command.
    gc.disable()
    prepare_streams(os.environ)
    args = normalize_argv(sys.argv[1:] if argv is None else argv)
    answer = early_answer(args, os.environ, page_width(os.environ, sys.stdout))
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
