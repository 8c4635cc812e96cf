"""`nanoctl token` and `nanoctl exec` through cleo's ApplicationTester on fakes: what is
printed or handed to the program, the refusals, and the exit codes."""

from __future__ import annotations

import json

import pytest

from nanoctl.domain.errors import CommandNotExecutable, CommandNotFound
from nanoctl.domain.model import Identity
from tests.unit.builders import NOW, credential
from tests.unit.cli_world import API, Cli

NOT_LOGGED_IN = "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN.\n"


# --- token -----------------------------------------------------------------------------


def test_token_prints_the_stored_token_and_a_newline_and_asks_no_api(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    assert cli.run("token") == (0, "good-token-0001\n", "")
    assert cli.validator.seen == []


def test_token_header_prints_an_authorization_line(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "env-token-0001"
    assert cli.run("token --header") == (0, "Authorization: Bearer env-token-0001\n", "")


def test_token_is_printed_with_quiet_too(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "env-token-0001"
    assert cli.run("token -q") == (0, "env-token-0001\n", "")


def test_token_refuses_a_terminal_unless_reveal(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    cli.stdout_is_a_terminal()
    code, out, err = cli.run("token")
    assert (code, out) == (2, "")
    assert err.startswith("Error: Refusing to print the token on a terminal")
    assert cli.run("token --reveal") == (0, "good-token-0001\n", "")


def test_token_refuses_json_even_before_a_terminal(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    cli.stdout_is_a_terminal()
    code, out, err = cli.run("token --json --reveal")
    assert (code, out) == (2, "")
    assert json.loads(err)["error"]["code"] == 2
    assert "good-token-0001" not in err


def test_token_not_logged_in_is_exit_1(cli: Cli) -> None:
    assert cli.run("token") == (1, "", NOT_LOGGED_IN)


def test_token_of_an_expired_credential_is_exit_3(cli: Cli) -> None:
    cli.store.credential = credential(
        "good-token-0001", identity=Identity("ada", NOW.replace(year=2025))
    )
    code, out, err = cli.run("token")
    assert (code, out) == (3, "")
    assert err == (
        "Error: The stored token for ada expired on 2025-11-28. Create a new token on "
        "https://atomic.deskree.com/auth/access/token and run `nanoctl login` to replace the "
        "stored one.\n"
    )


def test_token_warns_on_stderr_when_it_expires_soon(cli: Cli) -> None:
    cli.store.credential = credential(
        "soon-token-0001", identity=Identity("ada", NOW.replace(day=30))
    )
    code, out, err = cli.run("token")
    assert (code, out) == (0, "soon-token-0001\n")
    assert err.startswith("Warning: the token expires 2026-11-30 (in 2 days).")


def test_token_verbose_lines_go_to_stderr_only(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "env-token-0001"
    assert cli.run("token -v") == (
        0,
        "env-token-0001\n",
        f"nanoctl: API URL: {API} (from --api-url)\nnanoctl: token source: NANOSERVICES_TOKEN\n",
    )


# --- exec ------------------------------------------------------------------------------------


def test_exec_hands_the_current_credential_and_the_command_verbatim_to_the_runner(
    cli: Cli,
) -> None:
    cli.store.credential = credential("good-token-0001")
    cli.runner.status = 7
    code, out, err = cli.run("exec -- deploy --prod -v --json --token x -- --help")
    assert (code, out, err) == (7, "", "")
    [(command, handed)] = cli.runner.runs
    assert command == ["deploy", "--prod", "-v", "--json", "--token", "x", "--", "--help"]
    assert handed.token.reveal() == "good-token-0001"
    assert handed.api_url.value == API
    assert cli.validator.seen == []


@pytest.mark.parametrize(
    ("options", "variable", "want"),
    [
        ("", None, "not_at_terminal"),
        ("--mask ", None, "always"),
        ("--no-mask ", None, "off"),
        ("", "1", "always"),
        ("", "0", "off"),
        ("--mask ", "0", "always"),
        ("--no-mask ", "1", "off"),
    ],
)
def test_exec_hands_the_runner_where_to_mask_the_output(
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    options: str,
    variable: str | None,
    want: str,
) -> None:
    if variable is not None:
        monkeypatch.setenv("NANOCTL_MASK", variable)
    cli.store.credential = credential("good-token-0001")
    assert cli.run(f"exec {options}-- deploy --mask") == (0, "", "")
    assert cli.runner.maskings == [want]
    assert cli.runner.runs[0][0] == ["deploy", "--mask"]  # after `--`: the program's own


def test_exec_with_both_mask_options_runs_nothing(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001")
    code, out, err = cli.run("exec --mask --no-mask -- deploy")
    assert (code, out) == (2, "")
    assert err.startswith("Error: Both --mask and --no-mask are given;")
    assert cli.runner.runs == []


def test_exec_without_a_credential_runs_nothing(cli: Cli) -> None:
    assert cli.run("exec -- deploy") == (1, "", NOT_LOGGED_IN)
    assert cli.runner.runs == []


def test_exec_check_validates_first_and_hands_over_the_fresh_identity(cli: Cli) -> None:
    cli.store.credential = credential("good-token-0001", identity=Identity())
    code, _, _ = cli.run("exec --check -- deploy")
    assert code == 0
    assert cli.validator.seen == [("good-token-0001", API)]
    [(_, handed)] = cli.runner.runs
    assert handed.identity.username == "ada"


@pytest.mark.parametrize(
    ("token", "want_code"),
    [("wrong-token-0001", 3), ("down-token-0001", 4)],
    ids=["rejected", "api down"],
)
def test_exec_check_stops_before_running(cli: Cli, token: str, want_code: int) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = token
    code, out, _ = cli.run("exec --check -- deploy")
    assert (code, out) == (want_code, "")
    assert cli.runner.runs == []


@pytest.mark.parametrize(
    ("error", "want_code", "want_line"),
    [
        pytest.param(
            CommandNotFound("deploy"),
            127,
            "Error: Command not found: deploy. Check its name and PATH, or give its path "
            "(`nanoctl exec -- ./script …`).",
            id="not found",
        ),
        pytest.param(
            CommandNotExecutable("./deploy", 8),
            126,
            "Error: Cannot run ./deploy: it is not in an executable format. Check that it is "
            "an executable file (`chmod +x` a script of yours), or run it through its "
            "interpreter (`nanoctl exec -- sh script`).",
            id="exec format",
        ),
    ],
)
def test_exec_a_program_that_does_not_start_is_one_line_with_a_shells_code(
    cli: Cli, error: Exception, want_code: int, want_line: str
) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "env-token-0001"
    cli.runner.error = error
    assert cli.run("exec -- deploy") == (want_code, "", f"{want_line}\n")


def test_exec_verbose_names_the_source_and_the_program_not_its_arguments(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "env-token-0001"
    _, _, err = cli.run("exec -v -- deploy --secret-flag")
    assert err.splitlines() == [
        f"nanoctl: API URL: {API} (from --api-url)",
        "nanoctl: token source: NANOSERVICES_TOKEN",
        "nanoctl: running deploy with the token in NANOSERVICES_TOKEN",
    ]


# --- -v names the token's source once (#10), the stored credential included ----------------


@pytest.mark.parametrize(
    ("args", "want_after"),
    [
        ("token -v", []),
        ("exec -v -- deploy", ["nanoctl: running deploy with the token in NANOSERVICES_TOKEN"]),
        (
            "exec --check -v -- deploy",
            ["nanoctl: running deploy with the token in NANOSERVICES_TOKEN"],
        ),
    ],
    ids=["token", "exec", "exec --check"],
)
def test_verbose_names_the_stored_credential_as_the_source_once(
    cli: Cli, args: str, want_after: list[str]
) -> None:
    cli.store.credential = credential("good-token-0001")
    code, _, err = cli.run(args)
    assert code == 0
    assert err.splitlines() == [
        f"nanoctl: API URL: {API} (from --api-url)",
        "nanoctl: token source: the stored credential",
        *want_after,
    ]


def test_exec_check_names_the_rejected_environment_token(cli: Cli) -> None:
    cli.environ["NANOSERVICES_TOKEN"] = "wrong-token-0001"
    code, out, err = cli.run("exec --check -- deploy")
    assert (code, out) == (3, "")
    assert err == (
        "Error: The API rejected the token in NANOSERVICES_TOKEN as invalid. Create a new token "
        "on https://atomic.deskree.com/auth/access/token and update NANOSERVICES_TOKEN, or "
        "unset it.\n"
    )
    assert cli.runner.runs == []
