"""`nanoctl exec -- PROGRAM …`: a program run with the current token in its environment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import argument, option
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.option import Option

from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.errors import NanoctlError, TokenRejected
from nanoctl.domain.handover_errors import (
    CommandNotExecutable,
    CommandNotFound,
    ConflictingMaskOptions,
    InvalidMaskSetting,
    MaskingUnsupported,
)
from nanoctl.entrypoints.cli.command import (
    API_URL_OPTION,
    CURRENT_CREDENTIAL_ERRORS,
    NanoctlCommand,
)

if TYPE_CHECKING:
    from nanoctl.domain.ports import OutputMasking


class ExecCommand(NanoctlCommand):
    arguments: ClassVar[list[Argument]] = [
        argument("program", "The command to run and its arguments, after `--`.", multiple=True)
    ]
    options: ClassVar[list[Option]] = [
        option("check", None, "Check the token with the API first (exit 3 or 4 as login)."),
        option("mask", None, "Hide the token in the command's output at a terminal too."),
        option("no-mask", None, "Never hide the token in the command's output."),
        API_URL_OPTION,
    ]
    usage = "[options] -- PROGRAM [ARGS...]"
    about = (
        "Runs PROGRAM with NANOSERVICES_TOKEN and NANOSERVICES_API_URL set in its environment "
        "from the current credential; the token never appears in any command line. "
        "Everything after `--` is the program's, options included. Offline unless --check.",
        "Its output to a pipe, a file or a log passes through nanoctl, which replaces the "
        "token (and its base64, URL-encoded and JSON-escaped forms) with *** as it streams. "
        "At a terminal the program writes there itself, unmasked, unless --mask; --no-mask "
        "never masks. NANOCTL_MASK=1 or 0 sets the default (the options beat it). Run by a "
        "coding agent (agent mode), it always masks, at a terminal too.",
        "Signals sent to nanoctl (HUP INT QUIT TERM USR1 USR2 ALRM PIPE WINCH CONT TSTP) "
        "reach the program while it runs; nanoctl waits and exits with its status.",
    )
    examples = (
        ("The script sees NANOSERVICES_TOKEN", "nanoctl exec -- ./deploy.sh --prod"),
        ("Check the token with the API first", "nanoctl exec --check -- node release.js"),
        ("The log gets *** where the token was", "nanoctl exec -- ./deploy.sh 2>&1 | tee log"),
        (
            "A shell command line: quoted, after sh -c",
            "nanoctl exec -- sh -c 'echo ${#NANOSERVICES_TOKEN}'",
        ),
    )
    success = (
        "any",
        "the program's exit status (128+N when signal N ended it); before it runs, nanoctl's:",
    )

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (
            *CURRENT_CREDENTIAL_ERRORS,
            ConflictingMaskOptions,
            InvalidMaskSetting,
            MaskingUnsupported,
            TokenRejected,
            ApiUnavailable,
            CommandNotFound,
            CommandNotExecutable,
        )

    def handle(self) -> int:
        container = self.container
        masking = self._masking(container.invocation().environ)
        self.verbose_target()
        if self.option("check"):
            current = container.check_credential().check()
        else:
            current = container.resolve_credential().resolve()
        self.warn_if_credential_expires_soon(current.credential)
        command: list[str] = self.argument("program")
        self.verbose(running_line(current.credential.token.redact(command[0])))
        return container.command_runner().run(command, current.credential, masking)

    def _masking(self, environ: Mapping[str, str]) -> OutputMasking:
        """Where the program's output is masked: as --mask, --no-mask or NANOCTL_MASK say,
        and in agent mode everywhere, a terminal too (what says otherwise is ignored, with
        a warning)."""
        # Here: `help exec` builds this command without the settings.
        from nanoctl.entrypoints.settings import MASK_ENV, output_masking

        no_mask = bool(self.option("no-mask"))
        masking = output_masking(environ, mask=bool(self.option("mask")), no_mask=no_mask)
        agent = self.agent
        if not agent.on:
            return masking
        if masking == "off":
            from nanoctl.entrypoints.words.agent import mask_kept

            given = "--no-mask" if no_mask else f"{MASK_ENV}={environ[MASK_ENV].strip()}"
            self.warn(mask_kept(given, agent))
        return "always"


# --- its lines ---------------------------------------------------------------------------


def running_line(program: str) -> str:
    """With -v: the program `nanoctl exec` starts (its arguments are not shown)."""
    return f"running {program} with the token in NANOSERVICES_TOKEN"
