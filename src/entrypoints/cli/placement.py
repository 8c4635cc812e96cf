"""Words of the command line where a user puts them, read as they were meant, before cleo
parses it.

- An option of a command given before the command (`nanoctl --api-url URL login`,
  `nanoctl -t - login`) is accepted: cleo finds the command by its first word and would
  take the option's value for it, so the value is attached (`--api-url=URL`), which cleo
  reads wherever it stands. An option of another command is named as misplaced, with the
  commands it belongs to.
- `nanoctl exec PROGRAM -x` without `--` is refused with the fix: put `--` before the
  program (else `-x` would be read as nanoctl's option).
- `nanoctl auth login`, a habit of `gh auth` and `hf auth`: `auth` is not a command;
  the one meant is suggested.

No value the user typed is ever repeated: only the names of nanoctl's own options and
commands, and a program's name when ``shown`` allows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from nanoctl.domain.command_line_errors import MisplacedOption, ProgramWithoutSeparator
from nanoctl.domain.errors import CommandLineError, UnknownCommand
from nanoctl.entrypoints.words.shown import shown

OptionsOf = Callable[[str], Mapping[str, bool]]
"""A command's own options by spelling (``--token``, ``-t``), each with whether it takes a
value."""
GROUPS = frozenset({"auth"})
"""Command groups of other tools (`gh auth login`, `hf auth whoami`): nanoctl has none."""
EXEC = "exec"


def placed(
    args: Sequence[str],
    global_options: Mapping[str, bool],
    commands: Sequence[str],
    options_of: OptionsOf,
) -> list[str]:
    """``args`` with each command option that stands before its command given its value
    attached; raises MisplacedOption for one of another command, UnknownCommand for a group
    of another tool, ProgramWithoutSeparator for exec's program options without `--`."""
    words = list(args)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--" or not word.startswith("-") or word == "-":
            _check_first_word(words, index, commands, global_options, options_of)
            return words
        spelling, attached = _split(word)
        if spelling in global_options or _global_flags(word, global_options):
            takes_value = global_options.get(spelling, False)
            index += 2 if takes_value and attached is None else 1
            continue
        _attach(words, index, spelling, commands, options_of)
        index += 1
    return words


def _split(word: str) -> tuple[str, str | None]:
    """``--name=value`` as (``--name``, ``value``); ``-tvalue`` as (``-t``, ``value``)."""
    if word.startswith("--"):
        name, equals, value = word.partition("=")
        return name, value if equals else None
    return word[:2], word[2:] or None


def _global_flags(word: str, global_options: Mapping[str, bool]) -> bool:
    """A cluster of global short flags (``-vvv``, ``-qn``)."""
    return not word.startswith("--") and all(
        global_options.get(f"-{letter}") is False for letter in word[1:]
    )


def _attach(
    words: list[str], index: int, spelling: str, commands: Sequence[str], options_of: OptionsOf
) -> None:
    """The option at ``index`` (a command's, before the command) given its value attached,
    or named as misplaced when the command named after it does not have it."""
    _, attached = _split(words[index])
    after = words[index + 1 :]
    value_next = attached is None and bool(after) and after[0] not in commands
    named = next((w for w in after[1 if value_next else 0 :] if w in commands), None)
    own = options_of(named) if named is not None else {}
    if spelling not in own:
        owners = tuple(c for c in commands if spelling in options_of(c))
        if owners:
            raise MisplacedOption(spelling, named, owners)
        if named is not None:  # else cleo would take the word after it for the command
            raise _no_such_option(spelling, named, own)
        return  # no command named: cleo says it does not exist, with what is close
    if own[spelling] and value_next:
        joined = f"{spelling}={after[0]}" if spelling.startswith("--") else spelling + after[0]
        words[index : index + 2] = [joined]


def _no_such_option(typed: str, command: str, own: Mapping[str, bool]) -> CommandLineError:
    """No command has the option ``typed``, given before ``command``: what was probably
    meant among its options (the same in another case, or close)."""
    same = tuple(name for name in own if name.lower() == typed.lower())
    if not same:
        # Here: rapidfuzz (which cleo loads anyway) only for a mistyped option.
        from cleo._utils import find_similar_names

        same = tuple(find_similar_names(typed, list(own)))
    problem = (
        f'The option "{typed}" does not exist.'
        if shown(typed)
        else ("The option (value not shown) does not exist.")
    )
    return CommandLineError(problem, command=command, suggestions=same)


def _check_first_word(
    words: list[str],
    index: int,
    commands: Sequence[str],
    global_options: Mapping[str, bool],
    options_of: OptionsOf,
) -> None:
    word = words[index]
    if word in GROUPS and word not in commands:
        meant = next((w for w in words[index + 1 :] if w in commands), None)
        suggestions = (meant,) if meant else ("login", "logout", "status")
        raise UnknownCommand(
            f'The command "{word}" does not exist; nanoctl\'s commands are not grouped under it.',
            suggestions=suggestions,
        )
    if word == EXEC:
        _check_program(words[index + 1 :], {**global_options, **options_of(EXEC)})


def _check_program(words: Sequence[str], options: Mapping[str, bool]) -> None:
    """After `exec`: its options, then `--`, then the program. A program given without
    `--` and followed by an option-like word is refused: that word would be nanoctl's."""
    skip = False
    program: str | None = None
    for word in words:
        if word == "--":
            return
        if skip:
            skip = False
            continue
        if program is None and word.startswith("-") and word != "-":
            spelling, attached = _split(word)
            skip = options.get(spelling, False) and attached is None
            continue
        if program is None:
            program = word
            continue
        if word.startswith("-") and word != "-":
            name = _split(word)[0]
            raise ProgramWithoutSeparator(
                name if shown(name) else None, program if shown(program) else None
            )
