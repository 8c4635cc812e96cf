"""`nanoctl exec`'s program as a child process: the credential in its environment, never in
its arguments; our standard streams (a terminal stays a terminal), its output masked where
it is not shown at one (relay.py); its exit status."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import nullcontext, suppress
from typing import TYPE_CHECKING

from nanoctl.adapters.process.signals import SignalForwarding
from nanoctl.adapters.terminal.token_sources import ENV_TOKEN, ENV_TOKEN_FILE
from nanoctl.domain.errors import (
    CommandNotExecutable,
    CommandNotFound,
    CommandNotStarted,
    MaskingUnsupported,
)
from nanoctl.domain.model import Credential
from nanoctl.domain.ports import OutputMasking

if TYPE_CHECKING:
    from nanoctl.adapters.process.relay import MaskedOutput

API_URL_VARIABLE = "NANOSERVICES_API_URL"


def child_environment(environ: Mapping[str, str], credential: Credential) -> dict[str, str]:
    """What the program sees: ``environ`` with the credential's token and API URL.

    NANOSERVICES_TOKEN_FILE is left out: the token is handed over by value, and a nanoctl
    the program runs would see both variables set, which is a usage error.
    """
    environment = {name: value for name, value in environ.items() if name != ENV_TOKEN_FILE}
    environment[ENV_TOKEN] = credential.token.reveal()
    environment[API_URL_VARIABLE] = credential.api_url.value
    return environment


class ChildProcessRunner:
    """Runs the program as our child and waits for it (no exec in place: nanoctl stays to
    pass signals on and to report 128+N when one ends the program)."""

    def __init__(self, environ: Mapping[str, str], platform: str = sys.platform) -> None:
        self._environ = environ
        self._platform = platform

    def run(self, command: Sequence[str], credential: Credential, masking: OutputMasking) -> int:
        program = command[0]
        if not program:  # `exec -- "$UNSET"`: execvp would try the PATH's directories
            raise CommandNotFound("")
        environment = child_environment(self._environ, credential)
        # What nanoctl printed (warnings, -v) comes before anything the program prints.
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        output = _masked_output(masking, credential, self._platform)
        with SignalForwarding() as forwarding, output or nullcontext() as relay:
            try:
                # close_fds=False: descriptors nanoctl inherited (`3>log`) reach the
                # program as a shell would pass them; nanoctl's own are close-on-exec.
                child = subprocess.Popen(
                    list(command),
                    env=environment,
                    close_fds=False,
                    stdout=relay.stdout if relay else None,
                    stderr=relay.stderr if relay else None,
                )
            except OSError as error:
                # The name is shown to the user: a token pasted there must not be.
                shown = credential.token.redact(program)
                raise _not_started(program, shown, error, environment) from None
            forwarding.to(child.pid)
            if relay is None:
                status = child.wait()
            else:
                relay.started()
                status = relay.wait(child)
        return 128 - status if status < 0 else status


def _masked_output(
    masking: OutputMasking, credential: Credential, platform: str
) -> MaskedOutput | None:
    """The relay of the program's output through the mask, where ``masking`` asks for it
    on one of our stdout and stderr; None where it goes there directly. Raises
    MaskingUnsupported where the relay cannot run (Windows): never unmasked unasked."""
    destinations = _masked_destinations(masking)
    if not destinations:
        return None
    if platform == "win32":
        raise MaskingUnsupported()
    # Here: only a masked run loads the relay and the mask.
    from nanoctl.adapters.process.relay import MaskedOutput
    from nanoctl.domain.masking import token_forms

    patterns = [form.encode() for form in token_forms(credential.token.reveal())]
    return MaskedOutput(destinations, patterns)


def _masked_destinations(masking: OutputMasking) -> list[tuple[int, tuple[int, ...]]]:
    """Which of our stdout (1) and stderr (2) get the program's output through the mask,
    each with the program's descriptors that write into it: both into one where they are
    the same file (`2>&1`), so the order of their lines is kept."""
    if masking == "off":
        return []
    chosen = {fd: status for fd in (1, 2) if (status := _maskable(fd, masking)) is not None}
    if len(chosen) == 2 and _same_file(chosen[1], chosen[2]):
        return [(1, (1, 2))]
    return [(fd, (fd,)) for fd in chosen]


def _maskable(fd: int, masking: OutputMasking) -> os.stat_result | None:
    """``fd``'s file, unless it needs no mask: closed (the program gets it closed), a
    terminal unless ``always``, /dev/null (nothing can read what goes there)."""
    try:
        status = os.fstat(fd)
    except OSError:
        return None
    if stat.S_ISCHR(status.st_mode):
        if masking != "always" and os.isatty(fd):
            return None
        with suppress(OSError):
            if _same_file(status, os.stat(os.devnull)):
                return None
    return status


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _not_started(
    program: str, shown: str, error: OSError, environment: Mapping[str, str]
) -> CommandNotStarted:
    """Why ``program`` did not start, naming it as ``shown``."""
    if isinstance(error, FileNotFoundError):
        if _exists(program, environment):
            # execve says ENOENT for an existing script whose #! interpreter is missing.
            return CommandNotExecutable(shown, errno.ENOENT)
        return CommandNotFound(shown)
    if isinstance(error, PermissionError) and not _exists(program, environment):
        # execvp's EACCES for a directory named like the program in a PATH entry: a shell
        # skips those and says "not found".
        return CommandNotFound(shown)
    return CommandNotExecutable(shown, error.errno)


def _exists(program: str, environment: Mapping[str, str]) -> bool:
    """A file (not a directory, on PATH) of that name: found, though maybe not runnable."""
    if os.sep in program:
        return os.path.exists(program)
    directories = os.get_exec_path(dict(environment))
    return any(os.path.isfile(os.path.join(directory, program)) for directory in directories)
