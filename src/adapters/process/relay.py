"""`nanoctl exec`'s program writes into pipes, and nanoctl passes on what comes out of them
with every form of the token replaced by ``***`` (a StreamMask per pipe), as it arrives.

- **As it arrives**: each read is masked and written at once, so a line the program
  flushes, or a prompt without a newline, is shown when it is written; only bytes that
  could begin a form of the token wait, and only for the next bytes.
- **Backpressure, not buffering**: a write to our stdout blocks until its reader takes it,
  and meanwhile the program blocks on its full pipe, as it would writing there itself; so
  memory stays flat whatever the program writes.
- **One pipe per destination**: where stdout and stderr are the same file (`2>&1` into
  one log or pipe), the program's two descriptors share one pipe, so their order is kept.
- **Woken, never polling**: the loop waits on the pipes and on a wake-up pipe that the
  C-level signal handler writes to (``signal.set_wakeup_fd``): SIGCHLD says the program
  ended, and a signal to pass on wakes it too (its Python handler runs right after).
- **The program's end ends the relay**: what it wrote before it ended is in the pipes by
  then (a write to a pipe returns once the bytes are in it), so exactly that much is read,
  masked and written, and the pipes are closed. A background process it started may still
  hold them: nanoctl does not wait for it, and its later writes find the pipe closed
  (EPIPE, or SIGPIPE if it does not ignore that): its later output is lost, never shown
  unmasked.
- **A destination that fails** (its reader gone, a full disk): the relay into it stops and
  its pipe is closed, so the program's next write there fails as it would have (EPIPE and,
  by default, SIGPIPE). The SIGPIPE our own failed write raises is nanoctl's, not a signal
  sent to it: it is taken, not passed on (the program is not killed before it writes again).
"""

from __future__ import annotations

import os
import select
import selectors
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from types import FrameType, TracebackType
from typing import Any, Protocol

from nanoctl.domain.masking import StreamMask

CHUNK = 64 * 1024
"""What one read takes at most: a whole pipe buffer (Linux's default size)."""
_DRAIN_WITHOUT_COUNT = 1024 * 1024
"""What is read after the program's end where the pipe cannot say how much it holds."""
_SIGPIPE = {signal.SIGPIPE}

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
"""What signal.getsignal gives back, and signal.signal takes."""


class MaskedOutput:
    """``with MaskedOutput(destinations, patterns) as output:`` pipes for the program's
    ``output.stdout`` and ``output.stderr`` (Popen's arguments), then ``output.started()``
    once it runs and ``output.wait(child)``, which relays until it ends.

    ``destinations``: each of our descriptors to write to, with the program's descriptors
    (1, 2) that write into it; ``patterns``: the byte strings to hide.
    """

    def __init__(
        self, destinations: Sequence[tuple[int, tuple[int, ...]]], patterns: Sequence[bytes]
    ) -> None:
        self._destinations = destinations
        self._patterns = patterns
        self._pipes: list[_Pipe] = []
        self._wake: tuple[int, int] = (_CLOSED, _CLOSED)
        self._previous: tuple[_Handler, int] | None = None
        """SIGCHLD's handler and the wake-up descriptor before ours, while ours are set."""
        self.stdout: int | None = None
        self.stderr: int | None = None

    def __enter__(self) -> MaskedOutput:
        try:
            self._wake = os.pipe()
            for end in self._wake:
                os.set_blocking(end, False)
            # Set before the program starts: however soon it ends, we are woken.
            handler = signal.signal(signal.SIGCHLD, _noted)
            try:
                wakeup = signal.set_wakeup_fd(self._wake[1], warn_on_full_buffer=False)
            except BaseException:
                signal.signal(signal.SIGCHLD, handler)
                raise
            self._previous = (handler, wakeup)
            for target, child_fds in self._destinations:
                read_end, write_end = os.pipe()
                os.set_blocking(read_end, False)
                self._pipes.append(_Pipe(read_end, write_end, target, StreamMask(self._patterns)))
                if 1 in child_fds:
                    self.stdout = write_end
                if 2 in child_fds:
                    self.stderr = write_end if 1 not in child_fds else _SAME_AS_STDOUT
        except BaseException:
            self._close()
            raise
        return self

    def started(self) -> None:
        """The program has its ends of the pipes: ours go, so its end is our end of file."""
        for pipe in self._pipes:
            pipe.close_write_end()

    def wait(self, child: _Child) -> int:
        """Relay until the program ends (or closes its outputs and ends later); its status
        as Popen gives it."""
        pipes = set(self._pipes)
        with selectors.DefaultSelector() as selector:
            selector.register(self._wake[0], selectors.EVENT_READ)
            for pipe in pipes:
                selector.register(pipe.read_fd, selectors.EVENT_READ, pipe)
            while pipes:
                ready = selector.select()
                # The pipes first: what was written before the end is relayed before the
                # end is noticed (it is mostly there in the same wake-up).
                for key, _ in ready:
                    pipe = key.data
                    if isinstance(pipe, _Pipe) and not pipe.pump():
                        selector.unregister(pipe.read_fd)
                        pipes.discard(pipe)
                        pipe.finish()
                if any(key.data is None for key, _ in ready):
                    _empty(self._wake[0])
                    if child.poll() is not None:
                        break
        for pipe in pipes:
            pipe.drain()
        return child.wait()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        for pipe in self._pipes:
            pipe.close()
        if self._previous is not None:
            handler, wakeup = self._previous
            signal.set_wakeup_fd(wakeup)
            signal.signal(signal.SIGCHLD, handler)
            self._previous = None
        for end in self._wake:
            _close(end)
        self._wake = (_CLOSED, _CLOSED)


_SAME_AS_STDOUT = -2
"""subprocess.STDOUT: the program's stderr is its stdout's pipe."""
_CLOSED = -1
"""A descriptor of ours that is closed (or not opened yet)."""


class _Child(Protocol):
    """What the relay needs of the program's Popen."""

    def poll(self) -> int | None: ...

    def wait(self) -> int: ...


def _noted(signum: int, frame: FrameType | None) -> None:
    """SIGCHLD's handler: its C-level part has written to the wake-up pipe already."""


def _empty(fd: int) -> None:
    with suppress(BlockingIOError):
        while os.read(fd, 512):
            pass


def _close(fd: int) -> None:
    if fd != _CLOSED:
        os.close(fd)


class _Pipe:
    """One pipe of the program's output: our read end, the program's write end (ours to
    close once it runs), the mask, and our descriptor it reaches."""

    __slots__ = ("mask", "read_fd", "target", "write_fd")

    def __init__(self, read_fd: int, write_fd: int, target: int, mask: StreamMask) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.target = target
        self.mask = mask

    def pump(self) -> bool:
        """Relay what the pipe holds now; False once it is over: the program's end of it
        closed, or our destination failed."""
        try:
            data = os.read(self.read_fd, CHUNK)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return bool(data) and self._write(self.mask.feed(data))

    def drain(self) -> None:
        """After the program's end: relay what it had written (in the pipe by now), not
        what a background process writes after, then close."""
        budget = _pending(self.read_fd)
        while budget > 0:
            try:
                data = os.read(self.read_fd, min(CHUNK, budget))
            except OSError:  # BlockingIOError: nothing more
                break
            if not data or not self._write(self.mask.feed(data)):
                break
            budget -= len(data)
        self.finish()

    def finish(self) -> None:
        """The stream is over: what the mask held back is not the token; pass it on."""
        self._write(self.mask.end())
        self.close()

    def close_write_end(self) -> None:
        _close(self.write_fd)
        self.write_fd = _CLOSED

    def close(self) -> None:
        self.close_write_end()
        _close(self.read_fd)
        self.read_fd = _CLOSED

    def _write(self, data: bytes) -> bool:
        """False when the destination cannot take it: then the pipe is to be closed, so
        the program's next write into it fails as its write to the destination would have."""
        if self.target == _CLOSED:
            return False
        try:
            _write_all(self.target, data)
        except OSError:
            self.target = _CLOSED  # the caller closes the pipe
            return False
        return True


def _write_all(fd: int, data: bytes) -> None:
    """All of ``data`` to ``fd``, however many writes it takes; waits where ``fd`` is
    non-blocking (a descriptor someone set O_NONBLOCK on)."""
    view = memoryview(data)
    while view:
        try:
            view = view[_write_without_sigpipe(fd, view) :]
        except BlockingIOError:
            select.select([], [fd], [])


def _write_without_sigpipe(fd: int, data: memoryview) -> int:
    """os.write, taking the SIGPIPE a reader that is gone sends us: SignalForwarding would
    pass it on, and the program must not die of our failed write, only of its own."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGPIPE)
    try:
        return os.write(fd, data)
    except BrokenPipeError:
        if signal.SIGPIPE in signal.sigpending():
            signal.sigwait(_SIGPIPE)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pending(fd: int) -> int:
    """How many bytes the pipe ``fd`` holds now (FIONREAD)."""
    import fcntl
    import termios  # here: only a pipe still open when the program ended asks

    try:
        answer = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
    except OSError:
        return _DRAIN_WITHOUT_COUNT
    return int.from_bytes(answer, sys.byteorder, signed=True)
