"""While the API is asked, a terminal shows which one (#23): one transient line, "Checking
the token with https://…", erased when the answer comes; never in a pipe, in CI, with -q,
-v or --json. At a real terminal (a pty, whose transcript is what the user saw happen)
against the reference API, whose slow token answers after a second."""

from __future__ import annotations

import time

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import PtySession, screen, url_env
from tests.integration.in_process import run_nanoctl

CHECKING = "Checking the token with {url}…"


@pytest.fixture
def slow(server: ReferenceServer) -> ReferenceServer:
    server.slow_seconds = 1.0
    return server


def test_the_line_shows_while_the_api_is_asked_and_is_erased_when_it_answers(
    slow: ReferenceServer,
) -> None:
    session = PtySession("status", env=url_env(slow, api.SLOW), secrets=[api.SLOW])
    line = CHECKING.format(url=slow.url)
    before = session.expect_exact(line)
    seen_at = time.monotonic()
    result = session.finish()
    answered_after = time.monotonic() - seen_at

    assert result.exit_code == 0
    assert "Logged in" not in before  # shown before the answer…
    assert answered_after > 0.3  # …while the API was still thinking
    assert f"\r{' ' * (len(line) + 2)}\r" in result.transcript  # then erased (and a ^C)
    shown = screen(result.transcript)
    assert not any("Checking" in row for row in shown)
    assert shown[0] == f"✓ Logged in to {slow.url} as ada"


def test_the_prompt_login_shows_it_after_enter(slow: ReferenceServer) -> None:
    session = PtySession("login", env=url_env(slow), secrets=[api.SLOW])
    session.expect_exact("Token (input hidden): ")
    session.child.sendline(api.SLOW)
    session.expect_exact(CHECKING.format(url=slow.url))
    result = session.finish()

    assert result.exit_code == 0
    assert not any("Checking" in row for row in screen(result.transcript))
    assert screen(result.transcript)[-2].startswith("Welcome, ada!")


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["status", "-q"], {}, id="-q"),
        pytest.param(["status", "--json"], {}, id="--json"),
        pytest.param(["status", "-v"], {}, id="-v"),
        pytest.param(["status"], {"CI": "true"}, id="CI"),
    ],
)
def test_never_with_quiet_json_verbose_or_in_ci(
    server: ReferenceServer, args: list[str], env: dict[str, str]
) -> None:
    session = PtySession(*args, env={**url_env(server, api.VALID), **env})
    result = session.finish()

    assert result.exit_code == 0
    assert "Checking" not in result.transcript


def test_never_into_a_pipe(slow: ReferenceServer) -> None:
    result = run_nanoctl("status", env=url_env(slow, api.SLOW), secrets=[api.SLOW])

    assert result.exit_code == 0
    assert "Checking" not in result.stdout + result.stderr
    assert "\r" not in result.stdout + result.stderr


def test_a_terminal_too_narrow_for_the_url_gets_the_short_line(slow: ReferenceServer) -> None:
    """A line that wrapped could not be erased in place."""
    session = PtySession(
        "status", env=url_env(slow, api.SLOW), secrets=[api.SLOW], columns=len(slow.url) + 10
    )
    session.expect_exact("Checking the token with the API…")
    result = session.finish()

    assert result.exit_code == 0
    assert not any("Checking" in row for row in screen(result.transcript))
