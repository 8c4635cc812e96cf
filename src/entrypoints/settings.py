"""Settings from the environment and options, parsed once, before anything is built."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nanoctl import __version__
from nanoctl.domain.errors import InvalidTimeout, ProfileNameOrigin
from nanoctl.domain.model import DEFAULT_API_URL, DEFAULT_PROFILE, ProfileName

API_URL_ENV = "NANOSERVICES_API_URL"
CONFIG_DIR_ENV = "NANOCTL_CONFIG_DIR"
KEYRING_ENV = "NANOCTL_KEYRING"
PROFILE_ENV = "NANOCTL_PROFILE"
TIMEOUT_ENV = "NANOCTL_HTTP_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 600.0
DEADLINE_TIMEOUTS = 3


@dataclass(frozen=True)
class Settings:
    api_url: str
    config_dir: Path
    use_keyring: bool
    http_timeout: float
    user_agent: str
    platform: str = sys.platform
    """Where nanoctl runs (``sys.platform``): the credential store needs POSIX."""
    profile: ProfileName = field(default_factory=lambda: ProfileName(DEFAULT_PROFILE))
    """The selected profile: --profile, else NANOCTL_PROFILE, else ``default``."""
    profile_origin: ProfileNameOrigin | None = None
    """Who selected it (None: nobody, it is the default)."""
    api_url_given: bool = True
    """``api_url`` came from --api-url or NANOSERVICES_API_URL; False: it is the built-in
    default, which the selected profile's stored URL beats."""

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] = os.environ,
        *,
        api_url: str | None = None,
        platform: str = sys.platform,
        profile: str | None = None,
        profile_origin: ProfileNameOrigin = "option",
    ) -> Settings:
        """``api_url`` is the --api-url option, which beats NANOSERVICES_API_URL;
        ``profile`` the --profile option (or the Python API's argument, ``profile_origin``),
        which beats NANOCTL_PROFILE (an empty value counts as unset)."""
        given = api_url or environ.get(API_URL_ENV)
        selected, origin = _profile(environ, profile, profile_origin)
        return cls(
            api_url=given or DEFAULT_API_URL,
            api_url_given=bool(given),
            profile=selected,
            profile_origin=origin,
            config_dir=_config_dir(environ),
            use_keyring=environ.get(KEYRING_ENV, "1").strip().lower()
            not in ("0", "false", "no", "off"),
            http_timeout=_timeout(environ.get(TIMEOUT_ENV)),
            user_agent=(
                f"nanoctl/{__version__} "
                f"(python {sys.version_info.major}.{sys.version_info.minor}; {sys.platform})"
            ),
            platform=platform,
        )

    @property
    def http_deadline(self) -> float:
        """The total time of one validation, retries included: 3 timeouts (30 s by
        default), so lowering the timeout makes a stuck API fail fast too."""
        return DEADLINE_TIMEOUTS * self.http_timeout

    @property
    def stores_credentials(self) -> bool:
        """The encrypted store relies on flock and dir_fd: POSIX (Linux, macOS) only."""
        return self.platform != "win32"


def running_in_ci(environ: Mapping[str, str]) -> bool:
    """The CI variable is set (GitHub Actions, GitLab, CircleCI and others set CI=true):
    advice is then worded for a pipeline and its secrets."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


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


def _profile(
    environ: Mapping[str, str], given: str | None, origin: ProfileNameOrigin
) -> tuple[ProfileName, ProfileNameOrigin | None]:
    if given is not None:
        return ProfileName.parse(given, origin), origin
    from_environment = environ.get(PROFILE_ENV)
    if from_environment:
        return ProfileName.parse(from_environment, "environment"), "environment"
    return ProfileName(DEFAULT_PROFILE), None


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
