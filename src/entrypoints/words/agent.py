"""The words of agent mode (``nanoctl.entrypoints.agent``): its -v line, its line in
`status`, and its warnings. Its errors are with the others of their kind (``handover``:
`token` refused; ``token_input``: no prompt for a login)."""

from __future__ import annotations

from nanoctl.entrypoints.agent import AGENT_ENV, AgentMode
from nanoctl.entrypoints.words.shown import shown


def origin(mode: AgentMode) -> str:
    """'from CLAUDECODE', 'from NANOCTL_AGENT': what turned agent mode on."""
    return f"from {mode.variable or AGENT_ENV}"


def verbose_line(mode: AgentMode) -> str | None:
    """With -v: agent mode and who turned it on; when NANOCTL_AGENT=0 turned off what an
    agent's variable would have turned on, that too. None when neither applies."""
    if mode.on:
        return f"agent mode: on ({origin(mode)})"
    if mode.detected is not None:
        return f"agent mode: off ({AGENT_ENV}=0, though {mode.detected} is set)"
    return None


def status_line(mode: AgentMode) -> str:
    """The line `status` adds in agent mode: what the mode changes, in a few words."""
    return (
        f"Agent mode:   on ({origin(mode)}): `token` refuses, `exec` always masks, "
        "`login` never prompts"
    )


def unreadable_setting(mode: AgentMode) -> str:
    """The warning for a NANOCTL_AGENT that is neither on nor off: the mode is on."""
    value = (mode.unreadable or "").strip()
    number = len(value) <= 3 and value.lstrip("+-").isdigit()  # `2`, `-1`: never a token
    said = (
        f"={value!r}"
        if shown(value) or number
        else " (its value is not shown: it could be a token)"
    )
    return (
        f"{AGENT_ENV}{said} is neither 1 nor 0; agent mode is on. "
        f"Set {AGENT_ENV}=1 or {AGENT_ENV}=0, or unset it to detect an agent by its variables."
    )


def mask_kept(given: str, mode: AgentMode) -> str:
    """`exec` in agent mode was asked not to mask (``given``: --no-mask, NANOCTL_MASK=0)."""
    return (
        f"{given} is ignored in agent mode ({origin(mode)}): the token stays masked in the "
        "command's output."
    )
