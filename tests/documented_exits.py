"""Every exit code a run returns is one its command's help page lists: checked after every
run the harnesses make (tests/integration/cli_harness.py ``checked``), so the Exit codes
section of a help page, derived from the errors the command declares, cannot drift from
what the command does."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from nanoctl.entrypoints.cli.help_page import declared_exit_codes
from nanoctl.entrypoints.cli.table import COMMANDS, GLOBAL_OPTIONS

_ROWS = {row.name: row for row in COMMANDS}
_VALUED = {f"--{o.name}" for o in GLOBAL_OPTIONS if o.takes_value}


def command_of(args: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is not a global option or
    the value of one (None: no command, or one that is not nanoctl's)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg in _VALUED:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in _ROWS else None
    return None


def documented(args: Sequence[str], exit_code: int) -> str | None:
    """Why ``exit_code`` is not one the help page of the command in ``args`` lists (None:
    it is, or nothing is claimed: no command, or `exec`, whose program decides)."""
    name = command_of(args)
    if name is None or exit_code < 0:  # no command, or ended by a signal: no exit code
        return None
    module, _, cls = _ROWS[name].command.partition(":")
    command_class = getattr(importlib.import_module(f"nanoctl.entrypoints.cli.{module}"), cls)
    codes = declared_exit_codes(command_class)
    if codes is None or exit_code in codes:
        return None
    return (
        f"`nanoctl {name}` exited {exit_code}, which its help page does not list "
        f"({sorted(codes)}): declare the error in the command's `errors`"
    )
