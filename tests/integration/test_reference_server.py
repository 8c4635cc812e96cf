"""The reference server itself: its contract for clients other than ours, and its CLI."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import reference_server as ref
from reference_server import ReferenceServer

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "reference_server.py"


def status_of(url: str, authorization: str | None) -> int:
    request = urllib.request.Request(url)  # noqa: S310 - loopback http only
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", f"Basic {ref.VALID}", f"Bearer {ref.VALID} extra", "nope"],
)
def test_missing_or_garbled_authorization_is_401(
    reference_server: ReferenceServer, authorization: str | None
) -> None:
    assert status_of(f"{reference_server.url}/login", authorization) == 401


def test_the_scheme_is_case_insensitive_and_other_paths_are_404(
    reference_server: ReferenceServer,
) -> None:
    assert status_of(f"{reference_server.url}/login", f"bearer {ref.VALID}") == 200
    assert status_of(f"{reference_server.url}/logout", f"Bearer {ref.VALID}") == 404


def test_recorded_requests_hide_the_authorization_value_in_repr(
    reference_server: ReferenceServer,
) -> None:
    status_of(f"{reference_server.url}/login", f"Bearer {ref.VALID}")
    (request,) = reference_server.requests
    assert request.bearer == ref.VALID
    assert ref.VALID not in repr(request)
    assert reference_server.requests_with(ref.VALID) == [request]
    reference_server.reset()
    assert reference_server.requests == []


def test_tokens_are_unique_visible_ascii_and_long_enough_to_grep_for() -> None:
    values = list(ref.TOKENS.values())
    assert len(set(values)) == len(values)
    for value in values:
        assert len(value) >= 16
        assert all("\x21" <= c <= "\x7e" for c in value)
        assert sum(value in other for other in values) == 1  # no token inside another


def test_foreground_run_prints_its_url_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+/public/deployment)", line)
        assert match, line
        assert status_of(f"{match.group(1)}/login", f"Bearer {ref.VALID}") == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert ref.VALID not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
