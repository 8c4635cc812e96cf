"""Token files: `--token-file PATH` and NANOSERVICES_TOKEN_FILE, the way Docker and
Kubernetes hand a secret to a process (the ``*_FILE`` convention), and the pipes of
`--token-file <(pass show nano)`."""

from __future__ import annotations

import os
import select
import stat
import time

from nanoctl.domain.errors import MalformedToken, TokenFileProblem, TokenFileUnusable
from nanoctl.domain.events import TokenFileExposed, Warnings
from nanoctl.domain.model import MAX_TOKEN_INPUT, PIPE_WAIT, Token
from nanoctl.domain.origins import TokenOrigin

MAX_TOKEN_FILE = MAX_TOKEN_INPUT
"""A token file holds one token and some whitespace, trimmed however much there is, as
`--token -` does; a bigger file is not one (and is not read whole)."""

# A FIFO opened without O_NONBLOCK waits for a writer, maybe forever; with it the open
# returns at once, and a read says at once whether anything writes into it. O_NOCTTY: a
# terminal device named as the file must not become our controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_READABLE_BY_OTHERS = stat.S_IRGRP | stat.S_IROTH


def read_token_file(path: str, origin: TokenOrigin, warnings: Warnings) -> Token:
    """The token in the file ``path``, surrounding whitespace trimmed; a leading ``~/`` is
    the home directory (as a shell would expand it, which `.env` files and systemd units
    do not).

    A regular file, or a pipe (`<(…)`, a FIFO) read until its writer closes it, for at most
    PIPE_WAIT seconds; a pipe nothing writes into is refused at once. Symlinks are followed
    (Kubernetes mounts secrets through them). A file others can read gets a warning, not a
    refusal: Kubernetes mounts secrets 0644 by default. Raises TokenFileUnusable (empty
    path, missing, not a file or a pipe, unreadable, a pipe with nothing in it) and
    MalformedToken (with the path) before any request.
    """
    if not path:
        raise TokenFileUnusable(path, origin, "empty_path")
    path = os.path.expanduser(path) if path.startswith("~/") else path
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise TokenFileUnusable(path, origin, "missing") from None
    except OSError as error:
        raise TokenFileUnusable(path, origin, "unreadable", error.errno) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISFIFO(mode):
            data = _read_pipe(fd, MAX_TOKEN_FILE + 1, path, origin)
        elif stat.S_ISREG(mode):
            if os.name == "posix" and mode & _READABLE_BY_OTHERS:
                warnings.warn(TokenFileExposed(path, stat.S_IMODE(mode), origin))
            data = _read_at_most(fd, MAX_TOKEN_FILE + 1)
        else:
            raise TokenFileUnusable(path, origin, _not_regular(mode))
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
        raise MalformedToken(error.problem, origin, path, variable=error.variable) from None


def _not_regular(mode: int) -> TokenFileProblem:
    return "directory" if stat.S_ISDIR(mode) else "not_regular"


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


def _read_pipe(fd: int, limit: int, path: str, origin: TokenOrigin) -> bytes:
    """What a pipe delivers until its writer closes it: at most ``limit`` bytes, within
    PIPE_WAIT seconds. A pipe with no writer reads as its end at once (POSIX): nothing
    will come, and nanoctl does not wait for a writer that may never open it."""
    deadline = time.monotonic() + PIPE_WAIT
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        try:
            chunk = os.read(fd, limit - size)
        except BlockingIOError:  # a writer is there; nothing written yet
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TokenFileUnusable(path, origin, "pipe_timeout") from None
            select.select([fd], [], [], remaining)
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if not chunks:
        raise TokenFileUnusable(path, origin, "fifo")
    return b"".join(chunks)
