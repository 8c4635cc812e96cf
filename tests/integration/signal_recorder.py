"""The program the `nanoctl exec` signal tests run: it records every signal it receives.

python signal_recorder.py RECORD   traps the signals a wrapper may pass on, appends each
                                   one's name to the file RECORD as it arrives, prints
                                   "ready", then waits for a line "exit N" on stdin and
                                   exits with N
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

NAMES = (  # every signal a user or a supervisor may send a wrapper (#20)
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGTERM",
    "SIGUSR1",
    "SIGUSR2",
    "SIGWINCH",
    "SIGCONT",
    "SIGTSTP",
    "SIGALRM",
    "SIGPIPE",
)


def main() -> int:
    record = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def note(signum: int, frame: FrameType | None) -> None:
        os.write(record, f"{signal.Signals(signum).name}\n".encode())

    for name in NAMES:
        signal.signal(getattr(signal, name), note)
    print("ready", flush=True)
    line = sys.stdin.readline().split()
    return int(line[1]) if len(line) == 2 and line[0] == "exit" else 0


if __name__ == "__main__":
    sys.exit(main())
