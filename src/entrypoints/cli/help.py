"""cleo's built-in commands, made to show nanoctl's front page and its help pages.

A bare `nanoctl` runs `list`, `nanoctl --help` runs `help list`, and `nanoctl help`
runs `help` without a name: all three print the front page. `nanoctl help login`
(or `nanoctl login --help`) prints the help page of `login` (``help_page``).
"""

from __future__ import annotations

import os
from typing import ClassVar

from cleo.commands.help_command import HelpCommand as CleoHelpCommand
from cleo.helpers import argument
from cleo.io.inputs.argument import Argument
from cleo.io.outputs.output import Type

from nanoctl.domain.errors import NanoctlError, UnknownCommand
from nanoctl.entrypoints.cli.command import Loaded
from nanoctl.entrypoints.cli.front_page import front_page
from nanoctl.entrypoints.cli.help_page import help_page
from nanoctl.entrypoints.cli.layout import page_width
from nanoctl.entrypoints.cli.terminal_lines import stream_of


class ListCommand(Loaded):
    """The front page, as cleo's default command (a page of words: its container is never
    called for)."""

    def handle(self) -> int:
        self.io.write(front_page(_width(self)), type=Type.RAW)
        return 0


class HelpCommand(Loaded, CleoHelpCommand):
    arguments: ClassVar[list[Argument]] = [
        argument("command_name", "The command to describe (none: the front page).", optional=True)
    ]
    usage = "[COMMAND]"
    about = ("`nanoctl help login` is `nanoctl login --help`.",)
    examples = (
        ("Every command, the global options and the environment", "nanoctl help"),
        ("The options, examples and exit codes of login", "nanoctl help login"),
    )

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (UnknownCommand,)

    def handle(self) -> int:
        if self._command is None:
            name = self.argument("command_name")
            if name is None:
                return self._front_page()
            application = self.application
            if application is None:  # cleo sets it before it runs a command
                raise RuntimeError("the help command runs inside an application")
            self._command = application.find(name)
        command, self._command = self._command, None
        if isinstance(command, ListCommand) or not isinstance(command, Loaded):
            return self._front_page()
        self.io.write(help_page(command, _width(self)), type=Type.RAW)
        return 0

    def _front_page(self) -> int:
        self.io.write(front_page(_width(self)), type=Type.RAW)
        return 0


def _width(command: Loaded) -> int:
    return page_width(os.environ, stream_of(command.io.output))
