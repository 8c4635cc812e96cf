"""What `nanoctl status` says of the old nanoctl's token files: those that may still hold a
token, for a line that offers `login --import-legacy`."""

from __future__ import annotations

from nanoctl.domain.legacy.files import LegacyFile, LegacyTokenStore, holding_tokens


class LegacyTokensLeft:
    """The old nanoctl's files that may hold a token, newest first: a few stat calls, no
    reading, no cryptography."""

    def __init__(self, legacy: LegacyTokenStore) -> None:
        self._legacy = legacy

    def find(self) -> list[LegacyFile]:
        return holding_tokens(self._legacy.find())
