"""dependency-injector is imported without pydantic (entrypoints/di.py), and ends in the very
state the real pydantic leaves it in: no pydantic settings, the same refusal of
``from_pydantic``; whoever imports pydantic afterwards gets the real one."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
if sys.argv[1] == "stand-in":
    from nanoctl.entrypoints.di import providers
else:
    import pydantic
    from dependency_injector import providers
import dependency_injector.providers as module
loaded = "pydantic" in sys.modules
try:
    providers.Configuration().from_pydantic(object())
except Exception as error:
    refusal = f"{type(error).__name__}: {error}"
import pydantic
print(json.dumps({
    "pydantic_loaded_with_it": loaded,
    "has_pydantic_settings": module.has_pydantic_settings,
    "refusal": refusal,
    "pydantic_afterwards": [pydantic.VERSION, hasattr(pydantic, "BaseModel")],
}))
"""


def probe(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_dependency_injector_imported_without_pydantic_is_as_with_it() -> None:
    stand_in, real = probe("stand-in"), probe("real")

    assert stand_in["pydantic_loaded_with_it"] is False
    assert real["pydantic_loaded_with_it"] is True
    assert stand_in["has_pydantic_settings"] == real["has_pydantic_settings"] is False
    assert stand_in["refusal"] == real["refusal"]
    assert stand_in["pydantic_afterwards"] == real["pydantic_afterwards"]
    assert real["pydantic_afterwards"][1] is True  # type: ignore[index]
