"""`nanoctl token` succeeds only when the token was written (#20 item 6): a closed standard
output (`>&-`), a full disk (`/dev/full`) or a reader that is gone is exit 1 with one line
saying so, as `cat` and `echo` fail there; a file or a pipe still gets the token."""

from __future__ import annotations

from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests.integration.cli_harness import (
    NANOCTL,
    one_line,
    run_nanoctl,
    run_with_reader_gone,
    url_env,
)

NEXT = (
    "Run it with standard output going to a pipe or a file that can take it "
    "(`nanoctl token | …`, `nanoctl token > file`)."
)


def shell(redirect: str) -> list[str]:
    """`nanoctl …` run by sh with ``redirect`` applied to it."""
    return ["sh", "-c", f'exec "$0" "$@" {redirect}', str(NANOCTL)]


@pytest.mark.parametrize("args", [("token",), ("token", "--header")], ids=" ".join)
def test_a_closed_stdout_is_a_failure_not_a_silent_success(
    server: ReferenceServer, args: tuple[str, ...]
) -> None:
    result = run_nanoctl(*args, command=shell(">&-"), env=url_env(server, api.VALID))

    assert (result.exit_code, result.stdout) == (1, "")
    closed = "Error: The token was not written: standard output is closed."
    assert one_line(result) == f"{closed} {NEXT}"


def test_a_full_disk_is_a_failure_that_says_so(server: ReferenceServer) -> None:
    result = run_nanoctl("token", command=shell(">/dev/full"), env=url_env(server, api.VALID))

    assert (result.exit_code, result.stdout) == (1, "")
    assert one_line(result) == (
        f"Error: The token was not written: no space left on device. {NEXT}"
    )


def test_a_reader_that_is_gone_is_a_failure(server: ReferenceServer) -> None:
    """`nanoctl token | cmd` where cmd exited first: the token reached nobody."""
    code, stderr = run_with_reader_gone("token", env=url_env(server, api.VALID))

    assert code == 1
    assert stderr.splitlines() == [
        f"Error: The token was not written: the reader of standard output is gone (broken "
        f"pipe). {NEXT}"
    ]


def test_a_file_still_gets_the_token(server: ReferenceServer, tmp_path: Path) -> None:
    out = tmp_path / "token.txt"

    result = run_nanoctl(
        "token", command=shell(f">{out}"), env=url_env(server, api.VALID), reveals=api.VALID
    )

    assert (result.exit_code, result.stderr) == (0, "")
    assert out.read_text() == f"{api.VALID}\n"
    out.unlink()  # the leak sweep looks under HOME only, but leave no token behind


def test_not_logged_in_with_a_closed_stdout_is_still_not_logged_in() -> None:
    result = run_nanoctl("token", command=shell(">&-"))

    assert result.exit_code == 1
    assert one_line(result).startswith("Error: You are not logged in.")
