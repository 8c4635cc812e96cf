"""The front page: what `nanoctl`, `nanoctl --help` and `nanoctl help` print; and the
version line of `nanoctl --version`.

Generated from the command table, in plain text (no cleo tags, no colours), laid out for
the width it is read at (``layout``), so that cleo's `list` and `help` commands and the
fast path of `main.main()`, which answers before cleo is imported, print the same bytes.
"""

from __future__ import annotations

from nanoctl import __version__
from nanoctl.entrypoints.cli.layout import DEFAULT_WIDTH, columns, wrap
from nanoctl.entrypoints.cli.table import COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS, GlobalOption


def version_line() -> str:
    return f"nanoctl {__version__}"


def front_page(width: int = DEFAULT_WIDTH) -> str:
    commands = [(entry.name, entry.description) for entry in COMMANDS if not entry.hidden]
    options = [(synopsis(option), option.description) for option in GLOBAL_OPTIONS]
    variables = [(variable.name, variable.description) for variable in ENVIRONMENT]
    sections = (
        wrap(f"{version_line()}: the command-line client of the Nanoservices platform.", width),
        wrap("Usage: nanoctl <command> [options]", width),
        ["Commands:", *columns(commands, width)],
        ["Global options (before or after the command):", *columns(options, width)],
        ["Environment:", *columns(variables, width)],
        wrap(
            "`nanoctl help <command>` (or `nanoctl <command> --help`) shows a command's "
            "options, examples and exit codes.",
            width,
        ),
    )
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def synopsis(option: GlobalOption) -> str:
    """How the front page writes a global option: ``-q, --quiet``, ``    --ansi``,
    ``    --profile=NAME``, ``-v, --verbose`` (its description names -vv and -vvv)."""
    value = f"={option.value}" if option.value is not None else ""
    name = f"--{option.name}{value}"
    shorts = option.short_spellings
    return f"{shorts[0]}, {name}" if shorts else f"    {name}"
