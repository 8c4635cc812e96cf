"""The suite passes when a coding agent runs it (#25): a sample of it runs in a pytest of its
own whose environment carries every variable that turns agent mode on. The sample is made
of the tests agent mode would break if an agent's variable reached nanoctl: `token` printing
on a pipe and at a terminal with --reveal, the prompt and the replace question at a
terminal, `exec` leaving a terminal to its program, colours and wrapping at a terminal, the
environment login's note, `"agent": false` in `status --json`; through both harnesses, in a
process, in a pty and in-process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import reference_server as api
from nanoctl.entrypoints.agent import AGENT_ENV, AGENT_VARIABLES
from tests.integration.cli_harness import NANOCTL

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (
    "tests/integration/test_token_command.py",
    "tests/integration/test_prompt_pty.py::test_login_prompts_with_the_documented_line_hides_the_token_and_stores_it_privately",
    "tests/integration/test_prompt_pty.py::test_a_second_login_asks_before_replacing_and_enter_keeps_the_credential",
    "tests/integration/test_prompt_pty.py::test_an_environment_login_at_a_terminal_says_the_token_was_used_not_stored",
    "tests/integration/test_prompt_pty.py::test_without_no_color_the_error_line_is_red_on_a_terminal",
    "tests/integration/test_prompt_pty.py::test_long_lines_are_wrapped_at_words_to_the_terminal_width",
    "tests/integration/test_exec_masking.py::test_a_terminal_gets_the_program_itself_unmasked_and_unbuffered",
    "tests/integration/test_json_output.py::test_status_json_of_a_stored_credential_has_the_documented_keys_and_types",
    "tests/integration/test_legacy_offer_pty.py::test_accepting_the_offer_imports_the_token_and_destroys_the_file",
    "tests/unit/test_token_and_exec_commands.py",
)
AN_AGENT = {**dict.fromkeys(AGENT_VARIABLES, "1"), AGENT_ENV: "1"}


def test_these_variables_would_put_nanoctl_in_agent_mode() -> None:
    """The control: given to nanoctl itself, they make `token` refuse."""
    done = subprocess.run(
        [str(NANOCTL), "token"],
        env={**os.environ, **AN_AGENT, "NANOSERVICES_TOKEN": api.VALID},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "agent mode" in done.stderr


def test_a_sample_of_the_suite_passes_when_an_agent_runs_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "0",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "run"),
            *SAMPLE,
        ],
        cwd=ROOT,
        env={**os.environ, **AN_AGENT},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Only the summary line: the sample's own output is echoed tokens and all, and checked
    # inside its own run.
    code = done.returncode
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert code == 0, summary
    counts = dict((word, int(n)) for n, word in re.findall(r"(\d+) (\w+)", summary))
    assert counts.get("passed", 0) >= 30, summary
    assert set(counts) <= {"passed", "in"}, summary  # nothing skipped, failed or errored
