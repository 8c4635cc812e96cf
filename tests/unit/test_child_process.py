"""What `nanoctl exec`'s program is handed (its environment), and the signal forwarding
around it, in this process: handlers installed and restored, an ignored signal left
ignored, a signal that comes before the program is started passed on once it is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from nanoctl.adapters.process.runner import API_URL_VARIABLE, child_environment
from nanoctl.adapters.process.signals import FORWARDED, SignalForwarding
from nanoctl.entrypoints import settings
from tests.unit.builders import credential


def test_the_environment_gets_the_token_and_api_url_and_loses_the_token_file() -> None:
    given = {
        "PATH": "/usr/bin",
        "NANOSERVICES_TOKEN_FILE": "/run/secrets/nano",
        "NANOSERVICES_TOKEN": "old-token-0001",
        "NANOSERVICES_API_URL": "https://old.example.test",
    }
    handed = child_environment(given, credential("stored-token-0001"))
    assert handed == {
        "PATH": "/usr/bin",
        "NANOSERVICES_TOKEN": "stored-token-0001",
        "NANOSERVICES_API_URL": "https://api.example.test/base",
    }
    assert given["NANOSERVICES_TOKEN_FILE"] == "/run/secrets/nano"  # ours is untouched


def test_the_api_url_variable_is_the_one_the_settings_read() -> None:
    assert API_URL_VARIABLE == settings.API_URL_ENV


@pytest.fixture
def handlers() -> Iterator[None]:
    before = {signum: signal.getsignal(signum) for signum in FORWARDED}
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


def test_handlers_are_installed_while_forwarding_and_restored_after(handlers: None) -> None:
    before = {signum: signal.getsignal(signum) for signum in FORWARDED}
    with SignalForwarding():
        during = {signum: signal.getsignal(signum) for signum in FORWARDED}
    assert all(during[signum] is not before[signum] for signum in FORWARDED)
    assert {signum: signal.getsignal(signum) for signum in FORWARDED} == before


def test_an_ignored_signal_stays_ignored(handlers: None) -> None:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    with SignalForwarding():
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN


def test_a_signal_before_the_program_starts_is_passed_on_when_it_does(handlers: None) -> None:
    wait = "import signal, sys, time; signal.signal(signal.SIGTERM, lambda *a: sys.exit(42));"
    wait += "print('ready', flush=True); time.sleep(30)"
    with SignalForwarding() as forwarding:
        os.kill(os.getpid(), signal.SIGTERM)  # to us, while nothing runs yet: kept
        time.sleep(0.05)
        child = subprocess.Popen([sys.executable, "-c", wait], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        forwarding.to(child.pid)
        status = child.wait(timeout=30)
    assert status == 42
