"""cleo's built-in commands, made to show nanoctl's front page and its words.

A bare `nanoctl` runs `list`, `nanoctl --help` runs `help list`, and `nanoctl help`
runs `help` without a name: all three print the front page. `nanoctl help login`
(or `nanoctl login --help`) is cleo's page of that command.
"""

from __future__ import annotations

from typing import ClassVar

from cleo.commands.help_command import HelpCommand as CleoHelpCommand
from cleo.helpers import argument
from cleo.io.inputs.argument import Argument
from cleo.io.outputs.output import Type

from nanoctl.entrypoints.cli.command import Loaded
from nanoctl.entrypoints.cli.front_page import front_page


class ListCommand(Loaded):
    """The front page, as cleo's default command (a page of words: its container is never
    called for)."""

    def handle(self) -> int:
        self.io.write(front_page(), type=Type.RAW)
        return 0


class HelpCommand(Loaded, CleoHelpCommand):
    arguments: ClassVar[list[Argument]] = [
        argument("command_name", "The command to describe.", optional=True)
    ]
    help = """\
Shows a command's description, usage and options:

  <info>nanoctl help login</info>    (the same as <info>nanoctl login --help</info>)

Without a command it shows the front page: every command and the global options."""

    def handle(self) -> int:
        if self._command is None:
            name = self.argument("command_name")
            if name is None:
                return self._front_page()
            application = self.application
            if application is None:  # cleo sets it before it runs a command
                raise RuntimeError("the help command runs inside an application")
            self._command = application.find(name)
        if isinstance(self._command, ListCommand):
            self._command = None
            return self._front_page()
        return super().handle()

    def _front_page(self) -> int:
        self.io.write(front_page(), type=Type.RAW)
        return 0
