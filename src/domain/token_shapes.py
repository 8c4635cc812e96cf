"""Text that holds a token but is not one: what users paste or write into a token file by
mistake, recognised so the error says exactly that instead of sending it to the API and
reporting a rejection whose advice ("create a new token") cannot help.

- ``NAME=value``: a line of a `.env` file (``NANOSERVICES_TOKEN=…``, ``export …``);
- a token in quotes (`docker --env-file` and systemd keep them: ``"nano_…"``);
- ``Bearer …``: the Authorization header's word, or the whole header.

None of these shapes is a token: a token is visible ASCII without spaces, and base64
puts ``=`` only at its end, so ``NAME=value`` with a value that does not start with ``=``
is not base64 padding. Only the variable's name is kept, never the value.
"""

from __future__ import annotations

import re
from typing import Literal

TokenShape = Literal["assignment", "quoted", "bearer"]

_ASSIGNMENT = re.compile(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^=\s].*)", re.DOTALL)
_NAME_WORDS = ("token", "secret", "key", "auth")
_BEARER = re.compile(r"(?:authorization:\s*)?bearer\s+\S", re.IGNORECASE)
_QUOTES = ("'", '"', "`")


def token_shape(value: str) -> tuple[TokenShape, str | None] | None:
    """What ``value`` (trimmed) holds around a token, with the variable's name of an
    assignment; None when it looks like a token itself (whatever else is wrong with it)."""
    first_line = value.split("\n", 1)[0].strip()
    assigned = _ASSIGNMENT.fullmatch(first_line)
    if assigned is not None and _variable_like(assigned.group(1)):
        return "assignment", assigned.group(1)
    if _BEARER.match(value):
        return "bearer", None
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == value[0]:
        return "quoted", None
    return None


def _variable_like(name: str) -> bool:
    """An environment variable's name: upper-case words joined by ``_``, or a name that
    says what it holds (``token``, ``api_key``)."""
    lowered = name.lower()
    return (name.isupper() and "_" in name) or any(word in lowered for word in _NAME_WORDS)
