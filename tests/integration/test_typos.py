"""A mistyped command or option: the installed `nanoctl` says what does not exist, what
the user probably meant, and the help page of the real command; a word that could be a
pasted token is never repeated."""

from __future__ import annotations

import pytest

from tests.integration.cli_harness import one_line
from tests.integration.in_process import run_nanoctl

PASTED = "nano_pasted_Kp4Wz8Qm2"


@pytest.mark.parametrize(
    ("args", "want"),
    [
        pytest.param(
            ["logn"],
            'The command "logn" does not exist. Did you mean `login`? '
            "Run `nanoctl login --help` for usage.",
            id="logn",
        ),
        pytest.param(
            ["whoami2"],
            'The command "whoami2" does not exist. Did you mean `whoami`? '
            "Run `nanoctl whoami --help` for usage.",
            id="a digit",
        ),
        pytest.param(
            ["Status"],
            'The command "Status" does not exist. Did you mean `status`? '
            "Run `nanoctl status --help` for usage.",
            id="a capital",
        ),
        pytest.param(
            ["help", "logn"],
            'The command "logn" does not exist. Did you mean `login`? '
            "Run `nanoctl login --help` for usage.",
            id="help logn",
        ),
        pytest.param(
            ["xyzzy"],
            'The command "xyzzy" does not exist. Run `nanoctl --help` to see the commands.',
            id="nothing close",
        ),
        pytest.param(
            ["status", "--json2"],
            'The option "--json2" does not exist. Did you mean `--json`? '
            "Run `nanoctl status --help` for usage.",
            id="--json2",
        ),
        pytest.param(
            ["status", "--Json"],
            'The option "--Json" does not exist. Did you mean `--json`? '
            "Run `nanoctl status --help` for usage.",
            id="--Json",
        ),
        pytest.param(
            ["login", "--tokn", "-"],
            'The option "--tokn" does not exist. Did you mean `--token`? '
            "Run `nanoctl login --help` for usage.",
            id="--tokn",
        ),
        pytest.param(
            ["tokn"],
            'The command "tokn" does not exist. Did you mean `token`? '
            "Run `nanoctl token --help` for usage.",
            id="tokn",
        ),
        pytest.param(
            ["exe", "--", "true"],
            'The command "exe" does not exist. Did you mean `exec`? '
            "Run `nanoctl exec --help` for usage.",
            id="exe",
        ),
        pytest.param(
            ["token", "--heder"],
            'The option "--heder" does not exist. Did you mean `--header`? '
            "Run `nanoctl token --help` for usage.",
            id="token --heder",
        ),
        pytest.param(
            ["token", "--reveel"],
            'The option "--reveel" does not exist. Did you mean `--reveal`? '
            "Run `nanoctl token --help` for usage.",
            id="token --reveel",
        ),
        pytest.param(
            ["exec", "--chek", "--", "true"],
            'The option "--chek" does not exist. Did you mean `--check`? '
            "Run `nanoctl exec --help` for usage.",
            id="exec --chek",
        ),
        pytest.param(
            ["login", "--token-fil", "/run/secrets/token"],
            'The option "--token-fil" does not exist. Did you mean `--token-file`? '
            "Run `nanoctl login --help` for usage.",
            id="login --token-fil",
        ),
        pytest.param(
            ["--verbos"],
            'The option "--verbos" does not exist. Did you mean `--verbose`? '
            "Run `nanoctl --help` for usage.",
            id="a global option, no command",
        ),
        pytest.param(
            [PASTED],
            "The command (value not shown) does not exist. "
            "Run `nanoctl --help` to see the commands.",
            id="a pasted token as the command",
        ),
        pytest.param(
            ["login", f"--{PASTED}"],
            "The option (value not shown) does not exist. Run `nanoctl login --help` for usage.",
            id="a pasted token as an option",
        ),
    ],
)
def test_a_typo_names_what_was_meant_and_the_real_help_page(args: list[str], want: str) -> None:
    result = run_nanoctl(*args, secrets=[PASTED])

    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == f"Error: {want}"
