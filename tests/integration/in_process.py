"""Run `nanoctl` inside the test's own process: what a test that looks only at outputs needs.

``run_nanoctl`` here takes the arguments of ``cli_harness.run_nanoctl`` and returns the same
``Result``, so a test changes runner by changing an import. It calls the real entry point,
``nanoctl.entrypoints.cli.main.main()``, with the real container (the store under the test's
HOME, HTTP to the test's server, the error boundary), the test's environment in
``os.environ``, and standard streams that stand where a child's pipes would: real files,
not terminals, with the encodings and error handlers a child gets under the same locale
(asked of a child once per locale). A run costs a few milliseconds instead of a start of
the interpreter (110-170 ms).

Every run is echoed and checked for tokens by ``cli_harness.checked``, exactly as a
process's run is, so the leak sweep of tests/conftest.py covers both alike.

Whatever main() changes for its own process is put back: the collector (main disables it;
its ``gc.freeze()`` of every object is left out here), signal handlers, the environment,
``sys.argv`` and the standard streams. A warning that a process would print on stderr
fails the run instead of vanishing into pytest's warning summary.

What only a process can show runs in one, through ``cli_harness.run_nanoctl`` (the echo
says so): another executable (``command=``), `exec` (its program inherits the process's
descriptors), and an environment that changes the interpreter itself (locale, ``PYTHON*``,
``TZ``) or picks the keyring (``NANOCTL_KEYRING``, D-Bus). Signals, terminals, closed
streams, import cost, packaging and kill -9 are tested with processes, never here.
tests/integration/test_in_process_harness.py runs command lines both ways and compares.
"""

from __future__ import annotations

import gc
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from types import FrameType, ModuleType
from typing import Any, BinaryIO, TextIO

import pytest

from tests.integration import cli_harness
from tests.integration.cli_harness import (
    NANOCTL,
    TIMEOUT,
    Env,
    Result,
    allow_reveal,
    checked,
    environment,
    secrets_of,
)

PROCESS_ONLY_VARIABLES = frozenset(
    {"LANG", "LANGUAGE", "TZ", "NANOCTL_KEYRING", "DBUS_SESSION_BUS_ADDRESS"}
)
"""Variables that change the interpreter or pick the keyring: a run given one is a process.
(Also every ``LC_*`` and ``PYTHON*`` variable.)"""

# What a fresh interpreter does not show (its default warning filters): the rest it prints.
_SILENT_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def run_nanoctl(
    *args: str,
    env: Env | None = None,
    stdin: str | bytes | None = None,
    secrets: Iterable[str] = (),
    timeout: float = TIMEOUT,
    command: Iterable[str] | None = None,
    reveals: str | None = None,
) -> Result:
    """``nanoctl *args`` through main() in this process, as cli_harness.run_nanoctl runs it
    in a child: ``stdin=None`` is /dev/null; ``secrets``, ``reveals`` as there. A run that
    only a process can show (``process_reason``) is handed to cli_harness.run_nanoctl."""
    full_env = environment(env)
    reason = process_reason(args, env, command) or _interpreter_differs(full_env)
    if reason is not None:
        print(f"(as a process: {reason})")
        return cli_harness.run_nanoctl(
            *args,
            env=env,
            stdin=stdin,
            secrets=secrets,
            timeout=timeout,
            command=command,
            reveals=reveals,
        )
    allow_reveal(args, reveals)
    tokens = secrets_of(secrets)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    started = time.monotonic()
    exit_code, stdout, stderr = run_main(args, full_env, data, timeout)
    seconds = time.monotonic() - started
    result = Result(
        exit_code,
        stdout.decode("utf-8", errors="replace"),
        stderr.decode("utf-8", errors="replace"),
        seconds,
    )
    return checked(args, result, tokens, reveals, how="in-process")


def process_reason(
    args: Iterable[str], env: Env | None, command: Iterable[str] | None
) -> str | None:
    """Why this run must be a process, or None when this process gives the same bytes."""
    if command is not None:
        return "another executable"
    args = list(args)
    named = args[: args.index("--")] if "--" in args else args
    if "exec" in named:
        return "exec runs a program on the process's own descriptors"
    for name in env or {}:
        if name in PROCESS_ONLY_VARIABLES or name.startswith(("LC_", "PYTHON")):
            return f"{name} is set for it"
    return None


def run_main(
    args: Iterable[str], env: dict[str, str], stdin: bytes | None, timeout: float = TIMEOUT
) -> tuple[int, bytes, bytes]:
    """main(args) with ``env`` as the environment and ``stdin`` (None: /dev/null) as standard
    input: its exit code and the bytes it wrote to standard output and error."""
    from nanoctl.entrypoints.cli import main as cli

    argv = list(args)
    child = child_interpreter(interpreter_variables(env))
    with ExitStack() as stack:
        stdin_file = stack.enter_context(_stdin_file(stdin))
        out_file = stack.enter_context(tempfile.TemporaryFile())
        err_file = stack.enter_context(tempfile.TemporaryFile())
        streams = (
            _text(stdin_file, child.streams[0]),
            _text(out_file, child.streams[1]),
            _text(err_file, child.streams[2], line_buffering=True),
        )
        stack.callback(_detach, streams)  # the files are closed by the stack, not by them
        with (
            restored_process_state(),
            _without_freezing(cli),
            _as_process(env, argv, streams),
            _deadline(timeout),
        ):
            code = _exit_code(cli.main, argv)
        for stream in streams[1:]:
            stream.flush()  # as the interpreter does at exit
        out_file.seek(0)
        err_file.seek(0)
        return code, out_file.read(), err_file.read()


@dataclass(frozen=True)
class ChildInterpreter:
    """What a child interpreter makes of its environment before nanoctl runs in it."""

    streams: tuple[tuple[str, str], ...]
    """(encoding, errors) of stdin, stdout and stderr: C.UTF-8 gives surrogateescape on
    stdin and stdout, en_US.UTF-8 strict."""
    utf8_mode: int


def interpreter_variables(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The variables of ``env`` that the interpreter itself reads at start."""
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(("LC_", "LANG", "PYTHON"))))


@cache
def child_interpreter(variables: tuple[tuple[str, str], ...]) -> ChildInterpreter:
    """Asked of a child once per set of ``variables``."""
    probe = "import json, sys; print(json.dumps([[[s.encoding, s.errors] for s in "
    probe += "(sys.stdin, sys.stdout, sys.stderr)], sys.flags.utf8_mode]))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PATH": os.environ.get("PATH", os.defpath), **dict(variables)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    streams, utf8_mode = json.loads(done.stdout)
    return ChildInterpreter(tuple((encoding, errors) for encoding, errors in streams), utf8_mode)


def _interpreter_differs(env: Mapping[str, str]) -> str | None:
    """Why a child would not run as this process does (nanoctl reads sys.flags.utf8_mode)."""
    child = child_interpreter(interpreter_variables(env))
    if child.utf8_mode != sys.flags.utf8_mode:
        return f"its UTF-8 mode would be {child.utf8_mode}, this process's is {sys.flags.utf8_mode}"
    return None


def _text(
    file: BinaryIO, stream: tuple[str, str], *, line_buffering: bool = False
) -> io.TextIOWrapper:
    encoding, errors = stream
    return io.TextIOWrapper(file, encoding=encoding, errors=errors, line_buffering=line_buffering)


def _detach(streams: Iterable[io.TextIOWrapper]) -> None:
    for stream in streams:
        with suppress(ValueError):  # closed by the run itself
            stream.detach()


@contextmanager
def _stdin_file(data: bytes | None) -> Iterator[BinaryIO]:
    if data is None:
        with open(os.devnull, "rb") as devnull:
            yield devnull
        return
    with tempfile.TemporaryFile() as file:
        file.write(data)
        file.seek(0)
        yield file


def _exit_code(main: Callable[[list[str]], int], argv: list[str]) -> int:
    """What the process's exit status would be: ``sys.exit(main())`` in the console script."""
    try:
        return main(argv)
    except SystemExit as stop:
        if stop.code is None:
            return 0
        if isinstance(stop.code, int):
            return stop.code
        print(stop.code, file=sys.stderr)
        return 1
    except _Overran:
        raise
    except BaseException:  # the interpreter prints it and exits 1
        import traceback

        traceback.print_exc()
        return 1


@contextmanager
def _as_process(
    env: dict[str, str], argv: list[str], streams: tuple[TextIO, ...]
) -> Iterator[None]:
    """``os.environ``, ``sys.argv`` and the standard streams as the child would have them."""
    names = ("stdin", "stdout", "stderr")
    saved_streams = {name: getattr(sys, name) for name in names}
    saved_dunders = {name: getattr(sys, f"__{name}__") for name in names}
    saved_argv = sys.argv
    saved_env = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [str(NANOCTL), *argv]
        for name, stream in zip(names, streams, strict=True):
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)  # cleo asks sys.__stdout__ for the width
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        shown = [w for w in caught if not issubclass(w.category, _SILENT_WARNINGS)]
        assert not shown, (
            "a warning a process would print on stderr: "
            f"{[f'{w.category.__name__}: {w.message}' for w in shown]}"
        )
    finally:
        for name in names:
            setattr(sys, name, saved_streams[name])
            setattr(sys, f"__{name}__", saved_dunders[name])
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)


@contextmanager
def restored_process_state() -> Iterator[None]:
    """main() disables the collector (a process ends right after) and commands install
    signal handlers: both put back as they were. Nothing may be frozen by the run."""
    collecting = gc.isenabled()
    frozen = gc.get_freeze_count()
    handlers = _signal_handlers()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        for signum, handler in handlers.items():
            if signal.getsignal(signum) is not handler:
                signal.signal(signum, handler)
    assert gc.get_freeze_count() == frozen, "the run froze objects of the test process"


class _GcWithoutFreeze:
    """The gc module as main() sees it in-process: all of it but ``freeze()``, which would
    move every object of the test process to the permanent generation; ``unfreeze()`` could
    not undo that alone (it also releases what the interpreter froze at its start, as 3.12
    does). Freezing only spares a process's teardown: no output depends on it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(gc, name)

    def freeze(self) -> None:
        pass


@contextmanager
def _without_freezing(cli: ModuleType) -> Iterator[None]:
    assert getattr(cli, "gc", None) is gc, "main() no longer finds gc where this replaces it"
    cli.gc = _GcWithoutFreeze()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        cli.gc = gc  # type: ignore[attr-defined]


def _signal_handlers() -> dict[signal.Signals, Any]:
    handlers: dict[signal.Signals, Any] = {}
    for signum in signal.valid_signals():
        if not isinstance(signum, signal.Signals) or signum in (signal.SIGKILL, signal.SIGSTOP):
            continue
        handler = signal.getsignal(signum)
        if handler is not None:  # None: set outside Python, which Python cannot restore
            handlers[signum] = handler
    return handlers


class _Overran(BaseException):
    """Raised by the alarm in a run that outlived its timeout. A BaseException, so nanoctl's
    error boundary (which reports Exception and KeyboardInterrupt) lets it through."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Fail a run that outlives ``seconds``, as the subprocess harness kills its child."""

    def overran(signum: int, frame: FrameType | None) -> None:
        raise _Overran

    previous = signal.signal(signal.SIGALRM, overran)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Overran:
        pytest.fail(f"nanoctl ran in-process for more than {seconds:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
