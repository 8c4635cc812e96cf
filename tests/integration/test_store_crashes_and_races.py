"""Crashes and races: `kill -9` in the middle of a save, and 20 processes saving, deleting
and loading at once, never leave a torn or undecryptable store.
Every fault is staged for real (files, modes, owners, a forked child as nobody, file size
limits, signals, concurrent processes); each error is checked for its words and for the
token in none of them, and the previous credential for being byte-identical.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import LOCK_FILE
from nanoctl.adapters.store.keys import KEY_FILE
from tests.store_helpers import (
    TOKEN_A,
    TOKEN_B,
    credential,
    file_store,
    temporaries,
)

ROOT = Path(__file__).resolve().parents[2]


# --- crashes and races ------------------------------------------------------------------

SAVE_LOOP = """
import sys
from pathlib import Path
from tests.store_helpers import TOKEN_A, TOKEN_B, credential, file_store
store = file_store(Path(sys.argv[1]))
credentials = [credential(TOKEN_A), credential(TOKEN_B)]
saves = 0
while True:
    store.save(credentials[saves % 2])
    saves += 1
    if saves == 3:
        print("saving", flush=True)
"""


def test_kill_9_in_the_middle_of_saving_leaves_the_old_or_the_new_credential(
    directory: Path,
) -> None:
    rng = random.Random(9)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVE_LOOP, str(directory)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"saving"
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        child.stdout.close()
        loaded = file_store(directory).load()
        assert loaded is not None
        assert loaded.token.reveal() in (TOKEN_A, TOKEN_B)
    file_store(directory).save(credential(TOKEN_A))  # the next writer sweeps leftovers
    assert temporaries(directory) == []
    assert sorted(os.listdir(directory)) == sorted([CREDENTIAL_FILE, KEY_FILE, LOCK_FILE])


WORKER = """
import json, random, sys, time
from pathlib import Path
import cryptography.hazmat.primitives.ciphers.aead
from tests.store_helpers import TOKEN_A, TOKEN_B, credential, file_store
directory, go, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
credentials = [credential(TOKEN_A), credential(TOKEN_B)]
counts = {"save": 0, "delete": 0, "load": 0, "found": 0}
errors = []
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
deadline = time.monotonic() + 1.5
while time.monotonic() < deadline:
    operation = rng.choice(["save", "save", "delete", "load", "load", "load"])
    store = file_store(directory)
    try:
        if operation == "save":
            store.save(rng.choice(credentials))
        elif operation == "delete":
            store.delete()
        else:
            loaded = store.load()
            if loaded is not None:
                if loaded.token.reveal() not in (TOKEN_A, TOKEN_B):
                    errors.append("load: a token that was never saved")
                counts["found"] += 1
        counts[operation] += 1
    except Exception as error:
        errors.append(f"{operation}: {type(error).__name__}: {error}")
print(json.dumps({"counts": counts, "errors": errors}), flush=True)
"""


@pytest.mark.alone
def test_20_concurrent_processes_saving_deleting_and_loading_never_see_a_torn_store(
    directory: Path, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(directory), str(go), str(seed)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in range(20)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        reports.append(json.loads(out))
    errors = [e for report in reports for e in report["errors"]]
    assert errors == []  # in particular no CorruptedStore from any load while running
    total = {k: sum(r["counts"][k] for r in reports) for k in ("save", "delete", "load")}
    assert min(total.values()) > 20, total  # they really did interleave
    assert sum(r["counts"]["found"] for r in reports) > 0
    final = file_store(directory).load()
    assert final is None or final.token.reveal() in (TOKEN_A, TOKEN_B)
    assert temporaries(directory) == []
