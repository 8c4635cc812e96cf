"""The words of profiles: the name rule, the lines of `status --all` and `logout --all`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.messages import esc
from nanoctl.entrypoints.messages.commands import known_lines, status_lines
from nanoctl.entrypoints.messages.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.logout import LogoutResult
    from nanoctl.domain.status import ProfileStatus

PROFILE_NAME_RULE_WORDS = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)


def logout_all_line(result: LogoutResult) -> str:
    if result.profiles_removed:
        return f"Logged out: removed the stored credential of {_listed(result.profiles_removed)}."
    return f"Not logged in: no profile is stored in {esc(result.location)}."


def _listed(names: tuple[str, ...]) -> str:
    quoted = [f"profile {name}" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def profile_block(entry: ProfileStatus, failure: str | None, context: Context) -> list[str]:
    """One profile of `status --all`, its name first: the lines of its `status`, or
    ``failure`` (its error and fix, one line) followed by what is known of it offline."""
    lines = [f"Profile {esc(context.profile_shown)}"]
    report = entry.report
    if failure is None and report is not None:
        return [*lines, *status_lines(report, context, profile_line=False)]
    lines.append(f"<comment>✗</comment> {esc(failure or '')}")
    if report is None:
        if entry.api_url is not None:
            lines.append(f"  API URL:      {esc(context.shown(entry.api_url.value))}")
        return lines
    lines.append(f"  API URL:      {esc(context.shown(report.api_url.value))}")
    if report.identity.username is not None:
        lines.append(f"  User:         {esc(context.shown(report.identity.username))}")
    return [*lines, *known_lines(report, context)]


def environment_not_listed(origin: TokenOrigin) -> str:
    """`status --all` lists the stored profiles; the environment's token is none of them."""
    file = origin is TokenOrigin.ENVIRONMENT_FILE
    variable = "NANOSERVICES_TOKEN_FILE" if file else "NANOSERVICES_TOKEN"
    return f"{variable} is set: commands use it instead of any profile listed here."
