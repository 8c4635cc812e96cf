"""The completion fixes of #23, typed at a real terminal: bash and zsh run interactively in a
pty, the script loaded as the README says, and Tab is pressed; what the line became is
then echoed (Ctrl-A `echo @@`, Ctrl-E `@@`, Enter), so the test reads what a user would
see. fish completes through its own engine (`complete -C`).

- `--profile=s<Tab>` completes a profile, not a command (`--profile=status`);
- after `exec --`, the program's name is a command of PATH, and its arguments are not
  nanoctl's options;
- with no profile stored, `--profile <Tab>` offers nothing, not file names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pexpect
import pytest

from tests.integration.cli_harness import NANOCTL, environment
from tests.integration.test_completions import fish_completes, shell_path, stored_profiles

ECHOED = re.compile(r"\n<<(.*)>>\r?\n")
"""What `echo "<<"LINE">>"` prints: the line, its words one space apart (the prompt and
the keys echoed before it are on lines of their own)."""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding one file, which a fallback to file names would offer."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "afile.txt").write_text("not a profile\n")
    return work


def typed(shell: str, workdir: Path, keys: str) -> str:
    """The command line ``keys`` became in an interactive ``shell`` after its Tabs (its
    trailing space aside)."""
    if shell == "bash":
        argv = [shell_path("bash"), "--norc", "--noprofile", "-i"]
        setup = 'eval "$(nanoctl completions bash)"'
    else:
        argv = [shell_path("zsh"), "-f", "-i"]
        setup = (
            f'autoload -Uz compinit && compinit -u -d "{workdir.parent}/.zcompdump"; '
            'bindkey -e; eval "$(nanoctl completions zsh)"'
        )
    env = environment({"PATH": f"{NANOCTL.parent}:/usr/bin:/bin", "PS1": "$ ", "TERM": "dumb"})
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, cwd=str(workdir), encoding="utf-8", timeout=30
    )
    try:
        child.sendline(f"{setup}; echo READY")
        child.expect_exact("READY\r\n")
        child.send(keys)
        child.send('\x01echo "<<"\x05">>"\r')
        child.expect(ECHOED)
        # zsh takes back the space it added after a completed word when the next key is
        # not one of a word (Ctrl-A): the words are what is compared
        return str(child.match.group(1)).rstrip()
    finally:
        child.sendline("exit")
        child.close(force=True)


SHELLS = ["bash", "zsh"]


@pytest.mark.parametrize("shell", SHELLS)
def test_profile_equals_completes_a_profile_not_a_command(shell: str, workdir: Path) -> None:
    stored_profiles("staging", "dev")

    assert typed(shell, workdir, "nanoctl --profile=s\t") == "nanoctl --profile=staging"
    assert typed(shell, workdir, "nanoctl --profile s\t") == "nanoctl --profile staging"


@pytest.mark.parametrize("shell", SHELLS)
def test_with_no_profile_stored_profile_offers_nothing_not_files(shell: str, workdir: Path) -> None:
    assert typed(shell, workdir, "nanoctl --profile \t") == "nanoctl --profile"
    assert typed(shell, workdir, "nanoctl --profile=\t") == "nanoctl --profile="


@pytest.mark.parametrize("shell", SHELLS)
def test_after_exec_and_the_separator_a_command_of_path_is_completed(
    shell: str, workdir: Path
) -> None:
    assert typed(shell, workdir, "nanoctl exec -- nanoct\t") == "nanoctl exec -- nanoctl"


@pytest.mark.parametrize("shell", SHELLS)
def test_after_the_program_nanoctls_options_are_not_offered(shell: str, workdir: Path) -> None:
    """Was: `--ch<Tab>` became nanoctl's `--check`; now the program's own completion (or
    file names) decides, and here nothing matches."""
    assert typed(shell, workdir, "nanoctl exec -- true --ch\t") == "nanoctl exec -- true --ch"
    assert typed(shell, workdir, "nanoctl exec -- cat afi\t") == "nanoctl exec -- cat afile.txt"


@pytest.mark.parametrize("shell", SHELLS)
def test_the_rest_still_completes(shell: str, workdir: Path) -> None:
    """Guards the guard: the same keys complete where they should."""
    stored_profiles("dev")

    assert typed(shell, workdir, "nanoctl --profile=dev sta\t") == "nanoctl --profile=dev status"
    assert typed(shell, workdir, "nanoctl exec --ch\t") == "nanoctl exec --check"


# --- fish --------------------------------------------------------------------------------------


def test_fish_completes_the_profile_after_the_equals_sign() -> None:
    stored_profiles("staging", "dev")

    assert fish_completes("nanoctl --profile=s") == ["--profile=staging"]


def test_fish_offers_nothing_for_a_profile_when_none_is_stored(workdir: Path) -> None:
    assert fish_completes("nanoctl --profile ") == []
    assert fish_completes("nanoctl --profile=") == []


def test_fish_completes_a_command_after_exec_and_the_separator() -> None:
    offered = fish_completes("nanoctl exec -- nanoct")

    assert "nanoctl" in offered
    assert not any(word.startswith("-") for word in offered)
    assert "--check" not in fish_completes("nanoctl exec --check -- true --")
