"""The sentence and the next step of each error of reading a token (exit 2): a token that is
not one, a token file that cannot be read, two sources given at once, no token and nobody to
ask, and where each came from. ``errors.explain`` uses these entries."""

from __future__ import annotations

import re
from functools import singledispatch

from nanoctl.domain import errors as e
from nanoctl.domain.model import MAX_TOKEN_INPUT, MAX_TOKEN_LENGTH, PIPE_WAIT
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words import os_reason, source, token_file
from nanoctl.entrypoints.words.context import Context, sentence_commands
from nanoctl.entrypoints.words.shown import shown

_NO_TOKEN = "Set NANOSERVICES_TOKEN, pipe it to {login_stdin}, or run {login} in a terminal."

SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    e.TokenFromTerminal: (
        "`--token -` reads the token from a pipe, but standard input is a terminal.",
        "Pipe the token in ({piped_login}), or run {login} to be prompted with hidden input.",
    ),
    e.MalformedToken: ("The token from {source} is malformed: {what}.", "{next}"),
    e.TokenFileUnusable: ("{what}", "{next}"),
    e.ConflictingTokenSources: (
        "Both {first} and {second} are {given}; nanoctl will not guess which token to use.",
        "{next}",
    ),
    e.NoTokenAvailable: ("{what}", "{next}"),
}


@singledispatch
def phrases(error: e.NanoctlError, context: Context) -> dict[str, str]:
    """The words a token input error's sentence needs beyond its facts."""
    return {}


@phrases.register
def _(error: e.MalformedToken, context: Context) -> dict[str, str]:
    in_file = error.path is not None
    where = (
        source(error.origin)
        if error.path is None
        else f"the file {token_file(error.path, error.origin)}"
    )
    next_step = _COPY_AGAIN
    if error.problem in _SHAPES:
        what, next_step = _SHAPES[error.problem]
        if error.problem == "assignment":
            name = error.variable or ""
            named = shown(name) or _VARIABLE.fullmatch(name) is not None
            shown_name = name if named and context.shown(name) == name else "NAME"
            what = what.format(name=shown_name)
            if error.origin is TokenOrigin.ENVIRONMENT:
                next_step = "Set NANOSERVICES_TOKEN to the token alone, without `{name}=`."
            next_step = _ONLY_THE_TOKEN_IN_FILE if in_file else next_step.format(name=shown_name)
        return {"source": where, "what": what, "next": next_step}
    if error.problem == "too_much_input" and in_file:
        what = f"the file holds more than {MAX_TOKEN_INPUT:,} bytes"
        return {"source": where, "what": what, "next": next_step}
    return {"source": where, "what": _TOKEN_PROBLEMS[error.problem], "next": next_step}


@phrases.register
def _(error: e.TokenFileUnusable, context: Context) -> dict[str, str]:
    from_env = error.origin is TokenOrigin.ENVIRONMENT_FILE
    named_by = "NANOSERVICES_TOKEN_FILE" if from_env else "--token-file"
    if error.problem == "empty_path":
        what = f"{named_by} is set but empty." if from_env else f"{named_by} was given no path."
        return {"what": what, "next": _TOKEN_FILE_FIXES["missing"].format(named_by=named_by)}
    if error.shown_path is None:
        file = (
            f"named by {named_by} (not shown: it does not look like a path, so it could be a token)"
        )
    else:
        file = token_file(error.shown_path, error.origin)
    problem = _TOKEN_FILE_PROBLEMS[error.problem].format(reason=os_reason(error.errno))
    if error.problem in ("fifo", "pipe_timeout", "not_regular"):
        flag = _NOT_A_FILE_FLAG if error.problem == "not_regular" else _EMPTY_PIPE_FLAG
        next_step = _NOT_A_FILE_ENV if from_env else flag.format(**sentence_commands(context))
    else:
        next_step = _TOKEN_FILE_FIXES[error.problem].format(named_by=named_by)
    return {"what": f"The token file {file} {problem}.", "next": next_step}


@phrases.register
def _(error: e.ConflictingTokenSources, context: Context) -> dict[str, str]:
    from_env = error.first is TokenOrigin.ENVIRONMENT
    return {
        "first": _SOURCE_NAMES[error.first],
        "second": _SOURCE_NAMES[error.second],
        "given": "set" if from_env else "given",
        "next": "Unset one of them." if from_env else "Pass only one of them.",
    }


@phrases.register
def _(error: e.NoTokenAvailable, context: Context) -> dict[str, str]:
    if error.agent is not None:  # words for the agent to pass on to its user, verbatim
        return {
            "what": f"No token given, and in agent mode (from {error.agent}) nanoctl never "
            "prompts for one.",
            "next": f"Tell the user: run {context.nanoctl('login')} in your own terminal, or "
            "set NANOSERVICES_TOKEN in the environment you start me from; never paste a "
            "token into this conversation.",
        }
    if error.no_interaction:
        what = "No token given, and --no-interaction forbids prompting for one."
    else:
        what = "No token given and no terminal to prompt for one."
    if error.ci:
        return {
            "what": what,
            "next": "In CI, store the token as a secret and expose it as NANOSERVICES_TOKEN, "
            f"or pipe it to {context.nanoctl('login', '--token', '-')}.",
        }
    return {"what": what, "next": _NO_TOKEN.format(**sentence_commands(context))}


_VARIABLE = re.compile(r"[A-Z][A-Z_]{0,63}")
"""An environment variable's name (NANOSERVICES_TOKEN): capitals and `_`, no digits, which
a generated secret mixes in."""
_COPY_AGAIN = f"Copy the whole token again; it is 1 to {MAX_TOKEN_LENGTH} visible ASCII characters."
_ONLY_THE_TOKEN_IN_FILE = "Write only the token into the file, without the variable's name and `=`."
_SHAPES: dict[e.TokenProblem, tuple[str, str]] = {
    "assignment": (
        "it reads `{name}=…`, a line of a .env file, not a token alone",
        "Give the token alone, without `{name}=`.",
    ),
    "quoted": (
        "it is wrapped in quotes, which are not part of the token (a .env file read by "
        "`docker --env-file` or systemd keeps them)",
        "Remove the quotes.",
    ),
    "bearer": (
        "it starts with `Bearer`, the word of the Authorization header, not part of the token",
        "Give the token without `Bearer `.",
    ),
}
"""Text that holds a token (``domain.token_shapes``): what it is, and what to give instead."""
_TOKEN_PROBLEMS: dict[e.TokenProblem, str] = {
    "empty": "it is empty",
    "too_long": f"it is longer than {MAX_TOKEN_LENGTH} characters",
    "several_lines": "it spans several lines",
    "bad_characters": "it contains spaces, control or non-ASCII characters",
    "too_much_input": f"the input goes on past {MAX_TOKEN_INPUT:,} characters",
}
_TOKEN_FILE_PROBLEMS: dict[e.TokenFileProblem, str] = {
    "missing": "does not exist",
    "directory": "is a directory",
    "fifo": "is a pipe with nothing written into it (nanoctl does not wait for a writer)",
    "pipe_timeout": f"is a pipe, and nothing came through it within {PIPE_WAIT:g} s",
    "not_regular": "is neither a regular file nor a pipe",
    "unreadable": "cannot be read: {reason}",
}
_TOKEN_FILE_FIXES: dict[e.TokenFileProblem, str] = {
    "missing": "Give {named_by} the path of the file that holds the token.",
    "directory": "Name the file in it that holds the token.",
    "unreadable": "Make the file readable by your user, or name another one.",
}
_NOT_A_FILE_ENV = "Write the token to a regular file, or pass it in NANOSERVICES_TOKEN."
_NOT_A_FILE_FLAG = "Pipe the token to {login_stdin} instead."
_EMPTY_PIPE_FLAG = "Write the token into it first, or pipe the token to {login_stdin} instead."
_SOURCE_NAMES: dict[TokenOrigin, str] = {
    TokenOrigin.FLAG: "--token",
    TokenOrigin.STDIN: "--token -",
    TokenOrigin.FILE: "--token-file",
    TokenOrigin.ENVIRONMENT: "NANOSERVICES_TOKEN",
    TokenOrigin.ENVIRONMENT_FILE: "NANOSERVICES_TOKEN_FILE",
    TokenOrigin.LEGACY: "--import-legacy",
}
