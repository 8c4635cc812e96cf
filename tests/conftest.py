"""Isolation for every test: no test may read or write a real credential or keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

_SCRUBBED = (
    "NANOSERVICES_TOKEN",
    "NANOSERVICES_API_URL",
    "NANOCTL_CONFIG_DIR",
    "NANOCTL_KEYRING",
    "NANOCTL_HTTP_TIMEOUT",
    "NO_COLOR",
    "CI",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NETRC",
    "XDG_CONFIG_HOME",
    "SHELL_VERBOSITY",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HOME and config dir; keyring forced to the key file; env scrubbed."""
    home = tmp_path / "home"
    home.mkdir()
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NANOCTL_CONFIG_DIR", str(home / ".config" / "nanoctl"))
    monkeypatch.setenv("NANOCTL_KEYRING", "0")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost")
    yield home
