"""`nanoctl completions [bash|zsh|fish]`: the completion script of a shell, on stdout."""

from __future__ import annotations

import os
from typing import ClassVar

from cleo.commands.command import Command
from cleo.helpers import argument, option
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.option import Option
from cleo.io.outputs.output import Type

from nanoctl.domain.errors import NanoctlError, UnknownShell
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.cli.command import SELECTION_ERRORS, Loaded
from nanoctl.entrypoints.cli.completion_scripts import (
    SHELLS,
    CommandLine,
    CompletedCommand,
    CompletedOption,
)
from nanoctl.entrypoints.cli.completion_scripts import option as completed_option
from nanoctl.entrypoints.words.shown import shown


class CompletionsCommand(Loaded):
    arguments: ClassVar[list[Argument]] = [
        argument("shell", "bash, zsh or fish (default: the name of $SHELL).", optional=True)
    ]
    options: ClassVar[list[Option]] = [
        option(
            "profiles",
            None,
            "Print the stored profiles' names, one a line (the scripts complete --profile).",
        )
    ]
    usage = "[options] [SHELL]"
    about = (
        "Prints the completion script of your shell on standard output. It completes the "
        "commands, their options and the stored profiles after --profile, and needs nothing "
        "but the shell (no bash-completion package). To load it in every new shell:",
        (
            ("bash", 'in ~/.bashrc: eval "$(nanoctl completions bash)"'),
            ("zsh", 'in ~/.zshrc, after compinit: eval "$(nanoctl completions zsh)"'),
            ("fish", "nanoctl completions fish > ~/.config/fish/completions/nanoctl.fish"),
        ),
    )
    examples = (
        ("The script of the shell $SHELL names", "nanoctl completions"),
        ("Load it into this bash", 'eval "$(nanoctl completions bash)"'),
        ("The stored profiles, one a line", "nanoctl completions --profiles"),
    )
    success = ("0", "the script (or the profiles) printed")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (UnknownShell, *SELECTION_ERRORS, StorageError)

    def handle(self) -> int:
        if self.option("profiles"):
            return self._profile_names()
        given = self.argument("shell")
        shell = given if given is not None else os.path.basename(os.environ.get("SHELL", ""))
        if shell not in SHELLS:
            raise UnknownShell(
                shell if shell and shown(shell) else None,
                from_environment=given is None,
                unset=given is None and not shell,
            )
        self.io.write(self.command_line().script(shell), type=Type.RAW)
        return 0

    def _profile_names(self) -> int:
        """Directory entries only: no credential is read, nothing asks a keyring."""
        for name in self.container.profiles().names():
            self.io.write_line(name.value, type=Type.RAW)
        return 0

    def command_line(self) -> CommandLine:
        application = self.application
        if application is None:  # cleo sets it before it runs a command
            raise RuntimeError("`completions` runs inside an application")
        commands = sorted(
            (command for command in application.all().values() if not command.hidden),
            key=lambda command: command.name or "",
        )
        names = tuple(command.name or "" for command in commands)
        global_options = tuple(_completed(o) for o in application.definition.options)
        global_names = {o.name for o in global_options}
        return CommandLine(
            commands=tuple(
                CompletedCommand(
                    command.name or "",
                    command.description,
                    tuple(
                        _completed(o)
                        for o in command.definition.options
                        if o.name not in global_names
                    ),
                    values=SHELLS if command.name == self.name else _values(command, names),
                )
                for command in commands
            ),
            global_options=global_options,
        )


def _completed(cleo_option: Option) -> CompletedOption:
    return completed_option(
        cleo_option.name,
        cleo_option.shortcut,
        cleo_option.description,
        cleo_option.accepts_value(),
    )


def _values(command: Command, names: tuple[str, ...]) -> tuple[str, ...]:
    """`help` takes a command's name; the other commands take no argument."""
    return names if command.name == "help" else ()
