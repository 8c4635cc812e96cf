"""The leak sweep of tests/conftest.py still fails the run when the tests run on
pytest-xdist workers (each test's captured output reaches the controller in its report): a
planted test that prints a known token, run on two workers by a pytest of its own with this
suite's conftest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLANTED = """
import reference_server


def test_prints_a_token() -> None:
    print(f"oops: {reference_server.VALID}")


def test_prints_nothing() -> None:
    print("all good")
"""


def test_a_token_printed_by_a_test_on_a_worker_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "test_planted.py").write_text(PLANTED)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tools")])}

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    assert "TOKEN LEAK in captured output:" in done.stdout
    assert "test_planted.py::test_prints_a_token (call): 1 token(s)" in done.stdout
    assert "test_prints_nothing" not in done.stdout.split("TOKEN LEAK")[1]
