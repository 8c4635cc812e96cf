"""Profiles (#12) end to end: the installed nanoctl against two reference servers, one on
127.0.0.1 (profile ``staging``) and one on 127.0.0.2 (profile ``dev``)."""

from __future__ import annotations

import json
import stat

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtySession,
    config_dir,
    files_under,
    one_line,
    profile_dir,
    store_credential,
)
from tests.integration.in_process import run_nanoctl

RULE = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)
NO_URL = {"NANOSERVICES_API_URL": None}


def two_profiles(staging: ReferenceServer, dev: ReferenceServer) -> None:
    """``staging`` (ada) bound to the first server, ``dev`` (grace) to the second."""
    store_credential(staging.url, api.VALID, staging.after(days=30), profile="staging")
    store_credential(
        dev.url, api.VALID_EMAIL, dev.after(days=30), "grace@example.com", profile="dev"
    )
    staging.reset()
    dev.reset()


def login_at_prompt(token: str, *args: str, env: dict[str, str | None]) -> None:
    session = PtySession(*args, env=env, secrets=[token])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(token)
    result = session.finish()
    assert result.exit_code == 0, result.transcript


# --- names and selection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "where"),
    [
        pytest.param(("--profile", "Prod"), {}, "given to --profile", id="option"),
        pytest.param((), {"NANOCTL_PROFILE": "prod/eu"}, "in NANOCTL_PROFILE", id="variable"),
    ],
)
@pytest.mark.parametrize("command", ["status", "login", "logout", "token"])
def test_a_bad_name_is_a_usage_error_and_nothing_is_sent_or_written(
    server: ReferenceServer,
    args: tuple[str, ...],
    env: dict[str, str],
    where: str,
    command: str,
) -> None:
    environ: dict[str, str | None] = {
        **env,
        "NANOSERVICES_API_URL": server.url,
        "NANOSERVICES_TOKEN": api.VALID,
    }
    result = run_nanoctl(*args, command, env=environ)

    assert (result.exit_code, result.stdout) == (2, "")
    assert f" {where} " in one_line(result)
    assert one_line(result).endswith(f"is not a profile name. {RULE}")
    assert server.requests == []
    assert files_under(config_dir()) == {}


def test_the_profile_option_beats_the_variable(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    by_option = run_nanoctl(
        "--profile", "staging", "status", env={**NO_URL, "NANOCTL_PROFILE": "dev"}
    )
    by_variable = run_nanoctl("status", env={**NO_URL, "NANOCTL_PROFILE": "dev"})

    assert by_option.exit_code == by_variable.exit_code == 0
    assert by_option.stdout_lines[0] == f"✓ Logged in to {server.url} as ada"
    assert by_option.stdout_lines[-1] == "  Profile:      staging"
    assert (
        by_variable.stdout_lines[0]
        == f"✓ Logged in to {other_host_server.url} as grace@example.com"
    )
    assert by_variable.stdout_lines[-1] == "  Profile:      dev"
    assert [r.bearer for r in server.requests] == [api.VALID]
    assert [r.bearer for r in other_host_server.requests] == [api.VALID_EMAIL]


# --- the API URL of a command ----------------------------------------------------------


def test_the_api_url_is_the_option_then_the_variable_then_the_profiles_then_the_default(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    store_credential(server.url, api.VALID, server.after(days=30), profile="staging")
    server.reset()
    staging = {**NO_URL, "NANOCTL_PROFILE": "staging"}

    stored = run_nanoctl("status", "--json", env=staging)
    variable = run_nanoctl(
        "status", "--json", env={**staging, "NANOSERVICES_API_URL": other_host_server.url}
    )
    option = run_nanoctl(
        "status",
        "--json",
        "--api-url",
        server.url,
        env={**staging, "NANOSERVICES_API_URL": other_host_server.url},
    )
    default = run_nanoctl("status", "--json", "--offline", env={**NO_URL, "NANOCTL_PROFILE": "dev"})

    assert (stored.exit_code, json.loads(stored.stdout)["api_url"]) == (0, server.url)
    assert (variable.exit_code, json.loads(variable.stdout)["api_url"]) == (
        1,
        other_host_server.url,
    )
    assert (option.exit_code, json.loads(option.stdout)["api_url"]) == (0, server.url)
    assert (default.exit_code, json.loads(default.stdout)["api_url"]) == (
        1,
        "https://runner.dac-us-east-1.deskree.com/public/deployment",
    )
    assert other_host_server.requests == []  # staging's token never went to the other API
    assert [r.bearer for r in server.requests] == [api.VALID, api.VALID]


# --- login per profile -----------------------------------------------------------------


def test_login_to_two_profiles_on_two_servers_then_status_of_each(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    login_at_prompt(
        api.VALID,
        "--profile",
        "staging",
        "login",
        env={**NO_URL, "NANOSERVICES_API_URL": server.url},
    )
    login_at_prompt(
        api.VALID_USER,
        "login",
        "--api-url",
        other_host_server.url,
        env={**NO_URL, "NANOCTL_PROFILE": "dev"},
    )
    server.reset()
    other_host_server.reset()

    staging = run_nanoctl("--profile", "staging", "status", "--json", env=NO_URL)
    dev = run_nanoctl("--profile", "dev", "status", "--json", env=NO_URL)
    default = run_nanoctl("status", env=NO_URL)

    assert staging.exit_code == dev.exit_code == 0
    want_staging = ("staging", "ada", server.url, str(profile_dir("staging") / "credentials.json"))
    want_dev = ("dev", "linus", other_host_server.url, str(profile_dir("dev") / "credentials.json"))
    fields = ("profile", "username", "api_url", "location")
    assert tuple(json.loads(staging.stdout)[k] for k in fields) == want_staging
    assert tuple(json.loads(dev.stdout)[k] for k in fields) == want_dev
    assert default.exit_code == 1  # the default profile was never logged in
    assert [r.bearer for r in server.requests] == [api.VALID]
    assert [r.bearer for r in other_host_server.requests] == [api.VALID_USER]
    assert not (config_dir() / "credentials.json").exists()
    for directory in (config_dir() / "profiles", profile_dir("staging"), profile_dir("dev")):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for name in ("credentials.json", "credentials.key"):
        assert stat.S_IMODE((profile_dir("dev") / name).stat().st_mode) == 0o600


def test_the_already_logged_in_question_and_no_interaction_apply_per_profile(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    before = files_under(config_dir())

    session = PtySession("--profile", "dev", "login", env=NO_URL)
    asked = session.expect_exact("[y/N] ")
    session.child.sendline("")
    kept = session.finish()
    kept_staging = PtySession("--profile", "staging", "login", "-n", env=NO_URL).finish()
    new = PtySession(
        "--profile", "qa", "login", "--api-url", server.url, env=NO_URL, secrets=[api.VALID_USER]
    )
    new.expect_exact(TOKEN_INPUT)  # nothing stored in qa: no question
    new.child.sendline(api.VALID_USER)
    stored = new.finish()

    assert f"logged in to {other_host_server.url} as grace@example.com" in asked
    assert asked.endswith("Replace the stored credential of profile dev? ")
    assert kept.exit_code == kept_staging.exit_code == stored.exit_code == 0
    assert kept_staging.lines[-1] == (
        "Run `nanoctl logout --profile staging` first to log in with another token."
    )
    after = files_under(config_dir())
    assert {k: v for k, v in after.items() if not k.startswith("profiles/qa/")} == before
    assert "profiles/qa/credentials.json" in after
    assert other_host_server.requests == []
    assert [r.bearer for r in server.requests] == [api.VALID_USER]


# --- the credential of another API -----------------------------------------------------


def test_a_mismatch_sends_nothing_and_names_the_profile_bound_to_the_url(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    result = run_nanoctl(
        "--profile",
        "staging",
        "status",
        env={"NANOSERVICES_API_URL": other_host_server.url},
    )

    assert result.exit_code == 1
    assert one_line(result) == (
        f"Error: The stored credential of profile staging (from --profile) is for {server.url}, "
        f"not {other_host_server.url} (from NANOSERVICES_API_URL); it was not sent. "
        "Unset NANOSERVICES_API_URL to use the API profile staging is bound to, "
        "use --profile dev (logged in there), or log in there in a new profile "
        f"(`nanoctl login --api-url {other_host_server.url} --profile NAME`)."
    )
    assert server.requests == other_host_server.requests == []


def test_the_environment_token_beats_each_profiles_credential(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    env = {**NO_URL, "NANOSERVICES_TOKEN": api.VALID_USER}

    staging = run_nanoctl("--profile", "staging", "status", "--json", env=env)
    dev = run_nanoctl("--profile", "dev", "status", "--json", env=env)

    assert staging.exit_code == dev.exit_code == 0
    for result, profile in ((staging, "staging"), (dev, "dev")):
        document = json.loads(result.stdout)
        assert (document["profile"], document["source"], document["username"]) == (
            profile,
            "environment",
            "linus",
        )
    # each went to the API its profile is bound to, with the environment's token
    assert [r.bearer for r in server.requests] == [api.VALID_USER]
    assert [r.bearer for r in other_host_server.requests] == [api.VALID_USER]


# --- -v says which profile ------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("status", "--offline"), ("token",), ("exec", "--", "true")],
    ids=["status", "token", "exec"],
)
def test_verbose_names_the_selected_profile_and_who_selected_it(
    command: tuple[str, ...], server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    dev_url = f"nanoctl: API URL: {other_host_server.url} (profile dev is bound to it)"

    name, *rest = command
    reveals = api.VALID_EMAIL if name == "token" else None  # dev's token, on a pipe
    by_option = run_nanoctl(name, "-v", "--profile", "dev", *rest, env=NO_URL, reveals=reveals)
    by_variable = run_nanoctl(
        name, "-v", *rest, env={**NO_URL, "NANOCTL_PROFILE": "dev"}, reveals=reveals
    )
    unselected = run_nanoctl(name, "-v", *rest, env=NO_URL)

    assert by_option.exit_code == by_variable.exit_code == 0, by_option.stderr
    at = by_option.stderr_lines.index(dev_url)
    assert by_option.stderr_lines[at - 1] == "nanoctl: profile: dev (from --profile)"
    at = by_variable.stderr_lines.index(dev_url)
    assert by_variable.stderr_lines[at - 1] == "nanoctl: profile: dev (from NANOCTL_PROFILE)"
    assert not [line for line in unselected.stderr_lines if "profile:" in line]


# --- one damaged profile does not block another -------------------------------------------


def test_a_damaged_profile_never_blocks_another(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)
    damaged = profile_dir("staging") / "credentials.json"
    damaged.write_bytes(b"{not json")
    dev = {**NO_URL, "NANOCTL_PROFILE": "dev"}

    status = run_nanoctl("status", env=dev)
    broken = run_nanoctl("--profile", "staging", "status", env=NO_URL)
    login = PtySession("login", env=dev)
    login.expect_exact("[y/N] ")
    login.child.sendline("")
    kept = login.finish()
    logout = run_nanoctl("logout", "--json", env=dev)
    again = run_nanoctl("logout", "--json", env=dev)

    assert status.exit_code == kept.exit_code == logout.exit_code == again.exit_code == 0
    assert status.stdout_lines[-1] == "  Profile:      dev"
    assert broken.exit_code == 5
    assert str(damaged) in one_line(broken)
    assert "`nanoctl logout --profile staging`" in one_line(broken)
    assert json.loads(logout.stdout)["profiles_removed"] == ["dev"]
    assert json.loads(again.stdout)["profiles_removed"] == []
    assert damaged.read_bytes() == b"{not json"
    assert server.requests == []


# --- logout ------------------------------------------------------------------------------


def test_logout_removes_the_selected_profile_only_and_nothing_to_remove_creates_nothing(
    server: ReferenceServer, other_host_server: ReferenceServer
) -> None:
    two_profiles(server, other_host_server)

    removed = run_nanoctl("--profile", "staging", "logout", env=NO_URL)
    nothing = run_nanoctl("--profile", "qa", "logout", "--json", env=NO_URL)

    assert removed.exit_code == nothing.exit_code == 0
    assert removed.stdout_lines == [
        f"Logged out of profile staging: removed the stored credential "
        f"({profile_dir('staging') / 'credentials.json'})."
    ]
    assert json.loads(nothing.stdout) == {
        "logged_out": True,
        "removed": False,
        "location": str(profile_dir("qa") / "credentials.json"),
        "environment_token_set": False,
        "profiles_removed": [],
    }
    assert not profile_dir("qa").exists()
    assert sorted(files_under(config_dir())) == [
        "profiles/dev/.credentials.lock",
        "profiles/dev/credentials.json",
        "profiles/dev/credentials.key",
        "profiles/staging/.credentials.lock",
    ]
