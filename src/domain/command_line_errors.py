"""What is wrong with where a word of the command line stands, as facts: an option given
before the command it belongs to, an option after `exec`'s program without `--`. Part of
the one hierarchy of ``nanoctl.domain.errors`` (usage errors, exit 2); the words are in
``nanoctl.entrypoints.words.errors``. Only names nanoctl knows are kept (option and command
names), never a value the user typed with them: that could be a token."""

from __future__ import annotations

from nanoctl.domain.errors import UsageError


class MisplacedOption(UsageError):
    """``option`` (as nanoctl spells it: ``--token``, ``-t``) stands before the command,
    and is an option of ``owners``, none of which is the ``command`` named (None: no
    command was named)."""

    kind = "usage"

    def __init__(self, option: str, command: str | None, owners: tuple[str, ...]) -> None:
        super().__init__(option, command, owners)
        self.option = option
        self.command = command
        self.owners = owners


class ProgramWithoutSeparator(UsageError):
    """`nanoctl exec PROGRAM -x …` without `--`: ``option`` (the name of the first
    option-like word after the program, None when it may not be shown) would be read as
    nanoctl's; ``program`` is the program's name when it may be shown."""

    kind = "usage"

    def __init__(self, option: str | None, program: str | None) -> None:
        super().__init__(option, program)
        self.option = option
        self.program = program
