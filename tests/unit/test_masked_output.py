"""The relay of `nanoctl exec`'s output (adapters/process/relay.py), in this process, with a
real child writing into it: a destination someone set non-blocking still gets every byte,
SIGCHLD's handler and the wake-up descriptor are put back, and where the relay cannot run
(Windows) the runner refuses rather than pass the output on unmasked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nanoctl.adapters.process.relay import MaskedOutput
from nanoctl.adapters.process.runner import ChildProcessRunner
from nanoctl.domain.errors import MaskingUnsupported
from tests.unit.builders import credential

SECRET = b"relay-secret-0001"


def relayed(code: str, *, slow_reader: bool) -> tuple[int, bytes]:
    """What a child running ``code`` wrote, through a MaskedOutput into a pipe we set
    non-blocking; read slowly, the pipe is full most of the time."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    received: list[bytes] = []

    def read() -> None:
        while data := os.read(read_end, 4096):
            received.append(data)
            if slow_reader and len(received) % 16 == 0:
                time.sleep(0.001)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        with MaskedOutput([(write_end, (1,))], [SECRET]) as output:
            child = subprocess.Popen(
                [sys.executable, "-c", code], stdout=output.stdout, stderr=output.stderr
            )
            output.started()
            status = output.wait(child)
    finally:
        os.close(write_end)
        reader.join(timeout=30)
        os.close(read_end)
    return status, b"".join(received)


def test_a_non_blocking_destination_that_is_full_still_gets_every_byte() -> None:
    code = (
        "import sys; out = sys.stdout.buffer\n"
        "for n in range(2000): out.write(b'%d relay-secret-0001 ' % n + b'.' * 500 + b'\\n')\n"
    )

    status, data = relayed(code, slow_reader=True)

    lines = data.decode().splitlines()
    assert status == 0
    assert lines == [f"{n} *** " + "." * 500 for n in range(2000)]


def test_the_signal_handler_and_wakeup_descriptor_are_put_back() -> None:
    before = signal.getsignal(signal.SIGCHLD)

    status, data = relayed("raise SystemExit(3)", slow_reader=False)

    assert (status, data) == (3, b"")
    assert signal.getsignal(signal.SIGCHLD) is before
    assert signal.set_wakeup_fd(-1) == -1  # ours is gone: none was set before


def test_on_windows_masking_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    """pytest captures our stdout into a file: a destination to mask."""
    marker = tmp_path / "ran"
    runner = ChildProcessRunner({"PATH": os.environ["PATH"]}, platform="win32")

    with pytest.raises(MaskingUnsupported):
        runner.run(["touch", str(marker)], credential("good-token-0001"), "always")
    assert not marker.exists()

    assert runner.run(["touch", str(marker)], credential("good-token-0001"), "off") == 0
    assert marker.exists()
