"""The old Node nanoctl's token files: what one is, the port that finds, reads and destroys
them, and what an import did. Pure: the format and the shredding are adapters' business."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Literal, Protocol

from nanoctl.domain.model import Token, Value

KeptReason = Literal["other_token", "unreadable", "changed", "behind_link"]
"""Why a legacy file was left after an import: it holds another token, or none nanoctl can
read (so it cannot be told to hold the imported one), or it was rewritten while the token
was being imported (what it holds now may be stored nowhere else), or it is reached through
a symbolic link (never followed to destroy)."""


class LegacyFile(Value):
    """One ``token/token.enc`` the old client wrote, as found (no content read):
    ``modified``, its mtime in seconds since the epoch (the newest one is imported);
    ``link``, the symbolic link on the way to it (the legacy directory, its ``token/`` or
    the file itself), when there is one: such a file is named, never imported (the import
    destroys what it reads, and a link may point anywhere)."""

    __slots__ = ("path", "modified", "size", "link")  # noqa: RUF023 - the order its repr shows

    def __init__(self, path: str, modified: float, size: int, link: str | None = None) -> None:
        self.path = path
        self.modified = modified
        self.size = size
        self.link = link

    @property
    def empty(self) -> bool:
        """The old client creates an empty token.enc whenever it runs: no token in it."""
        return self.size == 0


def holding_tokens(files: Sequence[LegacyFile]) -> list[LegacyFile]:
    """The files that may hold a token, newest first: what status mentions."""
    return sorted((f for f in files if not f.empty), key=lambda f: f.modified, reverse=True)


def importable(files: Sequence[LegacyFile]) -> list[LegacyFile]:
    """Those of ``holding_tokens`` that may be imported (and so destroyed): not behind a
    link."""
    return [f for f in holding_tokens(files) if f.link is None]


class LegacyTokenStore(Protocol):
    """Where the old client kept its token (~/.nanoctl, ~/.blok, ~/.blokctl)."""

    @property
    def locations(self) -> tuple[str, ...]:
        """Every path a legacy file may be at, for the words when none is found."""
        ...

    def find(self) -> list[LegacyFile]:
        """The legacy files present (a few stat calls: no reading, no cryptography)."""
        ...

    def read(self, file: LegacyFile) -> Token:
        """The token in ``file``. Raises LegacyTokenUnreadable."""
        ...

    def open(self, file: LegacyFile) -> AbstractContextManager[OpenedLegacyFile]:
        """``file`` read, and held open until the block ends, so that what is destroyed
        is what was read. Raises LegacyTokenUnreadable."""
        ...


class OpenedLegacyFile(Protocol):
    """A legacy file as read, still open."""

    @property
    def token(self) -> Token:
        """The token it held when it was opened."""
        ...

    def destroy_if_holding(self, token: Token) -> bool:
        """Overwrite, fsync and unlink the file, then remove the directories it leaves
        empty, never through a symlink; only if it still holds ``token`` (read again just
        before, through the descriptor opened at first), and is still the file at its
        path. False, with the file left as it is, when it was rewritten or replaced since.
        Raises LegacyFileNotRemoved."""
        ...


class LegacyImportConfirmation(Protocol):
    """Asks, before the token prompt, whether to import the legacy file found."""

    @property
    def can_ask(self) -> bool:
        """Whether someone can be asked at all (a terminal, no -n); read-only."""
        ...

    def confirm_import(self, path: str) -> bool:
        """True to import; False when declined or when nobody can be asked (-n, no TTY)."""
        ...


class KeptLegacyFile(Value):
    """A legacy file left after an import, and why; ``link``: for ``behind_link``, the link
    on its way."""

    __slots__ = ("path", "reason", "link")  # noqa: RUF023 - the order its repr shows

    def __init__(self, path: str, reason: KeptReason, link: str | None = None) -> None:
        self.path = path
        self.reason: KeptReason = reason
        self.link = link


class NotRemovedLegacyFile(Value):
    __slots__ = ("path", "errno")  # noqa: RUF023 - the order its repr shows

    def __init__(self, path: str, errno: int | None) -> None:
        self.path = path
        self.errno = errno


class LegacyImport(Value):
    """What an import did to the legacy files: which one the token came from, which copies
    of it were destroyed, which files were left and why, which could not be removed."""

    __slots__ = ("source", "removed", "kept", "not_removed")  # noqa: RUF023 - as above

    def __init__(
        self,
        source: str,
        removed: tuple[str, ...] = (),
        kept: tuple[KeptLegacyFile, ...] = (),
        not_removed: tuple[NotRemovedLegacyFile, ...] = (),
    ) -> None:
        self.source = source
        self.removed = removed
        self.kept = kept
        self.not_removed = not_removed
