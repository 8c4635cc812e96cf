"""Where adapters report what they did, for `-v` and `-vvv`. Never given a secret."""

from __future__ import annotations

from typing import Protocol


class Diagnostics(Protocol):
    def info(self, message: str) -> None:
        """A decision worth knowing with -v: which source, which URL, where the key is."""
        ...

    def debug(self, message: str) -> None:
        """Wire-level detail shown with -vvv: method, URL, status, timing."""
        ...


class Silent:
    """Diagnostics that go nowhere: the default for library use and tests."""

    def info(self, message: str) -> None:
        pass

    def debug(self, message: str) -> None:
        pass
