"""`nanoctl exec`'s program as a child process: the credential in its environment, never in
its arguments; our standard streams (a terminal stays a terminal); its exit status."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence

from nanoctl.adapters.process.signals import SignalForwarding
from nanoctl.adapters.terminal.token_sources import ENV_TOKEN, ENV_TOKEN_FILE
from nanoctl.domain.handover_errors import CommandNotExecutable, CommandNotFound, CommandNotStarted
from nanoctl.domain.model import Credential

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

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def run(self, command: Sequence[str], credential: Credential) -> int:
        program = command[0]
        if not program:  # `exec -- "$UNSET"`: execvp would try the PATH's directories
            raise CommandNotFound("")
        environment = child_environment(self._environ, credential)
        # What nanoctl printed (warnings, -v) comes before anything the program prints.
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        with SignalForwarding() as forwarding:
            try:
                # close_fds=False: descriptors nanoctl inherited (`3>log`) reach the
                # program as a shell would pass them; nanoctl's own are close-on-exec.
                child = subprocess.Popen(list(command), env=environment, close_fds=False)
            except OSError as error:
                # The name is shown to the user: a token pasted there must not be.
                shown = credential.token.redact(program)
                raise _not_started(program, shown, error, environment) from None
            forwarding.to(child.pid)
            status = child.wait()
        return 128 - status if status < 0 else status


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
