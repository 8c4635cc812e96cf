"""The installed `nanoctl` executable itself: --version (also as
`python -m nanoctl`), and a closed stdout pipe that is not an internal error.

Each test runs the real console script in a subprocess (stdin a pipe or /dev/null, so
never a terminal); no run may print a token (tests/integration/cli_harness.py).
"""

from __future__ import annotations

import sys

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    run_nanoctl,
    run_with_reader_gone,
    url_env,
)

# --- 11. the executable itself -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(None, id="nanoctl"),
        pytest.param([sys.executable, "-m", "nanoctl"], id="python -m nanoctl"),
    ],
)
def test_version_prints_the_name_and_version(command: list[str] | None) -> None:
    result = run_nanoctl("--version", command=command)

    assert result.exit_code == 0
    assert result.stdout_lines == ["nanoctl 0.1.0"]
    assert result.stderr == ""


# --- 12. the wheel -------------------------------------------------------------------------------


def test_a_closed_stdout_pipe_is_not_reported_as_an_internal_error(
    server: ReferenceServer,
) -> None:
    """`nanoctl login --token - | head -0`: the reader is gone before nanoctl writes."""
    code, stderr = run_with_reader_gone(
        "login", "--token", "-", env=url_env(server), stdin=f"{api.VALID}\n".encode()
    )
    assert code == 0
    assert "internal error" not in stderr
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
