"""Isolation for every test, the leak sweep over the whole run, and tests that run alone.

No test may read or write a real credential or keyring: HOME, the config dir and
the keyring backend are per test. After each test, every file under its HOME is
searched for known tokens; after the run, every test's captured output is.
A test marked ``alone`` runs while no other test does (tests/alone.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nanoctl.entrypoints.agent import AGENT_ENV, AGENT_VARIABLES
from tests import alone, leaks

AGENT_ENVIRONMENT = (*AGENT_VARIABLES, AGENT_ENV)
"""What puts nanoctl in agent mode: scrubbed, so the suite passes when an agent runs it
(a test that wants agent mode sets one of them itself)."""
_SCRUBBED = (
    "NANOSERVICES_TOKEN",
    "NANOSERVICES_TOKEN_FILE",
    "NANOSERVICES_API_URL",
    "NANOCTL_CONFIG_DIR",
    "NANOCTL_KEYRING",
    "NANOCTL_PROFILE",
    "NANOCTL_HTTP_TIMEOUT",
    "NANOCTL_MASK",
    "NO_COLOR",
    "CI",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NETRC",
    "XDG_CONFIG_HOME",
    "SHELL_VERBOSITY",
    "COLUMNS",  # the width help pages are laid out for (80 unless a test sets it)
    *AGENT_ENVIRONMENT,
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HOME and config dir; keyring forced to the key file; env scrubbed.

    On teardown, no file under HOME may hold a known token in plaintext.
    """
    home = tmp_path / "home"
    home.mkdir()
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NANOCTL_CONFIG_DIR", str(home / ".config" / "nanoctl"))
    monkeypatch.setenv("NANOCTL_KEYRING", "0")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost")
    yield home
    hits = leaks.find_in_files(home, leaks.known_tokens())
    assert not hits, f"plaintext token in {sorted({str(p) for p, _ in hits})}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    exclusive = item.get_closest_marker(alone.MARK) is not None
    with alone.turn(alone.lock_directory(item.config), alone=exclusive):
        return (yield)


_output_leaks: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    texts = [content for _, content in report.sections]
    found = leaks.find_in_text(texts, leaks.known_tokens())
    if found:
        _output_leaks.append(f"{report.nodeid} ({report.when}): {len(found)} token(s)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _output_leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("TOKEN LEAK in captured output:", red=True)
            for line in _output_leaks:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
