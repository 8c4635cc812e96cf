"""The front page: what `nanoctl`, `nanoctl --help` and `nanoctl help` print; and the
version line of `nanoctl --version`.

Generated from the command table, in plain text (no cleo tags, no colours), so
that cleo's `list` and `help` commands and the fast path of `main.main()`, which
answers before cleo is imported, print the same bytes.
"""

from __future__ import annotations

from nanoctl import __version__
from nanoctl.entrypoints.cli.table import COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS, GlobalOption


def version_line() -> str:
    return f"nanoctl {__version__}"


def front_page() -> str:
    commands = [(entry.name, entry.description) for entry in COMMANDS if not entry.hidden]
    options = [(synopsis(option), option.description) for option in GLOBAL_OPTIONS]
    variables = [(variable.name, variable.description) for variable in ENVIRONMENT]
    return "\n".join(
        (
            f"{version_line()}: the command-line client of the Nanoservices platform.\n",
            "Usage:\n  nanoctl <command> [options]\n",
            "Commands:\n" + _columns(commands),
            "Global options:\n" + _columns(options),
            "Environment:\n" + _columns(variables),
        )
    )


def synopsis(option: GlobalOption) -> str:
    """How cleo's help pages write the option: ``-q, --quiet``, ``    --ansi``,
    ``    --profile=PROFILE``."""
    value = f"={option.name.upper()}" if option.takes_value else ""
    name = f"--{option.name}{value}"
    return f"-{option.shortcut}, {name}" if option.shortcut else f"    {name}"


def _columns(rows: list[tuple[str, str]]) -> str:
    """Two aligned columns, two spaces apart, as cleo lays out its help pages."""
    width = max(len(left) for left, _ in rows)
    return "".join(f"  {left.ljust(width)}  {right}\n" for left, right in rows)
