"""Nothing stored is replaced without an explicit yes (#19 point 1), at a real terminal:
a login to another API than the stored credential's asks as one to the same API does,
naming what would go and how to keep both; the default answer keeps it byte-identical.
Without a terminal or with -n, one for another API is never replaced (also by
`login --import-legacy`). Two reference APIs: A on 127.0.0.1, B on 127.0.0.2."""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    TOKEN_INPUT,
    PtySession,
    config_dir,
    expiry,
    files_under,
    one_line,
    run_nanoctl,
    store_credential,
)
from tests.legacy_files import write_legacy

NO_URL: dict[str, str | None] = {"NANOSERVICES_API_URL": None}


@pytest.fixture
def a(server: ReferenceServer) -> ReferenceServer:
    """API A, where profile default holds ada's credential."""
    store_credential(server.url, api.VALID, server.after(days=30))
    server.reset()
    return server


@pytest.fixture
def b(other_host_server: ReferenceServer) -> ReferenceServer:
    return other_host_server


def question(a: ReferenceServer, b: ReferenceServer, profile: str = "default") -> list[str]:
    named = "" if profile == "default" else f" of profile {profile}"
    return [
        f"Profile {profile} holds the credential of ada for {a.url} "
        f"(token expires {expiry(a.after(days=30))}); logging in to {b.url} replaces it.",
        "To keep it, log in to another profile instead: "
        f"`nanoctl login --api-url {b.url} --profile NAME`.",
        f"Replace the stored credential{named}? [y/N] ",
    ]


def shown_question(before_answer: str) -> list[str]:
    """The question's three lines, as the terminal showed them up to where the answer goes."""
    *asked, last = before_answer.splitlines()[-3:]
    return [*asked, f"{last}[y/N] "]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(("login", "--api-url", "B"), NO_URL, id="login --api-url B"),
        pytest.param(("login",), {"NANOSERVICES_API_URL": "B"}, id="NANOSERVICES_API_URL=B"),
    ],
)
def test_a_login_to_another_api_asks_and_enter_keeps_the_credential(
    a: ReferenceServer, b: ReferenceServer, args: tuple[str, ...], env: dict[str, str | None]
) -> None:
    before = files_under(config_dir())
    given = tuple(b.url if arg == "B" else arg for arg in args)
    environ = {k: (b.url if v == "B" else v) for k, v in env.items()}

    session = PtySession(*given, env=environ)
    asked = session.expect_exact("[y/N] ")
    session.child.sendline("")
    result = session.finish()

    assert shown_question(asked) == question(a, b)
    assert result.exit_code == 0
    assert result.lines[-2:] == [
        f"Kept the credential of ada for {a.url} in profile default "
        f"(expires {expiry(a.after(days=30))}); nothing was stored for {b.url}.",
        f"To log in to {b.url} as well, log in to another profile: "
        f"`nanoctl login --api-url {b.url} --profile NAME`.",
    ]
    assert TOKEN_INPUT not in result.transcript
    assert files_under(config_dir()) == before  # byte-identical
    assert a.requests == b.requests == []


def test_yes_replaces_it_and_the_login_says_what_it_replaced(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    session = PtySession("login", "--api-url", b.url, env=NO_URL, secrets=[api.VALID_USER])
    session.expect_exact("[y/N] ")
    session.child.sendline("y")
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID_USER)
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines[-3:] == [
        "Welcome, linus! The API did not say when your token expires.",  # #23
        "The token is stored encrypted; `nanoctl logout` removes it.",
        f"It replaced the credential of ada for {a.url} in profile default.",
    ]
    status = run_nanoctl("status", env=NO_URL)
    assert status.stdout_lines[0] == f"✓ Logged in to {b.url} as linus"
    assert [r.bearer for r in b.requests] == [api.VALID_USER, api.VALID_USER]


def test_a_named_profile_is_asked_about_by_name_while_the_variable_points_elsewhere(
    a: ReferenceServer, b: ReferenceServer
) -> None:
    """`--profile dev login` with NANOSERVICES_API_URL exported: dev (bound to A) would be
    replaced by a credential for B."""
    store_credential(a.url, api.VALID, a.after(days=30), profile="dev")
    before = files_under(config_dir())

    session = PtySession("--profile", "dev", "login", env={"NANOSERVICES_API_URL": b.url})
    asked = session.expect_exact("[y/N] ")
    session.child.sendline("n")
    result = session.finish()

    assert shown_question(asked) == question(a, b, "dev")
    assert result.exit_code == 0
    assert files_under(config_dir()) == before
    assert b.requests == []


def test_ctrl_c_at_the_question_keeps_it(a: ReferenceServer, b: ReferenceServer) -> None:
    before = files_under(config_dir())

    session = PtySession("login", "--api-url", b.url, env=NO_URL)
    session.expect_exact("[y/N] ")
    session.child.sendintr()
    result = session.finish()

    assert result.exit_code == 130
    assert result.lines[-1] == "Authentication cancelled."
    assert files_under(config_dir()) == before


def test_an_expired_credential_is_replaced_without_the_question_and_the_words_say_so(
    server: ReferenceServer, b: ReferenceServer
) -> None:
    store_credential(server.url, api.VALID, server.after(days=-2))

    session = PtySession("login", "--api-url", b.url, env=NO_URL, secrets=[api.VALID_USER])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID_USER)
    result = session.finish()

    assert result.exit_code == 0
    assert "[y/N]" not in result.transcript
    assert result.lines[-1] == (
        f"It replaced the expired credential of ada for {server.url} in profile default."
    )


# --- the old nanoctl's token, imported over a credential for another API ----------------------


def test_import_legacy_with_no_interaction_never_replaces_one_for_another_api(
    a: ReferenceServer, b: ReferenceServer, isolated_home: Path
) -> None:
    legacy = write_legacy(isolated_home, api.VALID_USER)
    before = files_under(config_dir())
    old = legacy.read_bytes()

    result = run_nanoctl("login", "-n", "--import-legacy", "--api-url", b.url, env=NO_URL)

    assert (result.exit_code, result.stdout) == (1, "")
    assert one_line(result) == (
        f"Error: Profile default holds the credential of ada for {a.url}; logging in to "
        f"{b.url} (from --api-url) would replace it, and nanoctl replaces a credential only "
        "on a yes at a terminal. Nothing was stored. To keep both, log in again with "
        "--profile NAME (a new profile); to replace it, run `nanoctl logout` first."
    )
    assert files_under(config_dir()) == before
    assert legacy.read_bytes() == old
    assert a.requests == b.requests == []


def test_import_legacy_asks_at_a_terminal_too(
    a: ReferenceServer, b: ReferenceServer, isolated_home: Path
) -> None:
    legacy = write_legacy(isolated_home, api.VALID_USER)
    before = files_under(config_dir())
    old = legacy.read_bytes()

    declined = PtySession("login", "--import-legacy", "--api-url", b.url, env=NO_URL)
    asked = declined.expect_exact("[y/N] ")
    declined.child.sendline("")
    kept = declined.finish()

    assert shown_question(asked) == question(a, b)
    assert kept.exit_code == 0
    assert kept.lines[-1] == f"The old nanoctl's token file {legacy} was left as it was."
    assert files_under(config_dir()) == before
    assert legacy.read_bytes() == old

    accepted = PtySession("login", "--import-legacy", "--api-url", b.url, env=NO_URL)
    accepted.expect_exact("[y/N] ")
    accepted.child.sendline("yes")
    imported = accepted.finish()

    assert imported.exit_code == 0
    assert f"It replaced the credential of ada for {a.url} in profile default." in imported.lines
    assert not legacy.exists()
    assert [r.bearer for r in b.requests] == [api.VALID_USER]


# --- an empty NANOSERVICES_TOKEN is not a dead end (#19 point 5) ------------------------------


def test_with_an_empty_token_variable_login_prompts_as_usual(b: ReferenceServer) -> None:
    session = PtySession(
        "login",
        "--api-url",
        b.url,
        env={**NO_URL, "NANOSERVICES_TOKEN": ""},
        secrets=[api.VALID],
    )
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID)
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines[0] == "Warning: NANOSERVICES_TOKEN is set but empty; it counts as unset."
    assert result.lines[-1] == "The token is stored encrypted; `nanoctl logout` removes it."
