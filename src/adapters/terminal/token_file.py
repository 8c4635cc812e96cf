"""Token files: `--token-file PATH` and NANOSERVICES_TOKEN_FILE, the way Docker and
Kubernetes hand a secret to a process (the ``*_FILE`` convention)."""

from __future__ import annotations

import os
import stat

from nanoctl.domain.errors import MalformedToken, TokenFileProblem, TokenFileUnusable
from nanoctl.domain.events import TokenFileExposed, Warnings
from nanoctl.domain.model import MAX_TOKEN_INPUT, Token
from nanoctl.domain.origins import TokenOrigin

MAX_TOKEN_FILE = MAX_TOKEN_INPUT
"""A token file holds one token and some whitespace, trimmed however much there is, as
`--token -` does; a bigger file is not one (and is not read whole)."""

# A FIFO opened without O_NONBLOCK waits for a writer, maybe forever; with it the open
# returns at once, and the file is refused as not regular. O_NOCTTY: a terminal device
# named as the file must not become our controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_READABLE_BY_OTHERS = stat.S_IRGRP | stat.S_IROTH


def read_token_file(path: str, origin: TokenOrigin, warnings: Warnings) -> Token:
    """The token in the regular file ``path``, surrounding whitespace trimmed.

    Symlinks are followed (Kubernetes mounts secrets through them). A file others can
    read gets a warning, not a refusal: Kubernetes mounts secrets 0644 by default.
    Raises TokenFileUnusable (empty path, missing, not a regular file, unreadable) and
    MalformedToken (with the path) before any request; never blocks.
    """
    if not path:
        raise TokenFileUnusable(path, origin, "empty_path")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise TokenFileUnusable(path, origin, "missing") from None
    except OSError as error:
        raise TokenFileUnusable(path, origin, "unreadable", error.errno) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise TokenFileUnusable(path, origin, _not_regular(mode))
        if os.name == "posix" and mode & _READABLE_BY_OTHERS:
            warnings.warn(TokenFileExposed(path, stat.S_IMODE(mode), origin))
        data = _read_at_most(fd, MAX_TOKEN_FILE + 1)
    except OSError as error:
        raise TokenFileUnusable(path, origin, "unreadable", error.errno) from None
    finally:
        os.close(fd)
    if len(data) > MAX_TOKEN_FILE:
        raise MalformedToken("too_much_input", origin, path)
    try:
        # Undecodable bytes become U+FFFD, which the token rules reject as non-ASCII.
        return Token.parse(data.decode("utf-8", errors="replace"), origin)
    except MalformedToken as error:
        raise MalformedToken(error.problem, origin, path) from None


def _not_regular(mode: int) -> TokenFileProblem:
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    return "not_regular"


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
