"""cleo runs without rapidfuzz until a "did you mean" needs it, and then suggests exactly
what it suggests with rapidfuzz imported the ordinary way (cli/lazy_rapidfuzz.py)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from nanoctl.entrypoints.cli.lazy_rapidfuzz import defer_rapidfuzz
if sys.argv[1] == "deferred":
    defer_rapidfuzz()
import cleo.application
from cleo._utils import find_similar_names
before = sorted(name for name in sys.modules if name.startswith("rapidfuzz"))
similar = [find_similar_names(typed, ["login", "logout", "status", "whoami", "--json"])
           for typed in ("logn", "lgout", "stat", "--jsn", "whoamii", "deploy")]
import rapidfuzz.distance
print(json.dumps({
    "before": before,
    "similar": similar,
    "real": hasattr(rapidfuzz.distance, "__file__"),
    "levenshtein": rapidfuzz.distance.Levenshtein.distance("logn", "login"),
}))
"""


def probe(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_cleo_loads_no_rapidfuzz_until_it_suggests_a_name_and_suggests_the_same() -> None:
    deferred, ordinary = probe("deferred"), probe("ordinary")

    assert deferred["before"] == []
    assert ordinary["before"] != []  # the saving is real: cleo 2.1 imports it eagerly
    assert deferred["similar"] == ordinary["similar"]
    assert deferred["similar"][0] == ["login"]  # type: ignore[index]
    # whoever imports rapidfuzz afterwards gets the real module, not a stand-in
    assert deferred["real"] is True
    assert deferred["levenshtein"] == 1
