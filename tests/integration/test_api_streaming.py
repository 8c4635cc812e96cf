"""`nanoctl api` streams (#24): a body of any size goes through in flat memory (VmHWM of the
nanoctl process), arrives as it is sent, may take as long as it keeps arriving, and fails at
the first silence longer than the timeout; a closed standard output, or one closed part-way,
is a failure with one line. Real processes: only a process has its own memory, pipes and
descriptors."""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest

import reference_server as ref
from reference_api import stream_pieces
from reference_server import ReferenceServer
from tests.integration.cli_harness import NANOCTL, assert_no_secret, environment, url_env

MIB = 1024 * 1024
TOKEN = ref.VALID


@dataclass
class Streamed:
    """What a reader of nanoctl's stdout got: the bytes' count and digest, when each piece
    arrived, and the peak resident memory of nanoctl while it ran."""

    exit_code: int = -1
    size: int = 0
    digest: str = ""
    arrivals: list[tuple[float, int]] = field(default_factory=list)
    stderr: str = ""
    peak_kib: int = 0
    seconds: float = 0.0


def peak_of(pid: int) -> int:
    """VmHWM (KiB) of ``pid``: its resident memory's high-water mark so far."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def stream(
    server: ReferenceServer,
    *args: str,
    env: dict[str, str] | None = None,
    keep: int | None = None,
    masked: bytes | None = TOKEN.encode(),
) -> Streamed:
    """Run `nanoctl api ARGS` with its stdout read by this test as it arrives (hashed, not
    kept; ``keep``: close the pipe after that many bytes), its memory sampled meanwhile."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(NANOCTL), "api", *args],
        env=environment({**url_env(server, TOKEN), **(env or {})}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdout is not None and process.stderr is not None
    result = Streamed()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result.peak_kib = max(result.peak_kib, peak_of(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    digest = hashlib.sha256()
    tail = b""
    while True:
        piece = process.stdout.read1(256 * 1024)  # type: ignore[attr-defined]
        if not piece:
            break
        if masked is not None:
            assert masked not in tail + piece, "the token reached standard output"
            tail = piece[-len(masked) :]
        result.arrivals.append((time.monotonic() - started, len(piece)))
        result.size += len(piece)
        digest.update(piece)
        if keep is not None and result.size >= keep:
            process.stdout.close()
            break
    result.stderr = process.stderr.read().decode("utf-8", "replace")
    result.exit_code = process.wait(timeout=60)
    result.seconds = time.monotonic() - started
    done.set()
    sampler.join()
    result.digest = digest.hexdigest()
    print(f"$ nanoctl api {' '.join(args)}  (exit {result.exit_code}, {result.size} bytes)")
    print(f"[stderr]\n{result.stderr}[end]")
    assert_no_secret(result.stderr, [TOKEN], "stderr")
    return result


def sha256(pieces: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def test_a_large_body_streams_through_in_flat_memory(server: ReferenceServer) -> None:
    small = stream(server, f"/stream?size={MIB}&token_every={MIB // 4}")
    large = stream(server, f"/stream?size={160 * MIB}&token_every={MIB}")
    binary = stream(server, f"/stream?size={160 * MIB}&kind=binary", masked=None)

    assert (small.exit_code, large.exit_code, binary.exit_code) == (0, 0, 0), large.stderr
    every = stream_pieces(160 * MIB, binary=False, chunk=64 * 1024, token=TOKEN.encode(), every=MIB)
    assert large.digest == sha256(piece.replace(TOKEN.encode(), b"***") for piece in every)
    assert binary.digest == sha256(stream_pieces(160 * MIB, binary=True, chunk=64 * 1024))
    assert binary.size == 160 * MIB
    # 160 MiB through it, the peak grows by less than a fifth of that: nothing is buffered
    # (a relay that held the body grew it by 330 MiB, tried)
    assert small.peak_kib > 0
    for run in (large, binary):
        assert run.peak_kib - small.peak_kib < 32 * 1024, (small.peak_kib, run.peak_kib)


def test_the_body_arrives_as_it_is_sent(server: ReferenceServer) -> None:
    result = stream(server, "/stream?size=6000&chunk=1000&interval=0.3")
    assert result.exit_code == 0
    first = result.arrivals[0][0]
    assert result.seconds - first > 1.0, result.arrivals  # the first piece came long before the end
    assert len(result.arrivals) >= 4


def test_silence_longer_than_the_timeout_ends_the_run_with_what_came(
    server: ReferenceServer,
) -> None:
    result = stream(
        server, "/stream?size=200000&chunk=10000&pause=10", env={"NANOCTL_HTTP_TIMEOUT": "1"}
    )
    before = 0
    for piece in stream_pieces(200_000, binary=False, chunk=10_000):
        if before >= 100_000:
            break
        before += len(piece)
    assert (result.exit_code, result.size) == (4, before)  # what came before the silence
    assert result.seconds < 6
    assert result.stderr == (  # #23: it was reached; not "Could not reach … timed out"
        f"Error: The API at {server.url} was reached but did not answer within 1 s. "
        "Try again later, or give it longer with NANOCTL_HTTP_TIMEOUT (the seconds each read "
        "may wait; nanoctl gives up after 3 times that).\n"
    )


def test_a_body_that_keeps_arriving_is_not_cut_by_the_deadline(server: ReferenceServer) -> None:
    result = stream(
        server, "/stream?size=12&chunk=1&interval=0.25", env={"NANOCTL_HTTP_TIMEOUT": "0.5"}
    )
    assert (result.exit_code, result.size) == (0, 12), result.stderr
    assert result.seconds > 1.5  # longer than the deadline of 3 x 0.5 s


def test_a_head_dripped_byte_by_byte_ends_at_the_deadline(server: ReferenceServer) -> None:
    server.drip_interval = 0.1
    result = subprocess.run(
        [str(NANOCTL), "api", "/deploy-status/web"],
        env=environment({**url_env(server, ref.DRIP_HEADERS), "NANOCTL_HTTP_TIMEOUT": "0.5"}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    print(result.stderr.decode())
    assert result.returncode == 4
    assert b"did not finish answering within 1.5 s." in result.stderr


def run_shell(script: str, server: ReferenceServer) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["sh", "-c", script],
        env=environment({**url_env(server, TOKEN), "NANOCTL": str(NANOCTL)}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    print(f"$ {script}\n[stdout]\n{done.stdout}[stderr]\n{done.stderr}[end]")
    assert_no_secret(done.stdout + done.stderr, [TOKEN], "the output")
    return done


def test_a_closed_standard_output_is_a_failure_and_nothing_is_sent(
    server: ReferenceServer,
) -> None:
    done = run_shell('"$NANOCTL" api /deploy-status/web >&-; echo "exit $?" >&2', server)
    assert done.stderr == (
        "Error: The API's answer was not written: standard output is closed. Run it with "
        "standard output going to a pipe or a file that can take it, or pass --silent when "
        "only the exit code matters.\nexit 1\n"
    )
    assert server.requests == []
    silent = run_shell('"$NANOCTL" api --silent /deploy-status/web >&-; echo "exit $?" >&2', server)
    assert silent.stderr == "exit 0\n"
    assert len(server.requests) == 1


def test_a_reader_gone_part_way_is_a_failure_with_one_line(server: ReferenceServer) -> None:
    result = stream(server, f"/stream?size={64 * MIB}", keep=100_000)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The API's answer was not written: the reader of standard output is gone "
        "(broken pipe). Run it with standard output going to a pipe or a file that can take "
        "it, or pass --silent when only the exit code matters.\n"
    )


@pytest.mark.parametrize("target", ["/dev/full"])
def test_a_full_disk_is_a_failure_with_one_line(server: ReferenceServer, target: str) -> None:
    if not os.path.exists(target):
        pytest.fail(f"{target} is needed")
    done = run_shell(f'"$NANOCTL" api /deploy-status/web > {target}; echo "exit $?" >&2', server)
    assert done.stderr.splitlines() == [
        "Error: The API's answer was not written: no space left on device. Run it with "
        "standard output going to a pipe or a file that can take it, or pass --silent when "
        "only the exit code matters.",
        "exit 1",
    ]
