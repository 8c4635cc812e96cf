"""`login --import-legacy` never destroys a token stored nowhere else (#20 item 1).

The import reads the old client's file, asks the API (a round trip), stores the token, and
only then destroys the file. If the old client writes another token into it meanwhile,
that token exists nowhere else: the file is kept, and the output says so. The race is
real: the API answers slowly (the reference server's slow token), and a second process,
Node writing the file as the old client does (`fs.writeFileSync`, in place) or a tool
replacing it (a new file renamed over it), rewrites it once the request has reached the
server, well before the answer.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import reference_server as api
from reference_server import ReferenceServer
from tests import leaks
from tests.integration.cli_harness import NANOCTL, assert_no_secret, environment, expiry
from tests.legacy_files import legacy_content, node_available, write_legacy

SLOW_SECONDS = 3.0

IN_PLACE = r"""
const fs = require('fs');
fs.writeFileSync(process.argv[1], Buffer.from(process.argv[2], 'hex'));
"""
IN_PLACE_PYTHON = r"""
import sys
with open(sys.argv[1], "r+b") as file:
    file.truncate(0)
    file.write(bytes.fromhex(sys.argv[2]))
"""
REPLACE_PYTHON = r"""
import os, sys
temporary = sys.argv[1] + ".new"
with open(temporary, "wb") as file:
    file.write(bytes.fromhex(sys.argv[2]))
os.replace(temporary, sys.argv[1])
"""


def rewriter(how: str, path: Path, content: bytes) -> list[str]:
    """The second process: the old client saving a token again (in place), or a tool
    replacing the file with a new one."""
    if how == "in place" and node_available():
        return ["node", "-e", IN_PLACE, str(path), content.hex()]
    script = IN_PLACE_PYTHON if how == "in place" else REPLACE_PYTHON
    return [sys.executable, "-c", script, str(path), content.hex()]


def import_while_rewritten(
    server: ReferenceServer, path: Path, content: bytes, how: str
) -> tuple[int, str, str]:
    """Run the import; rewrite ``path`` with ``content`` once the token reached the API."""
    server.slow_seconds = SLOW_SECONDS
    nanoctl = subprocess.Popen(
        [str(NANOCTL), "login", "--import-legacy", "-n"],
        env=environment({"NANOSERVICES_API_URL": server.url}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not server.requests_with(api.SLOW) and time.monotonic() < deadline:
            time.sleep(0.005)
        arrived = time.monotonic()
        assert server.requests_with(api.SLOW), "the import never asked the API"
        subprocess.run(rewriter(how, path, content), check=True, timeout=30)
        rewritten = time.monotonic()
        out, err = nanoctl.communicate(timeout=60)
    finally:
        nanoctl.kill()
        nanoctl.wait()
    # The race was staged as meant: the file changed while the API was still answering.
    assert rewritten - arrived < SLOW_SECONDS - 0.5
    print(f"$ nanoctl login --import-legacy -n  (exit {nanoctl.returncode})")
    print(f"[stdout]\n{out}[stderr]\n{err}[end]")
    assert_no_secret(out + err, leaks.known_tokens(), "the output")
    return nanoctl.returncode, out, err


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_a_token_written_into_the_legacy_file_during_the_import_is_kept(
    server: ReferenceServer, isolated_home: Path, how: str
) -> None:
    path = write_legacy(isolated_home, api.SLOW)
    newer = legacy_content(api.VALID_USER)  # another token, which only that file holds

    code, out, err = import_while_rewritten(server, path, newer, how)

    assert code == 0, err
    assert path.read_bytes() == newer
    assert out.splitlines() == [
        f"Imported the token saved by the old nanoctl at {path}.",
        f"Welcome, ada! Your token expires {expiry(server.after(days=30))}.",
        "The token is stored encrypted; `nanoctl logout` removes it.",
        f"Kept {path}: it was rewritten during the import and no longer holds the imported token.",
    ]
    assert err == ""


def test_the_same_token_written_again_during_the_import_is_still_destroyed(
    server: ReferenceServer, isolated_home: Path
) -> None:
    """The re-check compares tokens, not bytes: the old client saving the very token again
    (a new IV, so other bytes) leaves nothing worth keeping."""
    path = write_legacy(isolated_home, api.SLOW)

    code, out, err = import_while_rewritten(server, path, legacy_content(api.SLOW), "in place")

    assert code == 0, err
    assert not path.exists()
    assert out.splitlines()[-1].startswith(
        f"Removed the old nanoctl's copies of the token: {path};"
    )
