"""Settings from the environment and options, parsed once, before anything is built."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nanoctl import __version__
from nanoctl.domain.errors import InvalidTimeout
from nanoctl.domain.handover_errors import ConflictingMaskOptions, InvalidMaskSetting
from nanoctl.domain.model import ProfileName
from nanoctl.domain.ports import OutputMasking
from nanoctl.domain.selection import ApiUrlChoice, ProfileChoice
from nanoctl.entrypoints.agent import OFF, AgentMode, agent_mode, switch

if TYPE_CHECKING:
    from nanoctl.entrypoints.invocation import Invocation

API_URL_ENV = "NANOSERVICES_API_URL"
CONFIG_DIR_ENV = "NANOCTL_CONFIG_DIR"
KEYRING_ENV = "NANOCTL_KEYRING"
PROFILE_ENV = "NANOCTL_PROFILE"
TIMEOUT_ENV = "NANOCTL_HTTP_TIMEOUT"
MASK_ENV = "NANOCTL_MASK"
DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 600.0
DEADLINE_TIMEOUTS = 3


GivenAs = Literal["option", "argument"]
"""How --profile and --api-url reached this run: the command line, or the Python API."""
EMPTY_COUNTS_AS_UNSET = (
    "NANOSERVICES_TOKEN",
    "NANOSERVICES_TOKEN_FILE",
    API_URL_ENV,
    PROFILE_ENV,
)
"""Set but empty (or blank), each of these counts as unset, with one warning: in CI it is
what a secret that did not reach the job looks like, and it must not be a dead end."""


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    use_keyring: bool
    http_timeout: float
    user_agent: str
    platform: str = sys.platform
    """Where nanoctl runs (``sys.platform``): the credential store needs POSIX."""
    profile_choice: ProfileChoice | None = None
    """The profile someone named: --profile (or ``profile=``), else NANOCTL_PROFILE."""
    api_url_choice: ApiUrlChoice | None = None
    """The API URL someone gave: --api-url (or ``api_url=``), else NANOSERVICES_API_URL."""
    empty_variables: tuple[str, ...] = field(default=())
    """The variables of EMPTY_COUNTS_AS_UNSET that are set but empty, in that order."""
    agent: AgentMode = OFF
    """Whether a coding agent runs nanoctl (``nanoctl.entrypoints.agent``), and why."""

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] = os.environ,
        *,
        api_url: str | None = None,
        platform: str = sys.platform,
        profile: str | None = None,
        given_as: GivenAs = "option",
    ) -> Settings:
        """``api_url`` is the --api-url option, which beats NANOSERVICES_API_URL;
        ``profile`` the --profile option, which beats NANOCTL_PROFILE; ``given_as`` says
        whether they came from the command line or from the Python API's arguments."""
        return cls(
            profile_choice=_profile(environ, profile, given_as),
            api_url_choice=_api_url(environ, api_url, given_as),
            empty_variables=tuple(
                name for name in EMPTY_COUNTS_AS_UNSET if _empty(environ.get(name))
            ),
            config_dir=_config_dir(environ),
            use_keyring=environ.get(KEYRING_ENV, "1").strip().lower()
            not in ("0", "false", "no", "off"),
            http_timeout=_timeout(environ.get(TIMEOUT_ENV)),
            user_agent=(
                f"nanoctl/{__version__} "
                f"(python {sys.version_info.major}.{sys.version_info.minor}; {sys.platform})"
            ),
            platform=platform,
            agent=agent_mode(environ),
        )

    @classmethod
    def of_invocation(cls, invocation: Invocation) -> Settings:
        """The settings of one run: its environment and options; ``--profile`` and
        ``--api-url`` given on a command line, ``profile=`` and ``api_url=`` in the Python
        API (a run without a terminal's io)."""
        return cls.from_environment(
            invocation.environ,
            api_url=invocation.api_url,
            profile=invocation.profile,
            given_as="option" if invocation.io is not None else "argument",
        )

    @property
    def http_deadline(self) -> float:
        """The total time of one validation, retries included: 3 timeouts (30 s by
        default), so lowering the timeout makes a stuck API fail fast too."""
        return DEADLINE_TIMEOUTS * self.http_timeout


def running_in_ci(environ: Mapping[str, str]) -> bool:
    """The CI variable is set (GitHub Actions, GitLab, CircleCI and others set CI=true):
    advice is then worded for a pipeline and its secrets."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def output_masking(environ: Mapping[str, str], *, mask: bool, no_mask: bool) -> OutputMasking:
    """Where `exec` hides the token in its program's output: --mask (at a terminal too) or
    --no-mask (nowhere), else NANOCTL_MASK (1 or 0, as those), else wherever the output is
    not a terminal. Read by `exec` alone, so a bad value fails no other command."""
    if mask and no_mask:
        raise ConflictingMaskOptions()
    if mask or no_mask:
        return "always" if mask else "off"
    raw = environ.get(MASK_ENV, "")
    try:
        value = switch(raw)
    except ValueError:
        raise InvalidMaskSetting(raw) from None
    if value is None:
        return "not_at_terminal"
    return "always" if value else "off"


def _config_dir(environ: Mapping[str, str]) -> Path:
    explicit = environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform != "darwin" and os.name == "posix":
        # The XDG rule, as platformdirs applies it on Linux and the BSDs, without its
        # ~12 ms import on every command: $XDG_CONFIG_HOME when absolute, else ~/.config.
        xdg = environ.get("XDG_CONFIG_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path("~/.config").expanduser()
        return base / "nanoctl"
    import platformdirs  # macOS, Windows

    return Path(platformdirs.user_config_dir("nanoctl", appauthor=False))


def _empty(value: str | None) -> bool:
    return value is not None and not value.strip()


def _profile(
    environ: Mapping[str, str], given: str | None, given_as: GivenAs
) -> ProfileChoice | None:
    if given is not None:  # given empty (`--profile=`) is not a name: a usage error
        return ProfileChoice(ProfileName.parse(given, given_as), given_as)
    from_environment = environ.get(PROFILE_ENV)
    if from_environment is None or _empty(from_environment):
        return None
    return ProfileChoice(ProfileName.parse(from_environment, "environment"), "environment")


def _api_url(
    environ: Mapping[str, str], given: str | None, given_as: GivenAs
) -> ApiUrlChoice | None:
    if given is not None:  # given empty (`--api-url=`) is not a URL: a usage error
        return ApiUrlChoice(given, given_as)
    from_environment = environ.get(API_URL_ENV)
    if from_environment is None or _empty(from_environment):
        return None
    return ApiUrlChoice(from_environment, "environment")


def _timeout(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise InvalidTimeout(raw)
    return value
