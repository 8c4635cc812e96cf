"""The program the `nanoctl exec` masking tests run: it writes the token it was handed
(NANOSERVICES_TOKEN) in the ways a program can, with unbuffered writes (os.write).

In a PIECE, ``T[a:b]`` is a slice of the token, anything else text with backslash escapes
(``\\n``) in which ``{T}`` is the token; ``-`` before a piece sends it to stderr.

python output_program.py pieces RECORD PIECE...        each piece in one write, each after
                                                       a line on stdin (the first at once);
                                                       RECORD gets the time.monotonic() of
                                                       each write, one a line, once written
python output_program.py bytewise PIECE...             the pieces, one byte per write
python output_program.py binary SEED SIZE              SIZE random bytes of SEED, in writes
                                                       of varied sizes, some ending in a
                                                       beginning of the token
python output_program.py stream MIB                    MIB MiB of 1 KiB lines, the token in
                                                       every 100th, a beginning of it in the
                                                       others; "END\\n"; then waits for a line
                                                       on stdin
python output_program.py interleave N                  N lines to stdout and stderr in turn
                                                       (and whether they are one pipe)
python output_program.py prompt                        "Password: " (no newline), then reads
                                                       a line, then "thanks\\n"
python output_program.py outlive RECORD                starts a process that holds stdout,
                                                       writes "started\\n", 200,000 "x", the
                                                       token, the token's first 5 characters
                                                       and exits 5 at once; the process
                                                       writes RECORD.pid, waits for the file
                                                       RECORD.go, writes the token to stdout
                                                       (SIGPIPE ignored) and puts what came
                                                       of it (ok, or the errno's name) in
                                                       RECORD.result
python output_program.py after_reader_gone             "one\\n"; waits for a line on stdin;
                                                       "two\\n"; waits until its stdout has no
                                                       reader; "alive\\n" on stderr; "three\\n"
"""

from __future__ import annotations

import codecs
import errno
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

TOKEN = os.environ.get("NANOSERVICES_TOKEN", "")


def piece(spec: str) -> tuple[int, bytes]:
    """The descriptor (1, or 2 for ``-...``) and the bytes of one PIECE."""
    fd = 1
    if spec.startswith("-"):
        fd, spec = 2, spec[1:]
    if spec.startswith("T[") and spec.endswith("]"):
        start, _, end = spec[2:-1].partition(":")
        return fd, TOKEN[int(start or 0) : int(end) if end else None].encode()
    text = codecs.decode(spec, "unicode_escape").encode("latin-1")
    return fd, text.replace(b"{T}", TOKEN.encode())


def pieces(record: str, specs: list[str]) -> int:
    with Path(record).open("a") as times:
        for index, spec in enumerate(specs):
            if index:
                sys.stdin.readline()
            fd, data = piece(spec)
            at = time.monotonic()
            os.write(fd, data)
            times.write(f"{at}\n")
            times.flush()
    return 0


def bytewise(specs: list[str]) -> int:
    for spec in specs:
        fd, data = piece(spec)
        for byte in data:
            os.write(fd, bytes([byte]))
    return 0


def binary(seed: int, size: int) -> int:
    """What the test computes again with ``binary_chunks``."""
    for chunk in binary_chunks(seed, size, TOKEN.encode()):
        write_all(1, chunk)
    return 0


def binary_chunks(seed: int, size: int, token: bytes) -> list[bytes]:
    rng = random.Random(seed)
    chunks, left = [], size
    while left > 0:
        chunk = rng.randbytes(min(left, rng.choice([1, 7, 300, 4096, 65536, 100_000])))
        if rng.random() < 0.3 and len(token) > 2:
            chunk += token[: rng.randrange(1, len(token) - 1)]  # a beginning, never the token
        chunks.append(chunk)
        left -= len(chunk)
    return chunks


def stream(mib: int) -> int:
    token = TOKEN.encode()
    with_token = (b"token " + token).ljust(1023, b".") + b"\n"
    beginning = (b"nearly " + token[:-1]).ljust(1023, b"-") + b"\n"
    block = with_token + beginning * 99  # 100 KiB
    for _ in range(mib * 1024 // 100):
        write_all(1, block)
    write_all(1, b"END\n")
    sys.stdin.readline()
    return 0


def interleave(count: int) -> int:
    same = os.fstat(1).st_ino == os.fstat(2).st_ino
    for number in range(count):
        os.write(1 + number % 2, f"line {number}\n".encode())
    os.write(1, f"same pipe: {same}\n".encode())
    return 0


def prompt() -> int:
    os.write(1, b"Password: ")
    sys.stdin.readline()
    os.write(1, b"thanks\n")
    return 0


LATE = """
import errno, os, signal, sys, time
from pathlib import Path
record = sys.argv[1]
signal.signal(signal.SIGPIPE, signal.SIG_IGN)
Path(record + ".pid").write_text(str(os.getpid()))
deadline = time.monotonic() + 30
while not Path(record + ".go").exists() and time.monotonic() < deadline:
    time.sleep(0.02)
try:
    os.write(1, ("late " + os.environ["NANOSERVICES_TOKEN"] + "\\n").encode())
    result = "ok"
except OSError as error:
    result = errno.errorcode[error.errno]
Path(record + ".result").write_text(result)
"""


def outlive(record: str) -> int:
    subprocess.Popen(
        [sys.executable, "-c", LATE, record], stdin=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while not Path(record + ".pid").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    write_all(1, b"started\n" + b"x" * 200_000 + b" " + TOKEN.encode() + b" " + TOKEN[:5].encode())
    return 5


def after_reader_gone() -> int:
    """Dies of SIGPIPE (default disposition) at its first write that finds no reader."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.write(1, b"one\n")
    sys.stdin.readline()
    os.write(1, b"two\n")
    poller = select.poll()
    poller.register(1, select.POLLOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # POLLERR: our pipe's reader closed it
        if any(event & select.POLLERR for _, event in poller.poll(100)):
            break
    os.write(2, b"alive\n")
    os.write(1, b"three\n")
    return 0


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main() -> int:
    mode, *args = sys.argv[1:]
    modes = {
        "pieces": lambda: pieces(args[0], args[1:]),
        "bytewise": lambda: bytewise(args),
        "binary": lambda: binary(int(args[0]), int(args[1])),
        "stream": lambda: stream(int(args[0])),
        "interleave": lambda: interleave(int(args[0])),
        "prompt": prompt,
        "outlive": lambda: outlive(args[0]),
        "after_reader_gone": after_reader_gone,
    }
    if mode not in modes:
        raise SystemExit(f"unknown mode {mode!r}")
    return modes[mode]()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        raise SystemExit(errno.EPIPE) from None
