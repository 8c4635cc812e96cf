"""What can go wrong handing the credential to another tool, as facts: `nanoctl token`
refused or could not write it, `nanoctl exec` was asked to mask its program's output in a
way it cannot, the program it was to run did not start. Part of
the one hierarchy of ``nanoctl.domain.errors``; the words are in
``nanoctl.entrypoints.words.handover``."""

from __future__ import annotations

from nanoctl.domain.errors import NanoctlError, UsageError

# --- exit 2: refused -------------------------------------------------------------------


class TokenToTerminal(UsageError):
    """`nanoctl token` was asked to print the token on a terminal, without --reveal."""


class TokenToAgent(UsageError):
    """`nanoctl token` was run by a coding agent (agent mode, turned on by ``variable``):
    the token would land in the agent's transcript. --reveal does not change that."""

    kind = "token_to_agent"

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable


class ConflictingMaskOptions(UsageError):
    """`exec --mask --no-mask`: whether to hide the token in the program's output is not
    ours to guess."""

    kind = "conflicting_mask_options"


class InvalidMaskSetting(UsageError):
    """NANOCTL_MASK is neither on (1) nor off (0); ``value`` is what it holds."""

    kind = "invalid_mask_setting"

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def __repr__(self) -> str:  # the value may be a token set in the wrong variable
        return "InvalidMaskSetting()"

    __str__ = __repr__


class MaskingUnsupported(UsageError):
    """`exec` was to hide the token in its program's output where nanoctl cannot relay it
    (Windows: no SIGCHLD, no select on pipes)."""

    kind = "masking_unsupported"


class NoJsonOutput(UsageError):
    """--json was asked of ``command``, whose output must never sit in a JSON document."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


# --- exit 1: the token was not delivered ---------------------------------------------


class TokenNotWritten(NanoctlError):
    """`nanoctl token` could not deliver the token: its standard output was closed
    (``errno`` None) or writing failed with ``errno`` (a full disk, a reader gone)."""

    kind = "token_not_written"

    def __init__(self, errno: int | None) -> None:
        super().__init__(errno)
        self.errno = errno


# --- exit 127 and 126: the command `nanoctl exec` was to run did not start ------------


class CommandNotStarted(NanoctlError):
    """``program`` (the first word of the command line given to exec) did not start."""

    kind = "command_not_started"

    def __init__(self, program: str) -> None:
        super().__init__(program)
        self.program = program


class CommandNotFound(CommandNotStarted):
    """No such file, or no such program on PATH (a shell's exit 127)."""

    kind = "command_not_found"


class CommandNotExecutable(CommandNotStarted):
    """Found but cannot be executed (a shell's exit 126): ``errno`` says why; ENOENT for a
    file that exists means its interpreter (the ``#!`` line) does not."""

    kind = "command_not_executable"

    def __init__(self, program: str, errno: int | None) -> None:
        super().__init__(program)
        self.errno = errno
