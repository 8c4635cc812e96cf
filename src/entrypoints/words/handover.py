"""The words of the errors of `nanoctl token` and `nanoctl exec`, the commands that hand the
credential to other tools: what was refused or could not be delivered, and what to do."""

from __future__ import annotations

import errno
from functools import singledispatch

from nanoctl.domain import errors as e
from nanoctl.domain import handover_errors as h
from nanoctl.entrypoints.words import os_reason
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.shown import shown

_FIND_PROGRAM = "Check its name and PATH, or give its path ({exec_path})."

# class: (cause, next step), filled with the error's facts and phrases()
SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    # exit 2
    h.TokenToTerminal: (
        "Refusing to print the token on a terminal: it would stay in the scrollback and "
        "show in screen shares.",
        "Pipe or redirect it ({piped_token}), or pass --reveal to show it anyway.",
    ),
    h.TokenToAgent: (
        "Refusing to print the token: nanoctl runs in agent mode (from {variable}), and a "
        "token an agent reads stays in its transcript; --reveal does not change that.",
        "Use the token without seeing it: {exec_path} runs a program with it in "
        "NANOSERVICES_TOKEN, its output masked; {api_path} sends a request to the API with "
        "it.",
    ),
    h.ConflictingMaskOptions: (
        "Both --mask and --no-mask are given; nanoctl will not guess whether to hide the "
        "token in the command's output.",
        "Give one: --mask hides it at a terminal too, --no-mask leaves the output as the "
        "command writes it.",
    ),
    h.InvalidMaskSetting: (
        "NANOCTL_MASK{shown} is neither 1 nor 0{not_shown}.",
        "Set NANOCTL_MASK=1 to hide the token in a command's output at a terminal too, "
        "NANOCTL_MASK=0 never to hide it, or unset it to hide it wherever the output is not "
        "a terminal.",
    ),
    h.MaskingUnsupported: (
        "Hiding the token in a command's output is not supported on Windows.",
        "Run it with --no-mask (or NANOCTL_MASK=0) to pass its output on unmasked.",
    ),
    h.NoJsonOutput: (
        "`nanoctl {command}` has no JSON output: a token must not end up inside a logged "
        "JSON document.",
        "Run it without --json; its standard output is the token and a newline.",
    ),
    # exit 1
    h.TokenNotWritten: (
        "The token was not written: {what}.",
        "Run it with standard output going to a pipe or a file that can take it "
        "({token_pipe}, {token_to_file}).",
    ),
    # exit 127 and 126 (exec)
    h.CommandNotStarted: ("Could not run {program}.", _FIND_PROGRAM),
    h.CommandNotFound: ("Command not found: {program}.", "{next}"),
    h.CommandNotExecutable: (
        "Cannot run {program}: {what}.",
        "Check that it is an executable file (`chmod +x` a script of yours), or run it "
        "through its interpreter ({exec_sh}).",
    ),
}


@singledispatch
def phrases(error: e.NanoctlError, context: Context) -> dict[str, str]:
    """The words an error's sentence needs beyond its facts."""
    return {}


@phrases.register
def _(error: h.CommandNotFound, context: Context) -> dict[str, str]:
    if not error.program:
        return {
            "program": "the program name after `--` is empty",
            "next": "Check the command line: an unset or empty variable gives an empty name.",
        }
    return {"next": _FIND_PROGRAM.format(exec_path=context.nanoctl("exec", "--", "./script", "…"))}


@phrases.register
def _(error: h.CommandNotExecutable, context: Context) -> dict[str, str]:
    if error.errno == errno.ENOENT:
        return {"what": "its interpreter (the #! line) was not found"}
    if error.errno == errno.EACCES:
        return {"what": "permission denied (not an executable file)"}
    if error.errno == errno.ENOEXEC:
        return {"what": "it is not in an executable format"}
    return {"what": os_reason(error.errno)}


@phrases.register
def _(error: h.InvalidMaskSetting, context: Context) -> dict[str, str]:
    """The value is repeated only when it cannot be a token set in the wrong variable: a
    word, or a short number (`2`, `-1`)."""
    number = len(error.value) <= 3 and error.value.lstrip("+-").isdigit()
    if shown(error.value) or number:
        return {"shown": f"={error.value!r}", "not_shown": ""}
    return {"shown": "", "not_shown": " (its value is not shown: it could be a token)"}


@phrases.register
def _(error: h.TokenNotWritten, context: Context) -> dict[str, str]:
    if error.errno is None:
        return {"what": "standard output is closed"}
    if error.errno == errno.EPIPE:
        return {"what": "the reader of standard output is gone (broken pipe)"}
    return {"what": os_reason(error.errno)}
