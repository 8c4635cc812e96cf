from __future__ import annotations

from typing import ClassVar

from cleo.helpers import argument, option
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.option import Option

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import running_line


class ExecCommand(NanoctlCommand):
    name = "exec"
    description = description_of("exec")
    arguments: ClassVar[list[Argument]] = [
        argument("program", "The command to run and its arguments, after `--`.", multiple=True)
    ]
    options: ClassVar[list[Option]] = [
        option("check", None, "Check the token with the API first (exit 3 or 4 as login)."),
        option("mask", None, "Hide the token in the command's output at a terminal too."),
        option("no-mask", None, "Never hide the token in the command's output."),
        API_URL_OPTION,
    ]
    help = """\
Runs the command with NANOSERVICES_TOKEN and NANOSERVICES_API_URL set in its environment
from the current credential; the token never appears in any command line. Its standard
streams are nanoctl's (a terminal stays a terminal); everything after `--` is its own.

Its output to a pipe, a file or a log passes through nanoctl, which replaces the token
(and its base64, URL-encoded and JSON-escaped forms) with *** as it streams. At a terminal
the command writes there itself, unmasked, unless --mask; --no-mask never masks.
NANOCTL_MASK=1 or 0 sets the default (the options beat it).

  <info>nanoctl exec -- ./deploy.sh --prod</info>
  <info>nanoctl exec --check -- node scripts/release.js</info>
  <info>nanoctl exec -- ./deploy.sh 2>&1 | tee deploy.log</info>   (the log gets ***)

Offline unless --check. Signals sent to nanoctl (HUP INT QUIT TERM USR1 USR2 ALRM PIPE
WINCH CONT TSTP) reach the command while it runs; nanoctl waits and exits with its status.
Exit codes: the command's own (128+N when signal N ended it); 1 not logged in, 2 usage,
3 rejected or expired, 4 API unusable (--check), 5 storage, 126 not executable, 127 not found."""

    def handle(self) -> int:
        # Here: `help exec` builds this command without the settings.
        from nanoctl.entrypoints.settings import output_masking

        container = self.container
        masking = output_masking(
            container.invocation().environ,
            mask=bool(self.option("mask")),
            no_mask=bool(self.option("no-mask")),
        )
        self.verbose_target()
        if self.option("check"):
            current = container.check_credential().check()
        else:
            current = container.resolve_credential().resolve()
        self.warn_if_credential_expires_soon(current.credential)
        command: list[str] = self.argument("program")
        self.verbose(running_line(current.credential.token.redact(command[0])))
        return container.command_runner().run(command, current.credential, masking)
