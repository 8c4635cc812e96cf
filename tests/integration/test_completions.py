"""`nanoctl completions bash|zsh|fish`, loaded into the real shells: each completes the
commands, their long and short options, the global options and the shells of
`completions` itself, with nothing but the shell (bash needs no bash-completion package).
An unknown shell is a usage error naming the three.

bash runs its completion function as readline would (COMP_WORDS, COMP_CWORD); fish answers
`complete -C`; zsh runs the completion function with its reporting builtins (_describe,
compadd, _files) replaced by ones that print what they were given, since zsh completes only
inside a line editor. The shells come from scripts/system-deps.sh.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.cli_harness import NANOCTL, environment
from tests.integration.in_process import run_nanoctl

API_OPTIONS = {"--api-url", "--method", "-X", "--header", "-H", "--field", "-f", "--input"}
API_OPTIONS |= {"--include", "-i", "--silent"}
COMMANDS = ["api", "completions", "exec", "help", "login", "logout", "status", "token", "whoami"]
GLOBAL_SHORT = ["-h", "-q", "-V", "-n", "-v", "-vv", "-vvv"]
SHELL_NAMES = ["bash", "zsh", "fish"]
NEXT = (
    "Name one: `nanoctl completions bash`, `nanoctl completions zsh` or `nanoctl completions fish`."
)


def shell_path(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run scripts/system-deps.sh as root (or install {name})")
    return path


def run_shell(argv: list[str], script: str, *, interactive: bool = False) -> list[str]:
    """What ``script`` printed in the shell ``argv``, which must not complain (an
    interactive bash without a terminal does warn about job control)."""
    env = environment({"PATH": f"{NANOCTL.parent}:/usr/bin:/bin"})
    done = subprocess.run(
        [*argv, script], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    if not interactive:
        assert done.stderr == ""
    return done.stdout.splitlines()


# --- bash ----------------------------------------------------------------------------------

BASH = """
eval "$(nanoctl completions bash)"
type _get_comp_words_by_ref >/dev/null 2>&1 && echo "bash-completion is loaded" >&2
complete -p nanoctl
complete_words() {
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
    _nanoctl_complete
    echo "${COMPREPLY[*]}"
}
"""


@pytest.mark.parametrize(
    ("words", "want"),
    [
        pytest.param(["nanoctl", ""], COMMANDS, id="a command"),
        pytest.param(["nanoctl", "lo"], ["login", "logout"], id="lo"),
        pytest.param(["nanoctl", "-v", "st"], ["status"], id="after a global option"),
        pytest.param(["nanoctl", "completions", ""], SHELL_NAMES, id="completions' shells"),
        pytest.param(["nanoctl", "help", "who"], ["whoami"], id="help's commands"),
        pytest.param(["nanoctl", "login", "--t"], ["--token", "--token-file"], id="a long option"),
        pytest.param(["nanoctl", "login", "-t"], ["-t"], id="a short option"),
        pytest.param(["nanoctl", "status", "--of"], ["--offline"], id="status' option"),
        pytest.param(["nanoctl", "logout", "-q"], ["-q"], id="a global short option"),
        pytest.param(["nanoctl", "-V"], ["-V"], id="before a command"),
    ],
)
def test_bash_completes_commands_options_and_values(words: list[str], want: list[str]) -> None:
    call = " ".join(f"'{word}'" for word in words)
    lines = run_shell(
        [shell_path("bash"), "--norc", "--noprofile", "-c"], f"{BASH}\n complete_words {call}"
    )

    assert lines[0] == "complete -o default -F _nanoctl_complete nanoctl"
    assert lines[1].split() == want


def test_bash_offers_every_option_of_login_and_the_global_ones() -> None:
    lines = run_shell(
        [shell_path("bash"), "--norc", "--noprofile", "-c"],
        f"{BASH}\ncomplete_words nanoctl login -",
    )

    offered = lines[1].split()
    assert {"--token", "-t", "--api-url", "--json", *GLOBAL_SHORT} <= set(offered)
    assert "--offline" not in offered


@pytest.mark.parametrize(
    ("command", "want"),
    [
        pytest.param("token", {"--api-url", "--header", "--json", "--reveal"}, id="token"),
        pytest.param("exec", {"--api-url", "--check", "--mask", "--no-mask"}, id="exec"),
        pytest.param(
            "api",
            API_OPTIONS,
            id="api",
        ),
        pytest.param(
            "login",
            {"--api-url", "--json", "--token", "-t", "--token-file", "--import-legacy"},
            id="login",
        ),
    ],
)
def test_bash_completes_the_own_options_of_token_exec_login_and_api(
    command: str, want: set[str]
) -> None:
    lines = run_shell(
        [shell_path("bash"), "--norc", "--noprofile", "-c"],
        f"{BASH}\ncomplete_words nanoctl {command} -\ncomplete_words nanoctl -",
    )

    offered, global_options = set(lines[1].split()), set(lines[2].split())
    assert set(GLOBAL_SHORT) <= global_options
    assert offered - global_options == want


@pytest.mark.parametrize("shell", SHELL_NAMES)
def test_completions_are_printed_for_every_shell_and_know_the_commands(shell: str) -> None:
    result = run_nanoctl("completions", shell)

    assert result.exit_code == 0
    assert result.stderr == ""
    for command in ("login", "logout", "status", "token", "exec", "api"):
        assert command in result.stdout
    for option in ("--token-file", "--header", "--reveal", "--check", "--silent", "--include"):
        assert option.removeprefix("--" if shell == "fish" else "") in result.stdout


def test_the_readme_line_in_bashrc_loads_completion_in_a_fresh_interactive_bash(
    tmp_path: Path,
) -> None:
    bashrc = tmp_path / "bashrc"
    bashrc.write_text('eval "$(nanoctl completions bash)"\n', encoding="utf-8")

    lines = run_shell(
        [shell_path("bash"), "--noprofile", "--rcfile", str(bashrc), "-i", "-c"],
        "complete -p nanoctl",
        interactive=True,
    )

    assert lines == ["complete -o default -F _nanoctl_complete nanoctl"]


# --- zsh -----------------------------------------------------------------------------------

ZSH = """
autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"
eval "$(nanoctl completions zsh)"
print -r -- "registered: $_comps[nanoctl]"
_describe() { local entry; for entry in ${(P)4}; do print -r -- ${entry%%:*}; done }
compadd() { shift; print -rl -- "$@" }
_files() { print -r -- "(files)" }
complete_words() { words=("$@"); CURRENT=$#; _nanoctl_complete }
"""


@pytest.mark.parametrize(
    ("words", "want"),
    [
        pytest.param(["nanoctl", ""], COMMANDS, id="a command"),
        pytest.param(["nanoctl", "completions", ""], SHELL_NAMES, id="completions' shells"),
        pytest.param(["nanoctl", "-v", "help", ""], COMMANDS, id="help's commands"),
        pytest.param(["nanoctl", "login", ""], ["(files)"], id="no value: files"),
    ],
)
def test_zsh_completes_commands_and_values(
    words: list[str], want: list[str], tmp_path: Path
) -> None:
    call = " ".join(f"'{word}'" for word in words)
    lines = run_shell(
        [shell_path("zsh"), "-f", "-c"], f"cd {tmp_path}\n{ZSH}\ncomplete_words {call}"
    )

    assert lines[0] == "registered: _nanoctl_complete"
    assert lines[1:] == want


def test_zsh_offers_the_long_and_short_options_of_a_command_and_the_global_ones(
    tmp_path: Path,
) -> None:
    lines = run_shell(
        [shell_path("zsh"), "-f", "-c"], f"cd {tmp_path}\n{ZSH}\ncomplete_words nanoctl login -"
    )

    assert {"--token", "-t", "--api-url", "--json", "--help", *GLOBAL_SHORT} <= set(lines[1:])
    assert "--offline" not in lines


@pytest.mark.parametrize(
    ("command", "want"),
    [
        pytest.param("token", {"--header", "--reveal", "--api-url", "--json"}, id="token"),
        pytest.param("exec", {"--check", "--api-url"}, id="exec"),
        pytest.param("login", {"--token-file"}, id="login"),
        pytest.param(
            "api",
            API_OPTIONS,
            id="api",
        ),
    ],
)
def test_zsh_offers_the_options_of_token_exec_login_and_api(
    command: str, want: set[str], tmp_path: Path
) -> None:
    lines = run_shell(
        [shell_path("zsh"), "-f", "-c"],
        f"cd {tmp_path}\n{ZSH}\ncomplete_words nanoctl {command} -",
    )

    assert want <= set(lines[1:])
    assert ("--check" in lines) == (command == "exec")


def test_zsh_finds_the_script_saved_in_fpath(tmp_path: Path) -> None:
    functions = tmp_path / "functions"
    functions.mkdir()
    saved = run_nanoctl("completions", "zsh")
    (functions / "_nanoctl").write_text(saved.stdout, encoding="utf-8")

    lines = run_shell(
        [shell_path("zsh"), "-f", "-c"],
        f"cd {tmp_path}\nfpath=({functions} $fpath)\n"
        'autoload -Uz compinit && compinit -u -d "$PWD/.zcompdump"\n'
        "print -r -- $_comps[nanoctl]",
    )

    assert lines == ["_nanoctl"]


# --- fish ----------------------------------------------------------------------------------


def fish_completes(line: str) -> list[str]:
    lines = run_shell(
        [shell_path("fish"), "--no-config", "-c"],
        f"nanoctl completions fish | source; complete -C {line!r}",
    )
    return [entry.split("\t")[0] for entry in lines]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        pytest.param("nanoctl ", COMMANDS, id="a command"),
        pytest.param("nanoctl lo", ["login", "logout"], id="lo"),
        pytest.param("nanoctl completions ", SHELL_NAMES, id="completions' shells"),
        pytest.param("nanoctl status --of", ["--offline"], id="status' option"),
    ],
)
def test_fish_completes_commands_options_and_values(line: str, want: list[str]) -> None:
    assert sorted(fish_completes(line)) == sorted(want)


def test_fish_offers_the_long_and_short_options_of_a_command_and_the_global_ones() -> None:
    offered = set(fish_completes("nanoctl login -"))

    assert {"--token", "-t", "--api-url", "--json", "-h", "-q", "-V", "-n", "-v"} <= offered
    assert "--offline" not in offered


@pytest.mark.parametrize(
    ("line", "want"),
    [
        pytest.param("nanoctl token --", {"--header", "--reveal", "--api-url"}, id="token"),
        pytest.param("nanoctl exec --", {"--check", "--api-url"}, id="exec"),
        pytest.param("nanoctl login --token", {"--token", "--token-file"}, id="login"),
        pytest.param(
            "nanoctl api --",
            {"--method", "--header", "--field", "--input", "--include", "--silent", "--api-url"},
            id="api",
        ),
    ],
)
def test_fish_offers_the_options_of_token_exec_login_and_api(line: str, want: set[str]) -> None:
    offered = set(fish_completes(line))

    assert want <= offered
    assert ("--check" in offered) == line.startswith("nanoctl exec")


# --- shells nanoctl has no script for ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "want"),
    [
        pytest.param(
            ["powershell"],
            {},
            "nanoctl has completion scripts for bash, zsh and fish, not powershell.",
            id="powershell",
        ),
        pytest.param(
            [],
            {"SHELL": "/bin/tcsh"},
            "SHELL names tcsh, which has no completion script "
            "(nanoctl has completion scripts for bash, zsh and fish).",
            id="$SHELL tcsh",
        ),
        pytest.param(
            [],
            {"SHELL": None},
            "No shell given and SHELL is not set; "
            "nanoctl has completion scripts for bash, zsh and fish.",
            id="no $SHELL",
        ),
        pytest.param(
            ["nano_pasted_Hq7Vn3Lc5x"],
            {},
            "nanoctl has completion scripts for bash, zsh and fish only.",
            id="a token pasted in place of the shell",
        ),
    ],
)
def test_a_shell_without_a_script_is_a_usage_error_naming_the_three(
    args: list[str], env: dict[str, str | None], want: str
) -> None:
    result = run_nanoctl("completions", *args, env=env, secrets=["nano_pasted_Hq7Vn3Lc5x"])

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr_lines == [f"Error: {want} {NEXT}"]


@pytest.mark.parametrize("shell", SHELL_NAMES)
def test_the_shell_comes_from_shell_when_not_named(shell: str) -> None:
    named = run_nanoctl("completions", shell)
    guessed = run_nanoctl("completions", env={"SHELL": f"/usr/bin/{shell}"})

    assert (guessed.exit_code, guessed.stderr) == (0, "")
    assert guessed.stdout == named.stdout


# --- --profile's value: the stored profiles (#12) ----------------------------------------------


def stored_profiles(*names: str) -> None:
    """Profiles as `completions --profiles` finds them: a credential file in each directory."""
    config = Path(environment()["NANOCTL_CONFIG_DIR"])
    for name in names:
        directory = config if name == "default" else config / "profiles" / name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "credentials.json").write_text("{}", encoding="utf-8")


def test_completions_profiles_prints_the_stored_profiles() -> None:
    stored_profiles("staging", "default", "dev")

    result = run_nanoctl("completions", "--profiles")

    assert (result.exit_code, result.stdout, result.stderr) == (0, "default\ndev\nstaging\n", "")


@pytest.mark.parametrize(
    ("words", "want"),
    [
        pytest.param(["nanoctl", "--profile", ""], ["dev", "staging"], id="its value"),
        pytest.param(["nanoctl", "--profile", "s"], ["staging"], id="a started value"),
        pytest.param(["nanoctl", "--profile", "dev", "st"], ["status"], id="then the command"),
        pytest.param(
            ["nanoctl", "--profile", "dev", "status", "--al"], ["--all"], id="then its options"
        ),
    ],
)
def test_bash_completes_the_profile_with_the_stored_ones(words: list[str], want: list[str]) -> None:
    stored_profiles("staging", "dev")
    call = " ".join(f"'{word}'" for word in words)

    lines = run_shell(
        [shell_path("bash"), "--norc", "--noprofile", "-c"], f"{BASH}\n complete_words {call}"
    )

    assert lines[1].split() == want


@pytest.mark.parametrize(
    ("words", "want"),
    [
        pytest.param(["nanoctl", "--profile", ""], ["dev", "staging"], id="its value"),
        pytest.param(["nanoctl", "--profile", "dev", ""], COMMANDS, id="then the command"),
    ],
)
def test_zsh_completes_the_profile_with_the_stored_ones(
    words: list[str], want: list[str], tmp_path: Path
) -> None:
    stored_profiles("staging", "dev")
    call = " ".join(f"'{word}'" for word in words)

    lines = run_shell(
        [shell_path("zsh"), "-f", "-c"], f"cd {tmp_path}\n{ZSH}\ncomplete_words {call}"
    )

    assert lines[1:] == want


def test_fish_completes_the_profile_with_the_stored_ones() -> None:
    stored_profiles("staging", "dev")

    assert sorted(fish_completes("nanoctl --profile ")) == ["dev", "staging"]


def test_fish_completes_file_names_after_input_and_none_after_method(tmp_path: Path) -> None:
    (tmp_path / "body.json").write_text("{}")
    lines = run_shell(
        [shell_path("fish"), "--no-config", "-c"],
        f"cd {str(tmp_path)!r}; nanoctl completions fish | source; "
        "complete -C 'nanoctl api --input b'; echo END; complete -C 'nanoctl api --method b'",
    )
    at = lines.index("END")
    assert [entry.split("\t")[0] for entry in lines[:at]] == ["body.json"]
    assert lines[at + 1 :] == []
