"""The selection (#19) end to end, with two reference APIs: A on 127.0.0.1 and B on
127.0.0.2. Which profile and which API URL a run uses, who chose each, and every message
naming them (the installed nanoctl; no run may print a token, cli_harness checks)."""

from __future__ import annotations

import json

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    config_dir,
    files_under,
    one_line,
    profile_dir,
    run_nanoctl,
    store_credential,
)

NO_URL: dict[str, str | None] = {"NANOSERVICES_API_URL": None}


def ada_on(a: ReferenceServer) -> None:
    """Profile default: ada's credential for A."""
    store_credential(a.url, api.VALID, a.after(days=30))


def grace_on(b: ReferenceServer, profile: str = "dev") -> None:
    """Profile ``profile``: grace's credential for B."""
    store_credential(b.url, api.VALID_EMAIL, b.after(days=30), "grace@example.com", profile=profile)


@pytest.fixture
def a(server: ReferenceServer) -> ReferenceServer:
    return server


@pytest.fixture
def b(other_host_server: ReferenceServer) -> ReferenceServer:
    return other_host_server


# --- a URL selects its profile ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "chosen"),
    [
        pytest.param(("--api-url", "B"), NO_URL, "from --api-url", id="--api-url"),
        pytest.param((), {"NANOSERVICES_API_URL": "B"}, "from NANOSERVICES_API_URL", id="variable"),
    ],
)
def test_a_url_selects_the_one_profile_bound_to_it(
    a: ReferenceServer,
    b: ReferenceServer,
    args: tuple[str, ...],
    env: dict[str, str | None],
    chosen: str,
) -> None:
    ada_on(a)
    grace_on(b)
    a.reset()
    b.reset()
    given = tuple(b.url if arg == "B" else arg for arg in args)
    environ = {k: (b.url if v == "B" else v) for k, v in env.items()}

    result = run_nanoctl("status", "-v", *given, env=environ)

    assert result.exit_code == 0, result.stderr
    assert result.stdout_lines[0] == f"✓ Logged in to {b.url} as grace@example.com"
    assert result.stdout_lines[-1] == "  Profile:      dev"
    assert "nanoctl: profile: dev (bound to the API URL)" in result.stderr_lines
    assert f"nanoctl: API URL: {b.url} ({chosen})" in result.stderr_lines
    assert [r.bearer for r in b.requests] == [api.VALID_EMAIL]
    assert a.requests == []


def test_several_profiles_bound_to_the_url_is_a_usage_error_listing_them(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    grace_on(b, "dev")
    grace_on(b, "qa")
    ada_on(a)
    b.reset()
    before = files_under(config_dir())
    env = {"NANOSERVICES_API_URL": b.url}
    want = (
        f"Error: Profiles dev and qa are all logged in to {b.url} (from NANOSERVICES_API_URL); "
        "nanoctl will not guess which one to use. Name one with --profile "
        "(--profile dev or --profile qa)."
    )

    runs = {
        "status": run_nanoctl("status", env=env),
        "token": run_nanoctl("token", env=env),
        "exec": run_nanoctl("exec", "--", "true", env=env),
        "logout": run_nanoctl("logout", env=env),
    }

    for name, result in runs.items():
        assert (result.exit_code, result.stdout, one_line(result)) == (2, "", want), name
    assert files_under(config_dir()) == before  # nothing removed, nothing written
    assert b.requests == []


def test_what_needs_no_profile_is_not_affected_by_several_bound(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    """--all, completions and the environment's token need no profile."""
    grace_on(b, "dev")
    grace_on(b, "qa")
    b.reset()
    env = {"NANOSERVICES_API_URL": b.url}

    with_token = run_nanoctl("status", "--json", env={**env, "NANOSERVICES_TOKEN": api.VALID})
    listed = run_nanoctl("completions", "--profiles", env=env)
    every = run_nanoctl("status", "--all", "--offline", env=NO_URL)
    logout_all = run_nanoctl("logout", "--all", "--json", env=env)

    assert with_token.exit_code == 0, with_token.stderr
    assert json.loads(with_token.stdout)["source"] == "environment"
    assert [r.bearer for r in b.requests] == [api.VALID]
    assert (listed.exit_code, listed.stdout_lines) == (0, ["dev", "qa"])
    assert every.exit_code == 0, every.stderr
    assert [line for line in every.stdout_lines if line.startswith("Profile ")] == [
        "Profile dev",
        "Profile qa",
    ]
    assert logout_all.exit_code == 0
    assert json.loads(logout_all.stdout)["profiles_removed"] == ["dev", "qa"]


def test_a_url_bound_to_no_profile_leaves_default_and_its_token_is_not_sent(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    ada_on(a)
    a.reset()

    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": b.url})

    assert result.exit_code == 1
    assert one_line(result) == (
        f"Error: The stored credential of profile default is for {a.url}, not {b.url} "
        "(from NANOSERVICES_API_URL); it was not sent. Unset NANOSERVICES_API_URL to use the "
        "API profile default is bound to, or log in there in a new profile "
        f"(`nanoctl login --api-url {b.url} --profile NAME`)."
    )
    assert a.requests == b.requests == []


# --- a named profile always wins (#19 point 2) ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "chosen"),
    [
        pytest.param(("--profile", "dev"), {}, "from --profile", id="--profile"),
        pytest.param((), {"NANOCTL_PROFILE": "dev"}, "from NANOCTL_PROFILE", id="NANOCTL_PROFILE"),
    ],
)
@pytest.mark.parametrize("command", [("status",), ("token",), ("exec", "--", "true")])
def test_a_named_profile_wins_and_the_error_names_who_chose_the_url(
    a: ReferenceServer,
    b: ReferenceServer,
    args: tuple[str, ...],
    env: dict[str, str],
    chosen: str,
    command: tuple[str, ...],
) -> None:
    ada_on(a)
    grace_on(b)
    a.reset()
    b.reset()

    name, *rest = command
    result = run_nanoctl(name, "-v", *args, *rest, env={**env, "NANOSERVICES_API_URL": a.url})

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr_lines[-1] == (
        f"Error: The stored credential of profile dev ({chosen}) is for {b.url}, "
        f"not {a.url} (from NANOSERVICES_API_URL); it was not sent. Unset NANOSERVICES_API_URL "
        "to use the API profile dev is bound to, use --profile default (logged in there), or "
        f"log in there in a new profile (`nanoctl login --api-url {a.url} --profile NAME`)."
    )
    assert f"nanoctl: profile: dev ({chosen})" in result.stderr_lines
    assert f"nanoctl: API URL: {a.url} (from NANOSERVICES_API_URL)" in result.stderr_lines
    assert a.requests == b.requests == []


def test_the_way_out_the_error_names_works(a: ReferenceServer, b: ReferenceServer) -> None:
    """Unsetting what chose the URL: dev's credential against dev's API."""
    grace_on(b)
    b.reset()

    result = run_nanoctl("--profile", "dev", "status", "-v", env=NO_URL)

    assert result.exit_code == 0, result.stderr
    assert f"nanoctl: API URL: {b.url} (profile dev is bound to it)" in result.stderr_lines
    assert [r.bearer for r in b.requests] == [api.VALID_EMAIL]


# --- the next steps name the whole profile (#19 point 3) --------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(("--profile", "staging"), {}, id="--profile NAME"),
        pytest.param(("--profile=staging",), {}, id="--profile=NAME"),
        pytest.param((), {"NANOCTL_PROFILE": "staging"}, id="NANOCTL_PROFILE=NAME"),
    ],
)
def test_every_next_step_names_the_whole_profile(
    a: ReferenceServer, args: tuple[str, ...], env: dict[str, str | None]
) -> None:
    store_credential(a.url, api.VALID, a.after(days=30), profile="staging")
    store_credential(a.url, api.VALID_USER, a.after(days=30), "linus", profile="s")
    damaged = profile_dir("staging") / "credentials.json"
    damaged.write_bytes(b"{not json")

    status = run_nanoctl(*args, "status", env={**env, **NO_URL})
    logout = run_nanoctl(*args, "logout", env={**env, **NO_URL})  # as the error said
    nothing = run_nanoctl(*args, "token", env={**env, **NO_URL})

    assert status.exit_code == 5
    assert "Run `nanoctl logout --profile staging` to remove it, then log in again." in one_line(
        status
    )
    assert "--profile s`" not in one_line(status)
    assert logout.stdout_lines[0].startswith("Logged out of profile staging: removed")
    assert nothing.exit_code == 1
    assert "run `nanoctl login --profile staging`;" in one_line(nothing)
    assert (profile_dir("s") / "credentials.json").exists()  # the trap was never sprung


def test_an_empty_profile_option_is_a_usage_error() -> None:
    for args in (("--profile=", "status"), ("status", "--profile=")):
        result = run_nanoctl(*args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert one_line(result) == (
            "Error: An empty name given to --profile is not a profile name. A profile name is "
            "1 to 32 lower-case letters, digits, `-` or `_`, starting with a letter or a digit "
            "(e.g. `staging`)."
        )


# --- a profile that holds nothing is named (#19 point 4) --------------------------------------


def test_a_mistyped_profile_is_named_with_the_stored_ones(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    ada_on(a)
    grace_on(b)
    before = files_under(config_dir())
    env = {**NO_URL, "NANOCTL_PROFILE": "devv"}

    status = run_nanoctl("status", env=env)
    token = run_nanoctl("token", env=env)
    logout = run_nanoctl("logout", env=env)

    said = (
        "Profile devv (from NANOCTL_PROFILE) holds no credential. Stored profiles: default, "
        "dev. Did you mean dev?"
    )
    assert status.exit_code == token.exit_code == 1
    assert (
        one_line(status)
        == one_line(token)
        == (
            f"Error: {said} To create profile devv and log in to it, run "
            "`nanoctl login --profile devv`; or set NANOSERVICES_TOKEN."
        )
    )
    assert logout.exit_code == 0  # still idempotent
    assert logout.stdout_lines == [
        "Not logged in to profile devv (from NANOCTL_PROFILE): nothing stored at "
        f"{profile_dir('devv') / 'credentials.json'}. Stored profiles: default, dev. "
        "Did you mean dev?"
    ]
    assert files_under(config_dir()) == before  # no typo profile was created
    assert a.requests == b.requests == []


def test_with_nothing_stored_the_words_stay_todays(a: ReferenceServer) -> None:
    result = run_nanoctl("status", env={"NANOSERVICES_API_URL": a.url})

    assert result.exit_code == 1
    assert one_line(result) == (
        "Error: You are not logged in. Run `nanoctl login`, or set NANOSERVICES_TOKEN."
    )


# --- empty variables count as unset (#19 point 5) ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["NANOSERVICES_TOKEN", "NANOSERVICES_TOKEN_FILE", "NANOSERVICES_API_URL", "NANOCTL_PROFILE"],
)
@pytest.mark.parametrize("ci", [None, "true"], ids=["terminal", "CI"])
def test_an_empty_variable_counts_as_unset_with_one_warning(
    a: ReferenceServer, name: str, ci: str | None
) -> None:
    ada_on(a)
    a.reset()

    result = run_nanoctl("status", env={**NO_URL, name: "", "CI": ci})

    assert result.exit_code == 0, result.stderr  # the stored credential, its own URL
    assert result.stdout_lines[0] == f"✓ Logged in to {a.url} as ada"
    secret = name.startswith("NANOSERVICES_TOKEN")
    what = "the secret" if secret else "its value"
    assert result.stderr_lines == [
        f"Warning: {name} is set but empty: {what} did not reach this job. It counts as unset."
        if ci
        else f"Warning: {name} is set but empty; it counts as unset."
    ]


def test_logout_never_says_an_empty_variable_authenticates(a: ReferenceServer) -> None:
    ada_on(a)

    text = run_nanoctl("logout", env={"NANOSERVICES_TOKEN": ""})
    as_json = run_nanoctl("logout", "--json", env={"NANOSERVICES_TOKEN_FILE": ""})

    assert text.exit_code == as_json.exit_code == 0
    assert text.stderr_lines == [
        "Warning: NANOSERVICES_TOKEN is set but empty; it counts as unset."
    ]
    assert json.loads(as_json.stderr) == {
        "warning": "NANOSERVICES_TOKEN_FILE is set but empty; it counts as unset."
    }
    assert json.loads(as_json.stdout)["environment_token_set"] is False


def test_an_empty_token_is_not_a_dead_end_for_login(a: ReferenceServer) -> None:
    """`export NANOSERVICES_TOKEN="$(nanoctl token)"` while logged out leaves it empty; the
    login the errors suggest must then be the usual one, not "malformed"."""
    result = run_nanoctl("login", env={"NANOSERVICES_API_URL": a.url, "NANOSERVICES_TOKEN": ""})

    assert result.exit_code == 2  # no terminal to prompt at: as if it were unset
    assert result.stderr_lines[0] == (
        "Warning: NANOSERVICES_TOKEN is set but empty; it counts as unset."
    )
    assert result.stderr_lines[1].startswith("Error: No token given and no terminal")
    assert "malformed" not in result.stderr


# --- a name or a URL equal to the token is never shown (#19, #20 item 4) ----------------------

TOKEN_AS_NAME = "nanotok_lowercase_9x7w2q4m5k"
"""A token that is also a valid profile name (lower case, digits, `_`)."""


def test_a_profile_named_by_the_token_is_never_shown(a: ReferenceServer) -> None:
    env = {
        "NANOSERVICES_API_URL": a.url,
        "NANOSERVICES_TOKEN": TOKEN_AS_NAME,
        "NANOCTL_PROFILE": TOKEN_AS_NAME,
    }
    secrets = [TOKEN_AS_NAME]

    text = run_nanoctl("status", "--offline", "-v", env=env, secrets=secrets)
    as_json = run_nanoctl("status", "--offline", "--json", env=env, secrets=secrets)
    rejected = run_nanoctl("status", "--json", env=env, secrets=secrets)
    logout = run_nanoctl("logout", "-v", env=env, secrets=secrets)
    logout_json = run_nanoctl("logout", "--json", env=env, secrets=secrets)
    execd = run_nanoctl("exec", "-v", "--", "true", env=env, secrets=secrets)
    token = run_nanoctl("token", "-v", env=env, reveals=TOKEN_AS_NAME)
    login = run_nanoctl("login", "-v", env=env, secrets=secrets)

    assert text.exit_code == as_json.exit_code == execd.exit_code == token.exit_code == 0
    assert "  Profile:      [redacted]" in text.stdout_lines
    assert "nanoctl: profile: [redacted] (from NANOCTL_PROFILE)" in text.stderr_lines
    assert json.loads(as_json.stdout)["profile"] == "[redacted]"
    assert rejected.exit_code == 3
    assert json.loads(rejected.stdout)["profile"] == "[redacted]"
    assert logout.exit_code == logout_json.exit_code == 0
    assert logout.stdout_lines == [
        "Not logged in to profile [redacted] (from NANOCTL_PROFILE): nothing stored at "
        f"{config_dir() / 'profiles' / '[redacted]' / 'credentials.json'}."
    ]
    assert json.loads(logout_json.stdout)["location"].endswith("/[redacted]/credentials.json")
    assert "nanoctl: profile: [redacted] (from NANOCTL_PROFILE)" in execd.stderr_lines
    assert "nanoctl: profile: [redacted] (from NANOCTL_PROFILE)" in token.stderr_lines
    assert TOKEN_AS_NAME not in token.stderr
    assert login.exit_code == 3  # the API does not know it
    assert "nanoctl: profile: [redacted] (from NANOCTL_PROFILE)" in login.stderr_lines


def test_a_url_equal_to_the_token_is_never_shown() -> None:
    env = {"NANOSERVICES_TOKEN": TOKEN_AS_NAME, "NANOSERVICES_API_URL": TOKEN_AS_NAME}

    result = run_nanoctl("status", env=env, secrets=[TOKEN_AS_NAME])

    assert result.exit_code == 2
    assert one_line(result).startswith(
        "Error: The API URL '[redacted]' is not usable: it must start with https://."
    )
