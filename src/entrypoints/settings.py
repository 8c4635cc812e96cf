"""Settings from the environment and options, parsed once, before anything is built."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nanoctl import __version__
from nanoctl.domain.errors import UsageError
from nanoctl.domain.model import DEFAULT_API_URL

API_URL_ENV = "NANOSERVICES_API_URL"
CONFIG_DIR_ENV = "NANOCTL_CONFIG_DIR"
KEYRING_ENV = "NANOCTL_KEYRING"
TIMEOUT_ENV = "NANOCTL_HTTP_TIMEOUT"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Settings:
    api_url: str
    config_dir: Path
    use_keyring: bool
    http_timeout: float
    user_agent: str

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] = os.environ, *, api_url: str | None = None
    ) -> Settings:
        """``api_url`` is the --api-url option, which beats NANOSERVICES_API_URL."""
        return cls(
            api_url=api_url or environ.get(API_URL_ENV) or DEFAULT_API_URL,
            config_dir=_config_dir(environ),
            use_keyring=environ.get(KEYRING_ENV, "1").strip().lower()
            not in ("0", "false", "no", "off"),
            http_timeout=_timeout(environ.get(TIMEOUT_ENV)),
            user_agent=(
                f"nanoctl/{__version__} "
                f"(python {sys.version_info.major}.{sys.version_info.minor}; {sys.platform})"
            ),
        )

    def as_config(self) -> dict[str, object]:
        return {
            "api_url": self.api_url,
            "config_dir": self.config_dir,
            "use_keyring": self.use_keyring,
            "http_timeout": self.http_timeout,
            # One login may retry; the total deadline grows with a longer timeout.
            "http_deadline": max(30.0, 3 * self.http_timeout),
            "user_agent": self.user_agent,
        }


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


def _timeout(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 600):
        raise UsageError(
            f"{TIMEOUT_ENV}={raw!r} is not a number of seconds.",
            f"Set {TIMEOUT_ENV} to a value between 0 and 600 (default {DEFAULT_TIMEOUT:g}).",
        )
    return value
