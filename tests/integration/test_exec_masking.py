"""`nanoctl exec` hides the token in its program's output (#25): real child processes write
it raw, split across writes, byte by byte, in each encoding, inside binary data and a 100 MB
stream, right before they exit or are killed, from a background process that outlives them;
what arrives is checked for content and, through reader threads that timestamp each chunk,
for when it arrives. At a terminal the program keeps the terminal (unmasked, unbuffered)
unless --mask; --no-mask and NANOCTL_MASK choose as documented.

The program is tests/integration/output_program.py. A raw token must never reach pytest's
capture (the leak sweep checks it); encoded forms may, where a test shows them unmasked.
"""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import reference_server as api
from tests import leaks
from tests.integration.cli_harness import (
    NANOCTL,
    Env,
    PtySession,
    assert_no_secret,
    environment,
    one_line,
    run_nanoctl,
)
from tests.integration.output_program import binary_chunks

PYTHON = sys.executable
PROGRAM = str(Path(__file__).with_name("output_program.py"))
API_URL = "https://api.example.test/base"
ODD = 'nano/odd+"tok\\en=?&_9Q'
"""A token with the characters URL-encoding, JSON and base64url treat specially."""
SETTLE = 0.3
"""Seconds in which bytes the relay passes on would have arrived: what has not is held."""


def env_with(token: str = api.VALID, **more: str | None) -> Env:
    leaks.register(token)
    return {"NANOSERVICES_TOKEN": token, "NANOSERVICES_API_URL": API_URL, **more}


def b64_form(token: str) -> str:
    """`printf 'x:%s' "$TOKEN" | base64`: the token's base64 after a prefix."""
    return base64.b64encode(f"x:{token}".encode()).decode()


class Streamed:
    """`nanoctl ARGS` with pipes, in its own session; a thread per output reads it and
    timestamps every chunk (time.monotonic, which the program's records share)."""

    def __init__(self, *args: str, env: Env, merge: bool = False) -> None:
        self.args = args
        self.process = subprocess.Popen(
            [str(NANOCTL), *args],
            env=environment(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge else subprocess.PIPE,
            start_new_session=True,
        )
        self.chunks: dict[str, list[tuple[float, bytes]]] = {"stdout": [], "stderr": []}
        self._readers = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("stdout", self.process.stdout), ("stderr", self.process.stderr))
            if stream is not None
        ]
        for reader in self._readers:
            reader.start()
        self._watchdog = threading.Timer(60, self.process.kill)
        self._watchdog.start()

    def _read(self, name: str, stream: object) -> None:
        fd = stream.fileno()  # type: ignore[attr-defined]
        while data := os.read(fd, 65536):
            self.chunks[name].append((time.monotonic(), data))

    def output(self, name: str = "stdout") -> bytes:
        return b"".join(data for _, data in self.chunks[name])

    def wait_for(self, text: bytes, name: str = "stdout") -> float:
        """When ``text`` had arrived in full (the watchdog ends a wait that never does)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            received = b""
            for at, data in list(self.chunks[name]):
                received += data
                if text in received:
                    return at
            time.sleep(0.01)
        raise AssertionError(f"{text!r} never arrived on {name}")

    def written(self, record: Path, count: int) -> None:
        """Wait until the program has written ``count`` pieces (output_program `pieces`),
        then as long again as a relay would take to pass one on (what is held stays)."""
        deadline = time.monotonic() + 30
        while len(written(record)) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(written(record)) >= count, f"the program wrote {written(record)}"
        time.sleep(SETTLE)

    def next_piece(self, record: Path, count: int) -> None:
        """Let the program write its next piece (the ``count``-th), and wait for it."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"\n")
        self.process.stdin.flush()
        self.written(record, count)

    def finish(self, stdin: bytes = b"") -> int:
        assert self.process.stdin is not None
        if stdin:
            self.process.stdin.write(stdin)
        self.process.stdin.close()
        code = self.process.wait(timeout=60)
        for reader in self._readers:
            reader.join(timeout=60)
        self._watchdog.cancel()
        out = self.output().decode("utf-8", "replace")
        err = self.output("stderr").decode("utf-8", "replace")
        print(f"$ nanoctl {' '.join(self.args)}  (exit {code})")
        print(f"[stdout]\n{out}[stderr]\n{err}[end]")
        assert_no_secret(out + err, leaks.known_tokens(), "the output")
        return code


def written(record: Path) -> list[float]:
    """When output_program.py's `pieces` wrote each piece (time.monotonic)."""
    return [float(line) for line in record.read_text().split()] if record.exists() else []


# --- what is hidden -----------------------------------------------------------------------


def test_the_token_and_each_encoding_of_it_are_hidden_in_stdout_and_stderr() -> None:
    script = (
        'printf "raw %s\\n" "$NANOSERVICES_TOKEN"; '
        "printf 'x:%s' \"$NANOSERVICES_TOKEN\" | base64; "
        "printf 'xy:%s' \"$NANOSERVICES_TOKEN\" | base64; "
        "printf 'xyz:%s' \"$NANOSERVICES_TOKEN\" | base64; "
        "printf '%s' \"$NANOSERVICES_TOKEN\" | base64 | tr '+/' '-_'; "
        f'{PYTHON} -c "import os, urllib.parse as u; '
        "print(u.quote(os.environ['NANOSERVICES_TOKEN'], safe=''))\"; "
        f"{PYTHON} -c \"import os, json; print(json.dumps(os.environ['NANOSERVICES_TOKEN']))\"; "
        'printf "err %s\\n" "$NANOSERVICES_TOKEN" >&2'
    )

    result = run_nanoctl("exec", "--", "sh", "-c", script, env=env_with(ODD))

    assert result.exit_code == 0
    raw, *encoded, url, as_json = result.stdout_lines
    assert (raw, url, as_json, result.stderr) == ("raw ***", "***", '"***"', "err ***\n")
    assert len(encoded) == 4
    for line in encoded:  # what is left: the prefix's characters and a few bits of the token
        before, after = line.split("***")
        assert len(before) <= 8 and len(after) <= 4, line
    assert b64_form(ODD) not in result.stdout
    assert quote(ODD, safe="") not in result.stdout


def test_a_token_split_across_writes_is_hidden_and_what_cannot_begin_it_is_not_held(
    tmp_path: Path,
) -> None:
    record = tmp_path / "times"
    parts = ["before ", "T[0:9]", "T[9:]", " after\\n"]
    running = Streamed("exec", "--", PYTHON, PROGRAM, "pieces", str(record), *parts, env=env_with())

    arrived = running.wait_for(b"before ")  # comes while the program waits for us
    running.next_piece(record, 2)
    held = running.output()  # the token's beginning, written: held
    running.next_piece(record, 3)
    masked = running.wait_for(b"before ***")  # the rest of it: the whole token, hidden
    running.next_piece(record, 4)
    code = running.finish()

    assert code == 0
    assert held == b"before "
    assert running.output() == b"before *** after\n"
    wrote = written(record)
    assert arrived < wrote[1]
    assert wrote[2] <= masked < wrote[3]
    assert all(api.VALID[:9].encode() not in data for _, data in running.chunks["stdout"])


def test_a_beginning_that_turns_out_not_to_be_the_token_is_passed_on_as_written(
    tmp_path: Path,
) -> None:
    record = tmp_path / "times"
    parts = ["T[0:9]", "vacation\\n", "end"]
    running = Streamed("exec", "--", PYTHON, PROGRAM, "pieces", str(record), *parts, env=env_with())

    running.written(record, 1)
    held = running.output()
    running.next_piece(record, 2)
    released = running.wait_for(api.VALID[:9].encode() + b"vacation\n")
    running.next_piece(record, 3)

    assert running.finish() == 0
    assert held == b""
    assert running.output() == api.VALID[:9].encode() + b"vacation\nend"
    assert released < written(record)[2]  # by the bytes that ruled it out, not the end


def test_lines_arrive_as_the_program_writes_them(tmp_path: Path) -> None:
    """Line-buffered output stays line-buffered: nothing waits for more output or the end
    (each line arrives while the program waits for us to ask for the next)."""
    record = tmp_path / "times"
    lines = ["line 1\\n", "line 2 {T}\\n", "-on stderr\\n", "line 3\\n"]
    running = Streamed("exec", "--", PYTHON, PROGRAM, "pieces", str(record), *lines, env=env_with())

    arrived = [running.wait_for(b"line 1\n")]
    running.next_piece(record, 2)
    arrived.append(running.wait_for(b"line 2 ***\n"))
    running.next_piece(record, 3)
    arrived.append(running.wait_for(b"on stderr\n", "stderr"))
    running.next_piece(record, 4)

    assert running.finish() == 0
    assert running.output() == b"line 1\nline 2 ***\nline 3\n"
    assert running.output("stderr") == b"on stderr\n"
    wrote = written(record)
    assert all(wrote[n] <= arrived[n] < wrote[n + 1] for n in range(3))


def test_a_prompt_without_a_newline_arrives_before_the_program_waits_for_input() -> None:
    running = Streamed("exec", "--", PYTHON, PROGRAM, "prompt", env=env_with())

    running.wait_for(b"Password: ")  # held, it would never come: the program waits for us
    assert running.finish(b"secret answer\n") == 0
    assert running.output() == b"Password: thanks\n"


def test_the_token_written_one_byte_at_a_time_is_hidden() -> None:
    result = run_nanoctl(
        "exec",
        "--",
        PYTHON,
        PROGRAM,
        "bytewise",
        "token={T};\\n",
        "-err {T} {T}\\n",
        env=env_with(ODD),
    )

    assert (result.exit_code, result.stdout, result.stderr) == (0, "token=***;\n", "err *** ***\n")


def test_binary_output_passes_byte_for_byte() -> None:
    size = 3 * 1024 * 1024
    env = env_with()

    done = subprocess.run(
        [str(NANOCTL), "exec", "--", PYTHON, PROGRAM, "binary", "25", str(size)],
        env=environment(env),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )

    want = b"".join(binary_chunks(25, size, api.VALID.encode()))
    print(f"exit {done.returncode}, {len(done.stdout)} bytes, stderr {done.stderr!r}")
    assert (done.returncode, done.stderr) == (0, b"")
    assert hashlib.sha256(done.stdout).hexdigest() == hashlib.sha256(want).hexdigest()
    assert len(done.stdout) == len(want)


def test_stdout_and_stderr_into_one_pipe_keep_their_order() -> None:
    running = Streamed(
        "exec", "--", PYTHON, PROGRAM, "interleave", "200", env=env_with(), merge=True
    )

    assert running.finish() == 0
    lines = running.output().decode().splitlines()
    assert lines == [*(f"line {n}" for n in range(200)), "same pipe: True"]


# --- the program's end ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "want_out", "want_code"),
    [
        pytest.param('printf "last words"', "last words", 0, id="exits"),
        pytest.param(
            'printf "tail %.5s" "$NANOSERVICES_TOKEN"; exit 3',
            f"tail {api.VALID[:5]}",
            3,
            id="ends in a beginning",
        ),
        pytest.param(
            'printf "last words %s" "$NANOSERVICES_TOKEN"; kill -KILL $$',
            "last words ***",
            137,
            id="SIGKILL",
        ),
        pytest.param('printf "last words"; kill -TERM $$', "last words", 143, id="SIGTERM"),
    ],
)
def test_a_program_that_writes_and_ends_at_once_loses_no_byte(
    script: str, want_out: str, want_code: int
) -> None:
    result = run_nanoctl("exec", "--", "sh", "-c", script, env=env_with())

    assert (result.exit_code, result.stdout, result.stderr) == (want_code, want_out, "")


def test_a_megabyte_written_right_before_the_end_arrives_whole() -> None:
    code = (
        "import os, sys; sys.stdout.buffer.write(b'x' * (1 << 20)); sys.stdout.flush(); os._exit(0)"
    )

    done = subprocess.run(
        [str(NANOCTL), "exec", "--", PYTHON, "-c", code],
        env=environment(env_with()),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )

    print(f"exit {done.returncode}, {len(done.stdout)} bytes, stderr {done.stderr!r}")
    assert (done.returncode, done.stdout, done.stderr) == (0, b"x" * (1 << 20), b"")


def test_nanoctl_ends_with_the_program_though_a_background_process_holds_its_output(
    tmp_path: Path,
) -> None:
    """What the program wrote right before its end arrives whole (a beginning of the token
    included), though no end of file comes; what that process writes later is lost: its
    write finds the pipe closed (EPIPE)."""
    record = tmp_path / "late"
    result = run_nanoctl("exec", "--", PYTHON, PROGRAM, "outlive", str(record), env=env_with())
    pid = int(Path(f"{record}.pid").read_text())
    try:
        os.kill(pid, 0)  # still there: nanoctl did not wait for it
        outlived = True
    except ProcessLookupError:
        outlived = False
    Path(f"{record}.go").touch()
    deadline = time.monotonic() + 30
    result_file = Path(f"{record}.result")
    while not result_file.exists() and time.monotonic() < deadline:
        time.sleep(0.02)

    last = "x" * 200_000 + f" *** {api.VALID[:5]}"
    assert (result.exit_code, result.stdout, result.stderr) == (5, f"started\n{last}", "")
    assert outlived, "nanoctl waited for the background process to end"
    assert result_file.read_text() == "EPIPE"


def test_the_program_dies_of_its_own_write_to_a_reader_that_is_gone_not_of_ours() -> None:
    """nanoctl's failed write raises SIGPIPE in nanoctl; that one is not passed on, so the
    program lives on until its own next write there, as it would without nanoctl."""
    process = subprocess.Popen(
        [str(NANOCTL), "exec", "--", PYTHON, PROGRAM, "after_reader_gone"],
        env=environment(env_with()),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader is gone
    process.stdin.write(b"go on\n")
    process.stdin.close()

    code = process.wait(timeout=60)
    err = process.stderr.read()

    print(f"exit {code}, stdout {first!r}, stderr {err!r}")
    assert first == b"one\n"
    assert err == b"alive\n"
    assert code == 128 + signal.SIGPIPE


# --- 100 MB through the mask -----------------------------------------------------------------


def peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def stream_through(mib: int) -> tuple[int, int, int]:
    """`exec` of a program that writes ``mib`` MiB: (bytes received, *** seen, nanoctl's
    peak memory in KiB at the end), the token checked for across every chunk's edge."""
    running = subprocess.Popen(
        [str(NANOCTL), "exec", "--", PYTHON, PROGRAM, "stream", str(mib)],
        env=environment(env_with()),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    watchdog = threading.Timer(120, running.kill)
    watchdog.start()
    assert running.stdout is not None and running.stdin is not None
    token = api.VALID.encode()
    received = masked = 0
    tail = b""
    while True:
        data = os.read(running.stdout.fileno(), 1 << 20)
        if not data:
            break
        window = tail + data
        assert token not in window, "the token went through"
        masked += window.count(b"***") - tail.count(b"***")
        received += len(data)
        tail = window[-64:]
        if window.endswith(b"END\n"):
            break
    peak = peak_memory_kib(running.pid)
    running.stdin.write(b"done\n")
    running.stdin.close()
    running.stdout.close()
    code = running.wait(timeout=60)
    watchdog.cancel()
    print(f"{mib} MiB: exit {code}, {received} bytes, {masked} masked, VmHWM {peak} KiB")
    assert code == 0
    return received, masked, peak


def test_a_100_mb_stream_is_masked_with_flat_memory() -> None:
    _, _, small_peak = stream_through(1)

    received, masked, peak = stream_through(100)

    assert masked == 1024  # a line in 100 holds it
    assert received == 100 * 1024 * 1024 - masked * (len(api.VALID) - 3) + len(b"END\n")
    assert peak - small_peak < 10 * 1024, f"peak memory grew by {peak - small_peak} KiB"


# --- terminals and the choice ----------------------------------------------------------------

REPORT = (
    "import base64, os, sys; "
    "print([os.isatty(fd) for fd in (0, 1, 2)], flush=True); "
    "form = base64.b64encode(('x:' + os.environ['NANOSERVICES_TOKEN']).encode()).decode(); "
    "print('form', form, flush=True); sys.stderr.write('form ' + form + chr(10)); "
    "print('ready', flush=True); sys.stdin.readline(); print('bye', flush=True)"
)
"""Says which of its descriptors are terminals, writes the token's base64 form (which the
mask hides, and the leak sweep lets pass) to stdout and stderr, then waits for a line.
Each line is one write: stderr writes through, so a print() there is one write per piece,
and another process's line (stdout through `cat`) could land between them."""


def test_a_terminal_gets_the_program_itself_unmasked_and_unbuffered() -> None:
    form = b64_form(api.VALID)
    session = PtySession("exec", "--", PYTHON, "-c", REPORT, env=env_with())

    session.expect_exact("ready")  # before any input: nothing is held back
    session.child.sendline("go")
    result = session.finish()

    assert result.exit_code == 0
    assert result.lines == [
        "[True, True, True]",
        f"form {form}",
        f"form {form}",
        "ready",
        "go",
        "bye",
    ]


def test_mask_at_a_terminal_masks_both_outputs() -> None:
    session = PtySession("exec", "--mask", "--", PYTHON, "-c", REPORT, env=env_with())

    session.expect_exact("ready")
    session.child.sendline("go")
    result = session.finish()

    assert result.exit_code == 0
    assert "[True, False, False]" in result.lines
    assert result.lines.count("form eDpu***") == 2
    assert b64_form(api.VALID) not in result.transcript


@pytest.mark.parametrize(
    ("options", "variable", "masked"),
    [
        pytest.param([], None, True, id="default"),
        pytest.param(["--no-mask"], None, False, id="--no-mask"),
        pytest.param([], "0", False, id="NANOCTL_MASK=0"),
        pytest.param([], "1", True, id="NANOCTL_MASK=1"),
        pytest.param(["--mask"], "0", True, id="--mask beats NANOCTL_MASK=0"),
        pytest.param(["--no-mask"], "1", False, id="--no-mask beats NANOCTL_MASK=1"),
    ],
)
def test_no_mask_and_nanoctl_mask_choose_for_pipes(
    options: list[str], variable: str | None, masked: bool
) -> None:
    form = b64_form(api.VALID)
    env = env_with(NANOCTL_MASK=variable)

    result = run_nanoctl("exec", *options, "--", PYTHON, "-c", REPORT, env=env, stdin="go\n")

    assert result.exit_code == 0
    shown = "eDpu***" if masked else form
    assert result.stdout_lines == ["[False, False, False]", f"form {shown}", "ready", "bye"]
    assert result.stderr == f"form {shown}\n"


def test_only_the_output_that_is_not_a_terminal_is_masked() -> None:
    """`nanoctl exec -- cmd | tee log` at a terminal: stdout is a pipe, stderr the terminal."""
    form = b64_form(api.VALID)
    session = PtySession(
        "exec",
        "--",
        PYTHON,
        "-c",
        REPORT,
        env=env_with(),
        command=["sh", "-c", f'"{NANOCTL}" "$@" | cat', "sh"],
    )

    session.expect_exact("ready")
    session.child.sendline("go")
    result = session.finish()

    # Through `cat`, stdout's lines may come between stderr's: no order is asserted.
    assert result.exit_code == 0
    assert "[True, False, True]" in result.transcript
    assert result.transcript.count(f"form {form}") == 1  # stderr, at the terminal
    assert result.transcript.count("form eDpu***") == 1  # stdout, through the pipe


SET_NANOCTL_MASK = (
    "Set NANOCTL_MASK=1 to hide the token in a command's output at a terminal too, "
    "NANOCTL_MASK=0 never to hide it, or unset it to hide it wherever the output is not a "
    "terminal."
)


@pytest.mark.parametrize(
    ("options", "variable", "want"),
    [
        pytest.param(
            ["--mask", "--no-mask"],
            None,
            "Error: Both --mask and --no-mask are given; nanoctl will not guess whether to hide "
            "the token in the command's output. Give one: --mask hides it at a terminal too, "
            "--no-mask leaves the output as the command writes it.",
            id="both options",
        ),
        pytest.param(
            [],
            "maybe",
            f"Error: NANOCTL_MASK='maybe' is neither 1 nor 0. {SET_NANOCTL_MASK}",
            id="NANOCTL_MASK=maybe",
        ),
        pytest.param(
            [],
            api.VALID,
            "Error: NANOCTL_MASK is neither 1 nor 0 (its value is not shown: it could be a "
            f"token). {SET_NANOCTL_MASK}",
            id="NANOCTL_MASK=a token",
        ),
    ],
)
def test_a_masking_choice_that_cannot_be_followed_is_a_usage_error_and_nothing_runs(
    tmp_path: Path, options: list[str], variable: str | None, want: str
) -> None:
    marker = tmp_path / "ran"
    env = env_with(NANOCTL_MASK=variable)

    result = run_nanoctl("exec", *options, "--", "touch", str(marker), env=env)

    assert (result.exit_code, result.stdout) == (2, "")
    assert one_line(result) == want
    assert not marker.exists()


def test_nanoctl_mask_means_nothing_to_other_commands() -> None:
    result = run_nanoctl("status", "--offline", env=env_with(NANOCTL_MASK="maybe"))

    assert result.exit_code == 0
