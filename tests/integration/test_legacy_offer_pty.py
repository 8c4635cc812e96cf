"""The offer an interactive `nanoctl login` makes at a real terminal (pexpect) when the old
Node nanoctl left a token and nothing is stored: accepted, declined, and never made with -n,
with a token from elsewhere, or with a credential already stored."""

from __future__ import annotations

from pathlib import Path

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    PROMPT_LINE,
    TOKEN_INPUT,
    PtySession,
    expiry,
    login_interactively,
    run_nanoctl,
)
from tests.legacy_files import renamed_host, write_legacy


def url_env(server: ReferenceServer, **more: str | None) -> dict[str, str | None]:
    return {"NANOSERVICES_API_URL": server.url, **more}


def offer(path: Path) -> str:
    return f"Found a token saved by the old nanoctl at {path}; import it? [Y/n] "


def stored_username(server: ReferenceServer) -> str:
    status = run_nanoctl("status", env=url_env(server))
    assert status.exit_code == 0, status.stderr
    return status.stdout_lines[0].rsplit(" as ", 1)[1]


def test_accepting_the_offer_imports_the_token_and_destroys_the_file(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID, ".blok")

    session = PtySession("login", env=url_env(server), secrets=[api.VALID])
    session.expect_exact(offer(path))
    session.child.sendline("")  # Enter: the default, yes
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert result.lines[1:] == [
        f"Imported the token saved by the old nanoctl at {path}.",
        f"Welcome, ada! Your token expires {expiry(server.after(days=30))}.",
        "The token is stored encrypted; `nanoctl logout` removes it.",
        f"Removed the old nanoctl's copies of the token: {path}; they were unsafe: anyone "
        "who could read them could rebuild their key from this machine's host name and your "
        "user name.",
    ]
    assert TOKEN_INPUT not in result.transcript
    assert not (isolated_home / ".blok").exists()
    assert stored_username(server) == "ada"


def test_declining_the_offer_goes_to_the_prompt_and_leaves_the_file_alone(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    session = PtySession("login", env=url_env(server), secrets=[api.VALID, api.VALID_USER])
    session.expect_exact(offer(path))
    session.child.sendline("n")
    assert session.expect_exact(TOKEN_INPUT).endswith(PROMPT_LINE + "\n")
    session.child.sendline(api.VALID_USER)
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert result.lines[-2] == "Welcome, linus! The API did not say when your token expires."
    assert path.read_bytes() == before
    assert server.requests_with(api.VALID) == []
    assert stored_username(server) == "linus"


def test_no_interaction_never_offers(server: ReferenceServer, isolated_home: Path) -> None:
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    session = PtySession("login", "-n", env=url_env(server), secrets=[api.VALID])
    result = session.finish()

    assert result.exit_code == 2
    assert "old nanoctl" not in result.transcript
    assert path.read_bytes() == before


def test_a_token_from_the_environment_is_used_without_an_offer(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID)
    before = path.read_bytes()

    env = url_env(server, NANOSERVICES_TOKEN=api.VALID_USER)
    session = PtySession("login", env=env, secrets=[api.VALID, api.VALID_USER])
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert "Found a token" not in result.transcript
    assert path.read_bytes() == before


def test_with_a_credential_stored_the_replace_question_comes_instead(
    server: ReferenceServer, isolated_home: Path
) -> None:
    login_interactively(api.VALID_USER, env=url_env(server))
    path = write_legacy(isolated_home, api.VALID)

    session = PtySession("login", env=url_env(server), secrets=[api.VALID])
    session.expect_exact("[y/N] ")
    session.child.sendline("n")
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert "Found a token" not in result.transcript
    assert path.exists()


def test_a_file_that_does_not_decrypt_is_not_offered(
    server: ReferenceServer, isolated_home: Path
) -> None:
    path = write_legacy(isolated_home, api.VALID, facts=renamed_host())

    session = PtySession("login", env=url_env(server), secrets=[api.VALID, api.VALID_USER])
    session.expect_exact(TOKEN_INPUT)
    session.child.sendline(api.VALID_USER)
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert "Found a token" not in result.transcript
    assert path.exists()


def test_import_legacy_asks_before_replacing_and_replaces_on_yes(
    server: ReferenceServer, isolated_home: Path
) -> None:
    login_interactively(api.VALID_USER, env=url_env(server))
    path = write_legacy(isolated_home, api.VALID)

    session = PtySession("login", "--import-legacy", env=url_env(server), secrets=[api.VALID])
    session.expect_exact("Replace the stored credential? [y/N] ")
    session.child.sendline("y")
    result = session.finish()

    assert result.exit_code == 0, result.transcript
    assert f"Imported the token saved by the old nanoctl at {path}." in result.lines
    assert not path.exists()
    assert stored_username(server) == "ada"
