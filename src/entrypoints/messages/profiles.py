"""The words of profiles: the name rule, the lines of `status --all` and `logout --all`,
and the commands a next step names for a profile other than ``default``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from nanoctl.domain.model import DEFAULT_PROFILE, TokenOrigin
from nanoctl.entrypoints.messages import esc
from nanoctl.entrypoints.messages.commands import status_lines

if TYPE_CHECKING:
    from nanoctl.domain.logout import LogoutResult
    from nanoctl.domain.status import ProfileStatus

PROFILE_NAME_RULE_WORDS = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)


def for_profile(text: str, profile: str) -> str:
    """``text`` with each nanoctl command it tells the user to run (`nanoctl logout`)
    aimed at ``profile``, as the user chose it with --profile; ``default`` needs no option."""
    if profile == DEFAULT_PROFILE:
        return text
    return _COMMAND.sub(lambda m: f"{m.group(0)} --profile {profile}", text)


_COMMAND = re.compile(r"`nanoctl (?:login|logout|status)")


def logout_all_line(result: LogoutResult) -> str:
    if result.profiles_removed:
        return f"Logged out: removed the stored credential of {_listed(result.profiles_removed)}."
    return f"Not logged in: no profile is stored in {esc(result.location)}."


def _listed(names: tuple[str, ...]) -> str:
    quoted = [f"profile {name}" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def profile_block(entry: ProfileStatus, failure: str | None) -> list[str]:
    """One profile of `status --all`: the lines of its `status`, or ``failure`` (its error
    and fix, one line) with the URL it is bound to, when that is known."""
    if entry.report is not None:
        return status_lines(entry.report, entry.profile)
    lines = [f"<comment>✗</comment> {esc(failure or '')}"]
    if entry.api_url is not None:
        lines.append(f"  API URL:      {esc(entry.api_url.value)}")
    lines.append(f"  Profile:      {entry.profile}")
    return lines


def environment_not_listed(origin: TokenOrigin) -> str:
    """`status --all` lists the stored profiles; the environment's token is none of them."""
    file = origin is TokenOrigin.ENVIRONMENT_FILE
    variable = "NANOSERVICES_TOKEN_FILE" if file else "NANOSERVICES_TOKEN"
    return f"{variable} is set: commands use it instead of any profile listed here."
