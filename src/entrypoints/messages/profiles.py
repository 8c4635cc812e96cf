"""The words of profiles: the name rule, the lines of `status --all` and `logout --all`,
and the commands a next step names for a profile other than ``default``."""

from __future__ import annotations

PROFILE_NAME_RULE_WORDS = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)
