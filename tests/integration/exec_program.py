"""The program the `nanoctl exec` tests run: it reports what it was handed, never the token.

python exec_program.py report [ARGS...]   one JSON line: its environment's credential
                                         (the token as a SHA-256 only), argv, TTYs, stdin
python exec_program.py hold               its pid as JSON, then waits for a stdin line
python exec_program.py signals            "ready", then the signals it got in 1 s after
                                         the first (JSON); exit 10 + how many
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time


def digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode()).hexdigest()


def report(args: list[str]) -> int:
    stdin = "" if sys.stdin.isatty() else sys.stdin.read()
    print(
        json.dumps(
            {
                "token_sha256": digest(os.environ.get("NANOSERVICES_TOKEN")),
                "api_url": os.environ.get("NANOSERVICES_API_URL"),
                "token_file": os.environ.get("NANOSERVICES_TOKEN_FILE"),
                "argv": args,
                "ttys": [os.isatty(fd) for fd in (0, 1, 2)],
                "stdin": stdin,
            }
        ),
        flush=True,
    )
    return 0


def hold() -> int:
    print(json.dumps({"pid": os.getpid(), "ppid": os.getppid()}), flush=True)
    sys.stdin.readline()
    return 0


def signals() -> int:
    received: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: received.append(number))
    print("ready", flush=True)
    deadline = time.monotonic() + 20
    while not received and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(1.0)  # a second delivery of the same signal would arrive by now
    print(json.dumps(received), flush=True)
    return 10 + len(received)


def main() -> int:
    mode, *args = sys.argv[1:]
    if mode == "report":
        return report(args)
    if mode == "hold":
        return hold()
    if mode == "signals":
        return signals()
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main())
