"""The shell completion scripts of `nanoctl completions bash|zsh|fish`.

Written here rather than taken from cleo: cleo's bash script needs the bash-completion
package (`_get_comp_words_by_ref`), names the program after the current directory's
`nanoctl` entry when there is one, and completes neither short options nor an argument's
values. These scripts need nothing but the shell, complete for the program `nanoctl`,
and know every command, its long and short options, and the values of `completions`
and `help`; the value of `--profile` (also `--profile=NAME`) is completed with the stored
profiles' names (`nanoctl completions --profiles`), and with nothing when none is stored;
after `exec … --`, the words are the program's command line, completed as the shell
completes one (a command of PATH, then its own arguments), never with nanoctl's options.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PROGRAM = "nanoctl"
SHELLS = ("bash", "zsh", "fish")
PROFILE_OPTION = "--profile"
RUNS_A_PROGRAM = "exec"
"""The command whose words after `--` are another program's command line."""
PROFILE_NAMES = f"{PROGRAM} completions --profiles 2>/dev/null"
"""The stored profiles' names, one a line: what `--profile` is completed with."""


@dataclass(frozen=True)
class CompletedOption:
    name: str
    shortcuts: tuple[str, ...]
    description: str
    takes_value: bool

    @property
    def spellings(self) -> list[str]:
        return [f"--{self.name}", *(f"-{short}" for short in self.shortcuts)]


@dataclass(frozen=True)
class CompletedCommand:
    name: str
    description: str
    options: tuple[CompletedOption, ...]
    values: tuple[str, ...] = ()
    """What its argument can be (the shells of `completions`, the commands of `help`)."""


@dataclass(frozen=True)
class CommandLine:
    """What there is to complete: the commands and the options every command takes."""

    commands: tuple[CompletedCommand, ...]
    global_options: tuple[CompletedOption, ...]

    def script(self, shell: str) -> str:
        return {"bash": bash, "zsh": zsh, "fish": fish}[shell](self)


def _words(words: Iterable[str]) -> str:
    return " ".join(words)


def _option_words(options: Iterable[CompletedOption]) -> str:
    return _words(spelling for option in options for spelling in option.spellings)


def _function() -> str:
    return f"_{PROGRAM}_complete"


def _valued(line: CommandLine) -> str:
    """A case pattern of the global options followed by a value (not a command name)."""
    spellings = [s for o in line.global_options if o.takes_value for s in o.spellings]
    return "|".join(spellings) or "--"


# --- bash -------------------------------------------------------------------------------


def bash(line: CommandLine) -> str:
    cases = "\n".join(
        f"        {command.name}) options='{_option_words(command.options)}';"
        f" values='{_words(command.values)}' ;;"
        for command in line.commands
    )
    return f"""\
# bash completion for {PROGRAM}; plain bash, no bash-completion package needed.
# Load it from ~/.bashrc:  eval "$({PROGRAM} completions bash)"
{_function()}() {{
    local current=${{COMP_WORDS[COMP_CWORD]}} previous=${{COMP_WORDS[COMP_CWORD-1]}}
    local command= at= options= values= index prefix=
    # `=` is a word of its own where COMP_WORDBREAKS holds it (the default):
    # `--profile=s` is `--profile` `=` `s`; elsewhere `--profile=s` is one word
    if [[ $current == = ]]; then
        current=
    elif [[ $previous == = ]]; then
        previous=${{COMP_WORDS[COMP_CWORD-2]}}
    elif [[ $current == {PROFILE_OPTION}=* ]]; then
        previous={PROFILE_OPTION} prefix={PROFILE_OPTION}= current=${{current#*=}}
    fi
    if [[ $previous == {PROFILE_OPTION} ]]; then
        compopt +o default 2>/dev/null  # no profile stored: nothing, not file names
        COMPREPLY=($(compgen -P "$prefix" -W "$({PROFILE_NAMES})" -- "$current"))
        return
    fi
    for ((index = 1; index < COMP_CWORD; index++)); do
        case ${{COMP_WORDS[index]}} in
            {_valued(line)}) ((index++)); [[ ${{COMP_WORDS[index]}} == = ]] && ((index++)) ;;
            -*|=) ;;
            *) command=${{COMP_WORDS[index]}} at=$index; break ;;
        esac
    done
    if [[ $command == {RUNS_A_PROGRAM} ]]; then
        for ((index = at + 1; index < COMP_CWORD; index++)); do
            [[ ${{COMP_WORDS[index]}} == -- ]] || continue
            # after `--`: the program's name, then its arguments (file names, as bash does)
            if ((index == COMP_CWORD - 1)) && [[ $current != */* ]]; then
                COMPREPLY=($(compgen -c -- "$current"))
            fi
            return
        done
    fi
    case $command in
        '') values='{_words(command.name for command in line.commands)}' ;;
{cases}
    esac
    if [[ $current == -* ]]; then
        COMPREPLY=($(compgen -W "$options {_option_words(line.global_options)}" -- "$current"))
    else
        COMPREPLY=($(compgen -W "$values" -- "$current"))
    fi
}}
complete -o default -F {_function()} {PROGRAM}
"""


# --- zsh --------------------------------------------------------------------------------


def _zsh_describe(word: str, description: str) -> str:
    """One ``word:description`` entry of a zsh array, single-quoted."""
    text = f"{word.replace(':', chr(92) + ':')}:{description}".replace("'", "'\\''")
    return f"'{text}'"


def _zsh_entries(pairs: Iterable[tuple[str, str]]) -> str:
    return " ".join(_zsh_describe(word, description) for word, description in pairs)


def _zsh_options(options: Iterable[CompletedOption]) -> str:
    return _zsh_entries(
        (spelling, option.description) for option in options for spelling in option.spellings
    )


def zsh(line: CommandLine) -> str:
    cases = "\n".join(
        f"        ({command.name}) options=({_zsh_options(command.options)});"
        f" values=({_words(command.values)}) ;;"
        for command in line.commands
    )
    commands = _zsh_entries((command.name, command.description) for command in line.commands)
    return f"""\
#compdef {PROGRAM}
# zsh completion for {PROGRAM}. Load it from ~/.zshrc, after compinit:
#   eval "$({PROGRAM} completions zsh)"
# or save it as _{PROGRAM} in a directory of $fpath.
{_function()}() {{
    local command at index profile
    local -a options values described
    if [[ ${{words[CURRENT]}} == {PROFILE_OPTION}=* ]]; then
        compset -P '*='  # `--profile=s`: what follows the `=` is the name
        profile=1
    elif [[ ${{words[CURRENT-1]}} == {PROFILE_OPTION} ]]; then
        profile=1
    fi
    if [[ -n $profile ]]; then
        compadd -- ${{(f)"$({PROFILE_NAMES})"}}  # none stored: nothing, not file names
        return
    fi
    for ((index = 2; index < CURRENT; index++)); do
        case ${{words[index]}} in
            ({_valued(line)}) ((index++)) ;;
            (-*) ;;
            (*) command=${{words[index]}} at=$index; break ;;
        esac
    done
    if [[ $command == {RUNS_A_PROGRAM} ]]; then
        for ((index = at + 1; index < CURRENT; index++)); do
            [[ ${{words[index]}} == -- ]] || continue
            # after `--`: the program's own command line, completed as zsh completes it
            shift $index words
            (( CURRENT -= index ))
            _normal
            return
        done
    fi
    case $command in
        ('') described=({commands}) ;;
{cases}
    esac
    if [[ ${{words[CURRENT]}} == -* ]]; then
        options+=({_zsh_options(line.global_options)})
        _describe -t options option options
    elif (( ${{#described}} )); then
        _describe -t commands command described
    elif (( ${{#values}} )); then
        compadd -- $values
    else
        _files
    fi
}}
if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
    {_function()} "$@"
else
    compdef {_function()} {PROGRAM}
fi
"""


# --- fish -------------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_PATH_NAMES = ("-file", "-path", "-dir", "input")
"""Options whose value is a path (`--token-file`, `api --input`): completed with file names."""


def _fish_option(option: CompletedOption, condition: str | None) -> str:
    parts = ["complete", "-c", PROGRAM]
    if condition:
        parts += ["-n", _fish_quote(condition)]
    parts += ["-l", option.name]
    for short in option.shortcuts:
        # fish takes one-letter short options (-s) and longer "old-style" ones (-o).
        parts += ["-s" if len(short) == 1 else "-o", short]
    if option.takes_value:
        # A value follows; only a path's is completed with file names.
        parts += ["-r", "-F"] if option.name.endswith(_PATH_NAMES) else ["-x"]
    if f"--{option.name}" == PROFILE_OPTION:
        parts += ["-a", _fish_quote(f"({PROFILE_NAMES})")]
    parts += ["-d", _fish_quote(option.description)]
    return " ".join(parts)


def _fish_program_line() -> list[str]:
    """After `exec … --`: the program's command line, completed as fish completes it."""
    words = f"__{PROGRAM}_program_words"
    return [
        f"function {words} -d 'The words after `{RUNS_A_PROGRAM} --`, if the cursor is there'",
        "    set -l tokens (commandline -opc)",
        "    set -l separator (contains -i -- -- $tokens); or return 1",
        f"    contains -- {RUNS_A_PROGRAM} $tokens[1..$separator]; or return 1",
        "    set -e tokens[1..$separator]",
        "    printf '%s\\n' $tokens",
        "end",
        f"complete -c {PROGRAM} -n '{words} >/dev/null' -x "
        f"-a '(complete -C (string join \\  -- ({words}) (commandline -ct)))'",
    ]


def fish(line: CommandLine) -> str:
    seen = f"__fish_seen_subcommand_from {_words(command.name for command in line.commands)}"
    lines = [
        f"# fish completion for {PROGRAM}. Load it: {PROGRAM} completions fish | source",
        f"# or save it as ~/.config/fish/completions/{PROGRAM}.fish",
        f"complete -c {PROGRAM} -f",
        *_fish_program_line(),
        *(_fish_option(option, None) for option in line.global_options),
    ]
    for command in line.commands:
        lines.append(
            f"complete -c {PROGRAM} -n {_fish_quote(f'not {seen}')} -a {command.name} "
            f"-d {_fish_quote(command.description)}"
        )
        condition = f"__fish_seen_subcommand_from {command.name}"
        lines.extend(_fish_option(option, condition) for option in command.options)
        if command.values:
            lines.append(
                f"complete -c {PROGRAM} -n {_fish_quote(condition)} "
                f"-a {_fish_quote(_words(command.values))}"
            )
    return "\n".join(lines) + "\n"


def option(name: str, shortcut: str | None, description: str, takes_value: bool) -> CompletedOption:
    """An option as cleo declares it (``shortcut`` like ``v|vv|vvv``)."""
    shortcuts: Sequence[str] = [s for s in (shortcut or "").split("|") if s]
    return CompletedOption(name, tuple(shortcuts), description, takes_value)
