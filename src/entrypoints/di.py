"""dependency-injector, imported without its probe for pydantic.

dependency-injector (4.x) looks for pydantic settings when it is imported: it tries
``pydantic_settings``, then imports ``pydantic`` only to read its ``VERSION``, and keeps
what it found for ``Configuration.from_pydantic`` alone (pydantic 1 has settings built in;
2 has them in ``pydantic_settings``). nanoctl never loads configuration from pydantic, and
requires pydantic 2, for which the probe finds nothing: yet importing pydantic costs ~20 ms
on every command that builds a container. So, where ``pydantic_settings`` is not installed,
``pydantic`` is a stand-in reporting the major version installed while dependency-injector
is imported, and is gone from ``sys.modules`` as soon as it is: dependency-injector ends in
the very state the real pydantic leaves it in, and whoever imports pydantic afterwards gets
the real one. A dependency-injector that asks more of it is imported the ordinary way.
"""

from __future__ import annotations

import importlib.util
import sys

_PROVIDERS = "dependency_injector.providers"
PYDANTIC_MAJOR = "2"
"""pyproject.toml requires pydantic>=2.5,<3: the version the probe would read starts so."""


def _import_without_pydantic() -> None:
    if _PROVIDERS in sys.modules or "pydantic" in sys.modules:
        return  # imported already: nothing to save
    if importlib.util.find_spec("pydantic_settings") is not None:
        return  # the probe imports it, and it imports the real pydantic
    stand_in = type(sys)("pydantic")  # a module object, without importing `types`
    stand_in.VERSION = PYDANTIC_MAJOR  # type: ignore[attr-defined]
    sys.modules["pydantic"] = stand_in
    try:
        import dependency_injector.providers  # noqa: F401 - its probe reads the stand-in
    except Exception:
        for name in [name for name in sys.modules if name.startswith("dependency_injector")]:
            del sys.modules[name]  # imported again below, the ordinary way
    finally:
        if sys.modules.get("pydantic") is stand_in:
            del sys.modules["pydantic"]


_import_without_pydantic()

from dependency_injector import containers, providers  # noqa: E402 - after the stand-in

__all__ = ["containers", "providers"]
