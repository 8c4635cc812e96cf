"""The cleo application: the table's commands, each built when needed with its description
and the run's container, behind one error boundary.

A command is built from its row of the table only when it runs (or when `completions` or a
help page lists them all), and the global options cleo parses are the table's, so a
command's help page words them as the front page does. The container
(``nanoctl.entrypoints.container``) is made from the command line cleo parsed the first
time a command calls for it, so `help` never builds it; a command receives the call, never
the application.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from cleo.application import Application
from cleo.commands.command import Command
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.argv_input import ArgvInput
from cleo.io.inputs.definition import Definition
from cleo.io.inputs.input import Input
from cleo.io.inputs.option import Option
from cleo.io.io import IO
from cleo.io.outputs.output import Output
from cleo.io.outputs.stream_output import StreamOutput
from cleo.loaders.factory_command_loader import FactoryCommandLoader

from nanoctl import __version__
from nanoctl.entrypoints.agent import agent_mode
from nanoctl.entrypoints.cli.front_page import version_line
from nanoctl.entrypoints.cli.placement import placed
from nanoctl.entrypoints.cli.table import COMMANDS, GLOBAL_OPTIONS, CommandRow
from nanoctl.entrypoints.cli.terminal_lines import RunIO, agent_of, terminal_width
from nanoctl.entrypoints.invocation import Invocation

if TYPE_CHECKING:  # the container loads dependency_injector (~60 ms): only commands that run
    from nanoctl.entrypoints.container import Container
    from nanoctl.entrypoints.words.context import Context

GLOBAL_SPELLINGS: dict[str, bool] = {
    spelling: option.takes_value
    for option in GLOBAL_OPTIONS
    for spelling in (f"--{option.name}", *option.short_spellings)
}
"""Every spelling of a global option, with whether it takes a value."""
VISIBLE = tuple(row.name for row in COMMANDS if not row.hidden)

CommandClass = Callable[[str, str, Callable[[], "Container"]], Command]
"""How every command is built: its name, its description, and the call that gives it the
run's container."""


class NanoctlApplication(Application):
    """``container`` makes a fresh Container for each run (tests pass one with overrides)."""

    def __init__(self, container: Callable[[], Container] | None = None) -> None:
        super().__init__("nanoctl", __version__)
        factories: dict[str, Callable[[], Command]] = {
            row.name: partial(self._build, row) for row in COMMANDS
        }
        self.set_command_loader(FactoryCommandLoader(factories))
        self._new_container = container
        self._io: IO | None = None
        self._container: Container | None = None

    def _build(self, row: CommandRow) -> Command:
        """The command of ``row``: its module is imported now, on first use."""
        module, _, name = row.command.partition(":")
        command_class: CommandClass = getattr(
            importlib.import_module(f"{__package__}.{module}"), name
        )
        command = command_class(row.name, row.description, self.container_of_run)
        command.hidden = row.hidden
        return command

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
                Option(
                    option.name,
                    option.shortcut,
                    flag=not option.takes_value,
                    requires_value=option.takes_value,
                    description=option.description,
                )
            )
        return definition

    def create_io(
        self,
        input: Input | None = None,
        output: Output | None = None,
        error_output: Output | None = None,
    ) -> IO:
        """cleo's io, with colours by the NO_COLOR rule: off when it is present and not
        empty (no-color.org); cleo also turns them off for an empty one. It knows the
        run's agent mode (``RunIO``)."""
        io = super().create_io(input, output, error_output)
        if os.environ.get("NO_COLOR") == "":
            for stream_output in (io.output, io.error_output):
                if isinstance(stream_output, StreamOutput):
                    stream_output.decorated(terminal_width(stream_output.stream) is not None)
        return RunIO(io.input, io.output, io.error_output, agent_mode(os.environ))

    def _configure_io(self, io: IO) -> None:
        """cleo's options (--ansi, -n, -q, -v…); then, in agent mode, no colour at all, not
        even with --ansi: an agent reads the escape codes as text."""
        super()._configure_io(io)
        if agent_of(io).on:
            io.decorated(False)

    def container_of_run(self) -> Container:
        """This run's container, made on first use from the command line cleo parsed."""
        if self._container is None:
            # Here: the container loads dependency_injector (~60 ms) that `help` never needs.
            from nanoctl.entrypoints.container import Container, for_invocation

            if self._io is None:
                raise RuntimeError("the container exists only while a command runs")
            invocation = invocation_of(self._io)
            self._container = for_invocation(invocation, self._new_container or Container)
            self._warn_about_empty_variables(self._container)
        return self._container

    def _warn_about_empty_variables(self, container: Container) -> None:
        """One warning per variable set but empty, which counts as unset."""
        from nanoctl.entrypoints.cli.terminal_lines import write_warning
        from nanoctl.entrypoints.settings import running_in_ci
        from nanoctl.entrypoints.words import empty_variable

        if self._io is None:  # pragma: no cover - the container exists only while one runs
            return
        ci = running_in_ci(container.invocation().environ)
        as_json = self._io.input.has_parameter_option("--json", only_params=True)
        for name in container.settings().empty_variables:
            write_warning(self._io, empty_variable(name, ci=ci), as_json=as_json)

    def _run(self, io: IO) -> int:
        self._io, self._container = io, None
        try:
            self._place_words(io)
            return super()._run(io)
        except BrokenPipeError:
            raise  # `nanoctl ... | head`: cleo silences the closed pipe
        except (Exception, KeyboardInterrupt) as error:
            # Only on a failure: its words load the settings, which `help` never needs.
            from nanoctl.entrypoints.cli.boundary import report

            command = self._command_named_in(io)
            return report(error, io, command, self._words(error, command))

    def _place_words(self, io: IO) -> None:
        """The command line as the user meant it (``placement``): a command's option
        before the command gets its value attached, which cleo reads anywhere."""
        given = io.input
        words: list[str] | None = getattr(given, "_tokens", None)  # cleo's ArgvInput
        if not isinstance(given, ArgvInput) or words is None:
            return
        arranged = placed(words, GLOBAL_SPELLINGS, VISIBLE, self._options_of)
        if arranged != words:
            replaced = ArgvInput(["nanoctl", *arranged])
            replaced.set_stream(given.stream)
            replaced.interactive(given.is_interactive())
            io.set_input(replaced)

    def _options_of(self, name: str) -> dict[str, bool]:
        """The own options of command ``name`` by spelling, each with whether it takes a
        value (its module imported now: only for a word out of place, or `exec`)."""
        spellings: dict[str, bool] = {}
        for option in self.get(name).definition.options:
            if f"--{option.name}" in GLOBAL_SPELLINGS:
                continue
            spellings[f"--{option.name}"] = option.accepts_value()
            for short in (option.shortcut or "").split("|"):
                if short:
                    spellings[f"-{short}"] = option.accepts_value()
        return spellings

    def _words(self, error: BaseException, command: Command | None) -> Context:
        """What the words of ``error`` may say of this run: its selection, when a command
        built the container (a Ctrl-C is not the moment to resolve it); in any case the
        tokens it met, which they never show."""
        from nanoctl.entrypoints.words.context import Context, RunTokens, context_of_run

        if self._container is None:
            flag = None
            if self._io is not None:
                with suppress(Exception):  # a command line cleo could not read: no --token
                    flag = _option(self._io, "token")
            return Context(secrets=tuple(RunTokens(os.environ, flag)))
        if isinstance(error, KeyboardInterrupt):
            return Context(secrets=tuple(self._container.run_tokens()))
        return context_of_run(self._container, command.name if command is not None else None)

    def _command_named_in(self, io: IO) -> Command | None:
        """The visible command the command line names, if it has one (for usage hints)."""
        name = io.input.first_argument
        if not isinstance(name, str) or not self.has(name):
            return None
        try:
            command = self.get(name)
        except Exception:  # its failure is being reported already
            return None
        return None if command.hidden else command


def invocation_of(io: IO) -> Invocation:
    """The run cleo parsed into ``io``: its options, -n, and -v for diagnostics."""
    invocation = Invocation(
        os.environ,
        api_url=_option(io, "api-url"),
        token=_option(io, "token"),
        token_file=_option(io, "token-file"),
        profile=_option(io, "profile"),
    )
    invocation.io = io
    return invocation


def _option(io: IO, name: str) -> str | None:
    value = io.input.option(name) if io.input.has_option(name) else None
    return value if isinstance(value, str) else None


def run(args: Sequence[str]) -> int:
    """Run the command line ``args`` (without the program name); the exit code."""
    app = NanoctlApplication()
    app.auto_exits(False)
    input_ = ArgvInput(["nanoctl", *args])
    input_.set_stream(sys.stdin)
    return app.run(input_)
