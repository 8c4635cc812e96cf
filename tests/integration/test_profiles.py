"""Profiles (#12) end to end: the installed nanoctl against two reference servers, one on
127.0.0.1 (profile ``staging``) and one on 127.0.0.2 (profile ``dev``)."""

from __future__ import annotations

import json

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
    run_nanoctl,
    store_credential,
)

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
