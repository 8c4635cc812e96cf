"""Which words a user typed may be repeated back in a message.

A mistyped command or option name (`logn`, `whoami2`, `--Json`) is worth showing; a
pasted token, which lands on the command line as an argument or an option value just as
often, must never be. A word is shown when it looks like a name: at most 16 letters,
digits, `-` or `_` after up to two dashes, starting with a letter, and not mixing lower
case, upper case and digits the way generated secrets do.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"-{0,2}([A-Za-z][A-Za-z0-9_-]{0,15})")


def shown(word: str) -> bool:
    """Whether ``word`` may appear in a message (it cannot be a token)."""
    match = _NAME.fullmatch(word)
    if match is None:
        return False
    name = match.group(1)
    secret_like = (
        any(c.islower() for c in name)
        and any(c.isupper() for c in name)
        and any(c.isdigit() for c in name)
    )
    return not secret_like
