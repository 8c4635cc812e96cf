"""Agent mode: nanoctl run by a coding agent, whose every output lands in a transcript.

The agents set a variable in the environment of the commands they run (the list below, the
one place it is kept; the README lists it too); ``NANOCTL_AGENT=1`` forces the mode and
``NANOCTL_AGENT=0`` turns it off, whatever is detected. In agent mode `nanoctl token`
refuses, `nanoctl login` never prompts (nor asks any question), `nanoctl exec` always masks,
and nothing is coloured or wrapped. A convenience against accidents, not a boundary: an
agent can unset a variable as easily as it reads one.

A few environment lookups, no imports: every command reads this before cleo builds it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms; this module is read by every command
if TYPE_CHECKING:
    from collections.abc import Mapping

AGENT_VARIABLES = (
    "AI_AGENT",
    "AGENT",
    "CLAUDECODE",
    "CURSOR_AGENT",
    "GEMINI_CLI",
    "COPILOT_CLI",
    "CODEX_SANDBOX",
)
"""The variables coding agents set for the commands they run: each counts when it is set
to anything but empty (or blank) or ``0``; the first one set, in this order, is named."""
AGENT_ENV = "NANOCTL_AGENT"
"""``1`` forces agent mode, ``0`` turns it off (beating every variable above)."""
ON_WORDS = ("1", "true", "yes", "on")
OFF_WORDS = ("0", "false", "no", "off")


def switch(raw: str | None) -> bool | None:
    """A setting's value read as on (True), off (False) or unset (None: absent or blank);
    raises ValueError for anything else."""
    value = (raw or "").strip().lower()
    if not value:
        return None
    if value in ON_WORDS:
        return True
    if value in OFF_WORDS:
        return False
    raise ValueError(value)


class AgentMode:
    """Whether this run is an agent's, and why. ``variable`` is the variable that turned it
    on (one of AGENT_VARIABLES, or AGENT_ENV), None when it is off; ``detected`` the first
    of AGENT_VARIABLES that is set, also when ``NANOCTL_AGENT=0`` turned the mode off;
    ``unreadable`` NANOCTL_AGENT's value when it is neither on nor off (then the mode is
    on, the safe side, and a warning says so)."""

    __slots__ = ("detected", "unreadable", "variable")

    def __init__(
        self, variable: str | None, detected: str | None = None, unreadable: str | None = None
    ) -> None:
        self.variable = variable
        self.detected = detected
        self.unreadable = unreadable

    @property
    def on(self) -> bool:
        return self.variable is not None

    def __repr__(self) -> str:
        return f"AgentMode(variable={self.variable!r}, detected={self.detected!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AgentMode) and (
            (self.variable, self.detected, self.unreadable)
            == (other.variable, other.detected, other.unreadable)
        )

    def __hash__(self) -> int:
        return hash((self.variable, self.detected, self.unreadable))


OFF = AgentMode(None)
"""Not an agent's run, and nothing detected."""


def detected_agent(environ: Mapping[str, str]) -> str | None:
    """The first of AGENT_VARIABLES set to something other than empty or ``0``."""
    for name in AGENT_VARIABLES:
        value = environ.get(name)
        if value is not None and value.strip() not in ("", "0"):
            return name
    return None


def agent_mode(environ: Mapping[str, str]) -> AgentMode:
    """The agent mode of a run with ``environ``: NANOCTL_AGENT when it says on or off,
    else what the agents' variables say."""
    detected = detected_agent(environ)
    raw = environ.get(AGENT_ENV)
    try:
        forced = switch(raw)
    except ValueError:
        return AgentMode(AGENT_ENV, detected, unreadable=raw)
    if forced is None:
        return AgentMode(detected, detected)
    return AgentMode(AGENT_ENV if forced else None, detected)
