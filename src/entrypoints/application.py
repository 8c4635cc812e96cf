"""The cleo application: the command table's commands, built lazily, behind one
error boundary.

Each command is built by its factory in the command table only when it runs (or
when `completions` lists them all), and the global options cleo parses are the
table's, so a command's help page words them as the front page does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cleo.application import Application
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.argv_input import ArgvInput
from cleo.io.inputs.definition import Definition
from cleo.io.inputs.option import Option
from cleo.loaders.factory_command_loader import FactoryCommandLoader

from nanoctl import __version__
from nanoctl.entrypoints.command_table import COMMANDS, GLOBAL_OPTIONS
from nanoctl.entrypoints.front_page import version_line

if TYPE_CHECKING:
    from cleo.commands.command import Command
    from cleo.io.io import IO


class NanoctlApplication(Application):
    def __init__(self, commands: dict[str, Callable[[], Command]] | None = None) -> None:
        """``commands`` replaces the table's factories of the same names (tests build
        commands on a container of fakes)."""
        super().__init__("nanoctl", __version__)
        factories = {entry.name: entry.build for entry in COMMANDS}
        factories.update(commands or {})
        self.set_command_loader(FactoryCommandLoader(factories))

    @property
    def long_version(self) -> str:
        return version_line()

    @property
    def default_commands(self) -> list[Command]:
        return []  # help, list and completions are rows of the command table

    @property
    def _default_definition(self) -> Definition:
        definition = Definition(
            [Argument("command", required=True, description="The command to execute.")]
        )
        for option in GLOBAL_OPTIONS:
            definition.add_option(
                Option(option.name, option.shortcut, flag=True, description=option.description)
            )
        return definition

    def _run(self, io: IO) -> int:
        try:
            return super()._run(io)
        except BrokenPipeError:
            raise  # `nanoctl ... | head`: cleo silences the closed pipe
        except (Exception, KeyboardInterrupt) as error:
            from nanoctl.entrypoints.error_report import report

            return report(error, io)


def run(args: Sequence[str]) -> int:
    """Run the command line ``args`` (without the program name); the exit code."""
    app = NanoctlApplication()
    app.auto_exits(False)
    input_ = ArgvInput(["nanoctl", *args])
    input_.set_stream(sys.stdin)
    return app.run(input_)
