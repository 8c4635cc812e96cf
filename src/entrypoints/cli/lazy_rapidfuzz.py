"""cleo without rapidfuzz until a "did you mean" needs it.

cleo 2.1 imports ``rapidfuzz.distance`` in ``cleo._utils``, which every cleo module imports,
for one use: the Levenshtein distance behind "Did you mean …?" (``find_similar_names``).
Importing it costs 5 to 17 ms on every command that loads cleo; a mistyped command or option
is the only run that needs it. So, while ``cleo._utils`` is imported, ``rapidfuzz.distance``
is a stand-in whose names import the real module when they are first used, and the stand-in
is gone from ``sys.modules`` as soon as cleo holds what it imported: anything that imports
rapidfuzz afterwards gets the real one. A cleo whose ``_utils`` asks for more than the
stand-in can give is imported the ordinary way.
"""

from __future__ import annotations

import sys
from typing import Any

_MODULE = "rapidfuzz.distance"


class _OnFirstUse:
    """A name of ``rapidfuzz.distance`` (``Levenshtein``), imported when first used."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def _real(self) -> Any:
        from rapidfuzz import distance

        return getattr(distance, self._name)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._real(), attribute)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real()(*args, **kwargs)


def _stand_in() -> object:
    module = type(sys)(_MODULE)  # a module object, without importing `types`
    vars(module)["__getattr__"] = _OnFirstUse  # PEP 562: any name it is asked for
    return module


def defer_rapidfuzz() -> None:
    """Import ``cleo._utils`` with rapidfuzz deferred (nothing to do once either is loaded)."""
    if "cleo._utils" in sys.modules or _MODULE in sys.modules:
        return
    stand_in = _stand_in()
    sys.modules[_MODULE] = stand_in  # type: ignore[assignment]
    try:
        import cleo._utils
    except ImportError:
        sys.modules.pop("cleo._utils", None)  # imported below, the ordinary way
    finally:
        if sys.modules.get(_MODULE) is stand_in:
            del sys.modules[_MODULE]
    import cleo._utils  # noqa: F401
