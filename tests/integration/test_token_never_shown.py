"""`status`, -vvv and every error never show the token (#25 audit), end to end: every command
with -vvv (the HTTP exchange, the traceback of an error), for a token from each source and
each way a run fails, with the token where a name goes (a profile named by it, an API URL
whose path holds it) and sent back by the API. Neither the token nor any form the mask knows
(base64, URL-encoded, JSON-escaped) may appear; the harness checks the raw token of every
run already.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import reference_server as api
from nanoctl.domain.masking import token_forms
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    UNKNOWN,
    Result,
    config_dir,
    store_credential,
    url_env,
)
from tests.integration.in_process import run_nanoctl

FAILING = [
    pytest.param(api.VALID, 0, id="valid"),
    pytest.param(UNKNOWN, 3, id="invalid"),
    pytest.param(api.EXPIRED, 3, id="expired"),
    pytest.param(api.FORBIDDEN, 3, id="forbidden"),
    pytest.param(api.SERVER_ERROR, 4, id="server error"),
    pytest.param(api.NOT_JSON, 4, id="not json"),
    pytest.param(api.REDIRECT, 4, id="redirect"),
    pytest.param(api.REFLECT, 0, id="the token sent back as the username"),
    pytest.param(api.REFLECT_CONTENT_TYPE, 4, id="the token sent back as the content type"),
]


def no_form_of(token: str, result: Result) -> None:
    shown = result.stdout + result.stderr
    for form in token_forms(token):
        assert form not in shown, f"a form of the token ({len(form)} characters)"


def sources(token: str, tmp_path: Path) -> list[tuple[list[str], dict[str, str | None], str]]:
    """Where the token comes from: (options, variables, stdin)."""
    file = tmp_path / "token"
    file.write_text(f"{token}\n", encoding="utf-8")
    os.chmod(file, 0o600)
    return [
        ([], {"NANOSERVICES_TOKEN": token}, ""),
        ([], {"NANOSERVICES_TOKEN_FILE": str(file)}, ""),
        (["--token", "-"], {}, f"{token}\n"),
        (["--token-file", str(file)], {}, ""),
    ]


@pytest.mark.parametrize(("token", "code"), FAILING)
def test_login_at_debug_verbosity_shows_no_form_of_the_token(
    server: ReferenceServer, token: str, code: int, tmp_path: Path
) -> None:
    for options, variables, stdin in sources(token, tmp_path):
        env = {**url_env(server), **variables}
        for json_output in ([], ["--json"]):
            result = run_nanoctl(
                "login", "-vvv", *options, *json_output, env=env, stdin=stdin, secrets=[token]
            )
            assert result.exit_code == code, result.stderr
            no_form_of(token, result)


@pytest.mark.parametrize(("token", "code"), FAILING)
@pytest.mark.parametrize("stored", [False, True], ids=["environment", "stored"])
def test_status_at_debug_verbosity_shows_no_form_of_the_token(
    server: ReferenceServer, token: str, code: int, stored: bool
) -> None:
    if stored:
        store_credential(server.url, token, server.after(days=30))
    env = url_env(server, None if stored else token)
    expired_offline = token == api.EXPIRED and stored  # the stored expiry is in 30 days

    for args in (["status", "-vvv"], ["status", "-vvv", "--json"], ["status", "--offline"]):
        result = run_nanoctl(*args, env=env, secrets=[token])
        if "--offline" not in args and not expired_offline:
            assert result.exit_code == code, result.stderr
        no_form_of(token, result)


@pytest.mark.parametrize(("token", "code"), FAILING[:3])
def test_exec_token_and_logout_at_debug_verbosity_show_no_form_of_the_token(
    server: ReferenceServer, token: str, code: int
) -> None:
    store_credential(server.url, token, server.after(days=30))
    check = run_nanoctl("exec", "-vvv", "--check", "--", "true", env=url_env(server))
    refused = run_nanoctl("token", "-vvv", env={**url_env(server), "CLAUDECODE": "1"})
    logout = run_nanoctl("logout", "-vvv", env=url_env(server))

    assert (check.exit_code, refused.exit_code, logout.exit_code) == (code, 2, 0)
    for result in (check, refused, logout):
        no_form_of(token, result)


LOWER = "nano_lowercase_token_k9x2q7"
"""A token that is also a valid profile name."""


def test_a_profile_named_by_the_token_is_redacted_in_every_error_and_its_next_step(
    server: ReferenceServer,
) -> None:
    """NANOCTL_PROFILE="$NANOSERVICES_TOKEN" by mistake: the profile's directory holds the
    token in its name, and what is said about it names that path, also in the `chmod` an
    error advises."""
    store_credential(server.url, api.VALID, server.after(days=30), profile=LOWER)
    exposed = config_dir() / "profiles" / LOWER / "credentials.json"
    exposed.chmod(0o644)
    env = {"NANOSERVICES_TOKEN": LOWER, "NANOCTL_PROFILE": LOWER}

    every = run_nanoctl("status", "--all", env=env, secrets=[LOWER])
    as_json = run_nanoctl("status", "--all", "--json", env=env, secrets=[LOWER])
    logout = run_nanoctl("logout", "-vvv", env=env, secrets=[LOWER])

    assert (every.exit_code, as_json.exit_code, logout.exit_code) == (5, 5, 0)
    shown = str(exposed).replace(LOWER, "[redacted]")
    assert f"✗ {shown} is accessible to other users (mode 644)" in every.stdout
    assert f"Run `chmod 600 {shown}`" in every.stdout
    assert f"Run `chmod 600 {shown}`" in json.loads(as_json.stdout)["profiles"][0]["message"]
    # logout removes even what other commands refuse, and names it so
    assert f"removed the stored credential ({shown})" in logout.stdout
    for result in (every, as_json, logout):
        no_form_of(LOWER, result)


def test_an_api_url_whose_path_holds_the_token_is_redacted_at_every_verbosity(
    server: ReferenceServer,
) -> None:
    url = f"{server.url}/{api.VALID}"  # the reference API answers 404 there
    env = {"NANOSERVICES_TOKEN": api.VALID, "NANOSERVICES_API_URL": url}

    for args in (["status"], ["status", "-vvv"], ["status", "--json"], ["login", "-vvv"]):
        result = run_nanoctl(*args, env=env)
        assert result.exit_code == 4, result.stderr
        assert f"{server.url}/[redacted]" in result.stderr
        no_form_of(api.VALID, result)
