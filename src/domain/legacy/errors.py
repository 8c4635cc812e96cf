"""What can go wrong importing the old Node nanoctl's token, as facts (words in messages)."""

from __future__ import annotations

from typing import Literal

from nanoctl.domain.errors import NanoctlError, NotLoggedIn, TokenRejected

LegacyFileProblem = Literal["malformed", "undecryptable", "not_a_token", "unreadable"]
"""``malformed``: not ``ivhex:taghex:ciphertexthex``; ``undecryptable``: the key rebuilt from
this machine's facts does not open it (the host name or user changed since it was written);
``not_a_token``: it opens but holds no token; ``unreadable``: the OS refused to read it."""


class NoLegacyToken(NotLoggedIn):
    """Nothing to import: no legacy file under ``searched`` (paths), or only ``empty`` ones
    (the old client creates an empty token.enc whenever it runs)."""

    kind = "no_legacy_token"

    def __init__(self, searched: tuple[str, ...], empty: tuple[str, ...] = ()) -> None:
        super().__init__(searched, empty)
        self.searched = searched
        self.empty = empty


class LegacyTokenUnreadable(NanoctlError):
    """The legacy file ``path`` holds no token nanoctl can use (``problem``); ``errno`` for
    ``unreadable``."""

    kind = "legacy_token_unreadable"

    def __init__(self, path: str, problem: LegacyFileProblem, errno: int | None = None) -> None:
        super().__init__(path, problem, errno)
        self.path = path
        self.problem: LegacyFileProblem = problem
        self.errno = errno


class LegacyFileBehindLink(NanoctlError):
    """The only legacy file holding a token, ``path``, is reached through the symbolic link
    ``link``: not imported, since the import destroys what it reads."""

    kind = "legacy_file_behind_link"

    def __init__(self, path: str, link: str) -> None:
        super().__init__(path, link)
        self.path = path
        self.link = link


class LegacyTokenRejected(TokenRejected):
    """The API rejected the token of the legacy file ``path``; ``reason`` is the kind of the
    rejection (``invalid_token``, ``expired_token``, ...). The file is kept."""

    kind = "legacy_token_rejected"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason


class LegacyFileNotRemoved(NanoctlError):
    """``path`` could not be destroyed (``errno``; None: it was not a regular file, or a
    directory on its way was a symlink). Reported as a warning: the token is stored."""

    kind = "legacy_file_not_removed"

    def __init__(self, path: str, errno: int | None) -> None:
        super().__init__(path, errno)
        self.path = path
        self.errno = errno
