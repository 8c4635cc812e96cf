"""The sentence and the next step of every domain error, from its facts (``explain``).

Each class has one entry in _SENTENCES, a template filled with the error's facts and the
phrases _phrases() derives from them; a class without an entry uses its parent's. The
errors of the credential store are worded in ``storage``.
"""

from __future__ import annotations

import os
import re
from functools import singledispatch

from nanoctl.domain import errors as e
from nanoctl.domain.legacy_errors import LegacyTokenRejected
from nanoctl.domain.model import MAX_TOKEN_INPUT, MAX_TOKEN_LENGTH, TokenOrigin
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.messages import (
    TOKEN_PAGE,
    api_failures,
    api_requests,
    handover,
    legacy,
    os_reason,
    selection,
    source,
    storage,
    token_file,
)
from nanoctl.entrypoints.messages.context import Context
from nanoctl.entrypoints.messages.profiles import PROFILE_NAME_RULE_WORDS
from nanoctl.entrypoints.settings import (
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    PROFILE_ENV,
    TIMEOUT_ENV,
    running_in_ci,
)
from nanoctl.entrypoints.shown_words import shown

_USAGE = "Run `nanoctl --help` for usage."
_NUMBER_LIKE = re.compile(r"[-+]?[0-9][0-9a-z.+-]{0,11}")
"""What a mistyped number of seconds looks like (``10s``, ``-5``, ``1e9``), never a token."""
_NO_TOKEN = "Set NANOSERVICES_TOKEN, pipe it to {login_stdin}, or run {login} in a terminal."


class Explanation:
    """An error in words: what went wrong, and what to do next. Its str is the one line."""

    __slots__ = ("cause", "next_step")

    def __init__(self, cause: str, next_step: str = "") -> None:
        self.cause = cause
        self.next_step = next_step

    def __str__(self) -> str:
        return f"{self.cause} {self.next_step}".strip()


def explain(error: e.NanoctlError, context: Context | None = None) -> Explanation:
    """The sentence and the next step for ``error``: the entry of its most specific class
    in _SENTENCES, filled with its facts, the commands of ``context`` (aimed at its profile)
    and the words _phrases() derives from them. A fact equal to a token of the run (in
    ``context``) is never shown."""
    context = context or Context()
    for cls in type(error).__mro__:
        if cls in _SENTENCES:
            cause, next_step = _SENTENCES[cls]
            facts = {
                "kind": error.kind,
                **{k: _shown(v, context) for k, v in vars(error).items()},
                **_commands(context),
                **_phrases(error, context),
            }
            return Explanation(cause.format(**facts), next_step.format(**facts))
    raise AssertionError(f"no sentence for {type(error).__name__}")  # pragma: no cover


def _shown(value: object, context: Context) -> object:
    return context.shown(value) if isinstance(value, str) else value


def _commands(context: Context) -> dict[str, str]:
    """The nanoctl commands the sentences name, aimed at the context's profile."""
    return {
        "login": context.nanoctl("login"),
        "logout": context.nanoctl("logout"),
        "login_stdin": context.nanoctl("login", "--token", "-"),
        "piped_login": f"`... | {context.command_line('login', '--token', '-')}`",
        "piped_token": f"`{context.command_line('token', '--header')} | curl -H @- …`",
        "exec_path": context.nanoctl("exec", "--", "./script", "…"),
        "exec_sh": context.nanoctl("exec", "--", "sh", "script"),
        "import_legacy": context.nanoctl("login", "--import-legacy"),
        "token_pipe": f"`{context.command_line('token')} | …`",
        "token_to_file": f"`{context.command_line('token')} > file`",
    }


# class: (cause, next step). {names} are the error's facts and the phrases derived from them.
_SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    e.NanoctlError: ("nanoctl failed ({kind}).", "Run again with -vvv for details and report it."),
    # exit 2
    e.UsageError: ("Invalid usage.", _USAGE),
    e.CommandLineError: ("{problem}{did_you_mean}", "{hint}"),
    e.TokenFromTerminal: (
        "`--token -` reads the token from a pipe, but standard input is a terminal.",
        "Pipe the token in ({piped_login}), or run {login} to be prompted with hidden input.",
    ),
    e.MalformedToken: (
        "The token from {source} is malformed: {what}.",
        f"Copy the whole token again; it is 1 to {MAX_TOKEN_LENGTH} visible ASCII characters.",
    ),
    e.TokenFileUnusable: ("{what}", "{next}"),
    e.ConflictingTokenSources: (
        "Both {first} and {second} are {given}; nanoctl will not guess which token to use.",
        "{next}",
    ),
    e.NoTokenAvailable: ("{what}", "{next}"),
    e.InsecureApiUrl: (
        "Refusing to send the token over plain HTTP to {url}.",
        "Use an https:// API URL (plain http is allowed only for loopback addresses).",
    ),
    e.InvalidApiUrl: (
        "The API URL {url!r} is not usable: {what}.",
        "Pass a full URL such as https://api.example.com/base with --api-url "
        "or NANOSERVICES_API_URL.",
    ),
    e.UnknownShell: (
        "{what}",
        "Name one: `nanoctl completions bash`, `nanoctl completions zsh` "
        "or `nanoctl completions fish`.",
    ),
    e.InvalidProfileName: ("{what} is not a profile name.", PROFILE_NAME_RULE_WORDS),
    e.ApiUrlForAllProfiles: (
        "`status --all` checks each profile against the API URL it is bound to, so it "
        "takes no {given}.",
        "{next}",
    ),
    e.InvalidTimeout: (
        f"{TIMEOUT_ENV}{{shown}} is not a number of seconds{{not_shown}}.",
        f"Set {TIMEOUT_ENV} to a value between 0 and {MAX_TIMEOUT:g} "
        f"(default {DEFAULT_TIMEOUT:g}).",
    ),
    # exit 1
    e.NotLoggedIn: ("You are not logged in.", "Run {login}, or set NANOSERVICES_TOKEN."),
    e.NoTokenEntered: ("No token was entered.", "Run {login}, or set NANOSERVICES_TOKEN."),
    e.InternalError: (
        "Unexpected internal error ({exception_type}).",
        "Run again with -vvv for details and report it.",
    ),
    # exit 3: {the_token} names where it came from, {renew} where a new one must go
    e.TokenRejected: ("The API rejected {the_token}.", "{renew}"),
    e.InvalidToken: ("The API rejected {the_token} as invalid.", "{renew}"),
    e.InactiveToken: ("{The_token} is no longer active (revoked or expired).", "{renew}"),
    e.ExpiredToken: ("{The_token}{owner} expired on {date}.", "{renew}"),
    e.ForbiddenToken: (
        "{The_token} is valid but lacks permission to log in (HTTP 403).",
        "{renew}",
    ),
    # exit 130
    e.Cancelled: ("Authentication cancelled.", ""),
}
_SENTENCES.update(storage.SENTENCES)
_SENTENCES.update(legacy.SENTENCES)  # the old Node nanoctl's token files (issue #14)
_SENTENCES.update(handover.SENTENCES)  # `token` and `exec`
_SENTENCES.update(selection.SENTENCES)
_SENTENCES.update(api_failures.SENTENCES)  # exit 4
_SENTENCES.update(api_requests.SENTENCES)  # `nanoctl api` and api.session() (issue #24)


@singledispatch
def _phrases(error: e.NanoctlError, context: Context) -> dict[str, str]:
    """The words an error's sentence needs beyond its facts (none, for most)."""
    if isinstance(error, StorageError):
        return storage.phrases(error, context)
    if isinstance(error, handover.ERRORS):
        return handover.phrases(error, context)
    if isinstance(error, selection.ERRORS):
        return selection.phrases(error, context)
    if isinstance(error, e.ApiUnavailable):
        return api_failures.phrases(error, context)
    if isinstance(error, api_requests.ERRORS):
        return api_requests.phrases(error, context)
    return legacy.phrases(error, context)


@_phrases.register
def _(error: e.MalformedToken, context: Context) -> dict[str, str]:
    where = (
        source(error.origin)
        if error.path is None
        else f"the file {token_file(error.path, error.origin)}"
    )
    if error.problem == "too_much_input" and error.path is not None:
        return {"source": where, "what": f"the file holds more than {MAX_TOKEN_INPUT:,} bytes"}
    return {"source": where, "what": _TOKEN_PROBLEMS[error.problem]}


@_phrases.register
def _(error: e.TokenFileUnusable, context: Context) -> dict[str, str]:
    from_env = error.origin is TokenOrigin.ENVIRONMENT_FILE
    named_by = "NANOSERVICES_TOKEN_FILE" if from_env else "--token-file"
    if error.problem == "empty_path":
        what = f"{named_by} is set but empty." if from_env else f"{named_by} was given no path."
        return {"what": what, "next": _TOKEN_FILE_FIXES["missing"].format(named_by=named_by)}
    if error.shown_path is None:
        file = f"named by {named_by} (not shown: it does not start with / or ./)"
    else:
        file = token_file(error.shown_path, error.origin)
    problem = _TOKEN_FILE_PROBLEMS[error.problem].format(reason=os_reason(error.errno))
    if error.problem in ("fifo", "not_regular"):
        next_step = _NOT_A_FILE_ENV if from_env else _NOT_A_FILE_FLAG.format(**_commands(context))
    else:
        next_step = _TOKEN_FILE_FIXES[error.problem].format(named_by=named_by)
    return {"what": f"The token file {file} {problem}.", "next": next_step}


@_phrases.register
def _(error: e.ConflictingTokenSources, context: Context) -> dict[str, str]:
    from_env = error.first is TokenOrigin.ENVIRONMENT
    return {
        "first": _SOURCE_NAMES[error.first],
        "second": _SOURCE_NAMES[error.second],
        "given": "set" if from_env else "given",
        "next": "Unset one of them." if from_env else "Pass only one of them.",
    }


@_phrases.register
def _(error: e.InvalidTimeout, context: Context) -> dict[str, str]:
    """The value is repeated only when it cannot be a token put in the wrong variable."""
    if shown(error.value) or _NUMBER_LIKE.fullmatch(error.value):
        return {"shown": f"={error.value!r}", "not_shown": ""}
    return {"shown": "", "not_shown": " (its value is not shown: it could be a token)"}


@_phrases.register
def _(error: e.NoTokenAvailable, context: Context) -> dict[str, str]:
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
    return {"what": what, "next": _NO_TOKEN.format(**_commands(context))}


@_phrases.register
def _(error: e.CommandLineError, context: Context) -> dict[str, str]:
    """'Did you mean `login`?', and the help page of the command meant (or used)."""
    names = [f"`{name}`" for name in error.suggestions]
    did_you_mean = ""
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        did_you_mean = f" Did you mean {listed}?"
    command = error.command
    if command is None and isinstance(error, e.UnknownCommand) and len(error.suggestions) == 1:
        command = error.suggestions[0]
    if command is not None:
        return {"did_you_mean": did_you_mean, "hint": f"Run `nanoctl {command} --help` for usage."}
    if isinstance(error, e.UnknownCommand):
        return {"did_you_mean": did_you_mean, "hint": "Run `nanoctl --help` to see the commands."}
    return {"did_you_mean": did_you_mean, "hint": _USAGE}


@_phrases.register
def _(error: e.ApiUrlForAllProfiles, context: Context) -> dict[str, str]:
    if error.origin == "option":
        return {"given": "--api-url", "next": "Drop --api-url, or name one profile with --profile."}
    return {
        "given": "NANOSERVICES_API_URL",
        "next": "Unset it for this command: `env -u NANOSERVICES_API_URL nanoctl status --all`.",
    }


@_phrases.register
def _(error: e.InvalidProfileName, context: Context) -> dict[str, str]:
    where = _PROFILE_ORIGINS[error.origin]
    if not error.name:  # `--profile=`: a usage error, never the default profile (#19)
        return {"what": f"An empty name {where}"}
    if shown(error.name) and context.shown(error.name) == error.name:
        return {"what": f'The profile "{error.name}" {where}'}
    return {"what": f"The value {where} (not shown)"}


_PROFILE_ORIGINS = {
    "option": "given to --profile",
    "environment": f"in {PROFILE_ENV}",
    "argument": "given as profile=",
}


@_phrases.register
def _(error: e.UnknownShell, context: Context) -> dict[str, str]:
    scripts = "nanoctl has completion scripts for bash, zsh and fish"
    if error.unset:
        return {"what": f"No shell given and SHELL is not set; {scripts}."}
    if error.from_environment:
        shell = error.shell or "a shell"
        return {"what": f"SHELL names {shell}, which has no completion script ({scripts})."}
    if error.shell:
        return {"what": f"{scripts}, not {error.shell}."}
    return {"what": f"{scripts} only."}


@_phrases.register
def _(error: e.InvalidApiUrl, context: Context) -> dict[str, str]:
    return {"what": _API_URL_PROBLEMS[error.problem]}


@_phrases.register
def _(error: e.TokenRejected, context: Context) -> dict[str, str]:
    if isinstance(error, LegacyTokenRejected):  # names its file, not a token source
        return legacy.phrases(error, context)
    return _rejected(error, context)


@_phrases.register
def _(error: e.ExpiredToken, context: Context) -> dict[str, str]:
    return {
        **_rejected(error, context),
        "owner": f" for {error.username}" if error.username else "",
        "date": error.expires_at.strftime("%Y-%m-%d") if error.expires_at else "an unknown date",
    }


def _rejected(error: e.TokenRejected, context: Context) -> dict[str, str]:
    """Which token the API rejected, and where a new one must go: a stale
    NANOSERVICES_TOKEN (or its file) is fixed by updating it (in CI: its secret), not by
    logging in."""
    the_token = _REJECTED_TOKENS.get(error.origin, f"the token from {source(error.origin)}")
    create = (
        f"Create a token with access to the platform on {TOKEN_PAGE}"
        if isinstance(error, e.ForbiddenToken)
        else f"Create a new token on {TOKEN_PAGE}"
    )
    return {
        "the_token": the_token,
        "The_token": _capital(the_token),
        "renew": f"{create} {_renew_step(error.origin, context)}",
    }


def _renew_step(origin: TokenOrigin | None, context: Context) -> str:
    """Where the new token goes: the variable or file that gave the old one."""
    if origin in _RENEW_IN_CI and running_in_ci(os.environ):
        return _RENEW_IN_CI[origin]
    if origin is TokenOrigin.STORED:
        return f"and run {context.nanoctl('login')} to replace the stored one."
    return _RENEW.get(origin, "and log in again.")


_RENEW: dict[TokenOrigin | None, str] = {
    TokenOrigin.ENVIRONMENT: "and update NANOSERVICES_TOKEN, or unset it.",
    TokenOrigin.ENVIRONMENT_FILE: "and write it to that file, or unset NANOSERVICES_TOKEN_FILE.",
    TokenOrigin.FILE: "and write it to that file.",
}
_RENEW_IN_CI: dict[TokenOrigin | None, str] = {
    TokenOrigin.ENVIRONMENT: "and update the CI secret that sets NANOSERVICES_TOKEN.",
    TokenOrigin.ENVIRONMENT_FILE: (
        "and update the CI secret written to the file NANOSERVICES_TOKEN_FILE names."
    ),
}
_REJECTED_TOKENS: dict[TokenOrigin | None, str] = {
    None: "the token",
    TokenOrigin.ENVIRONMENT: f"the token in {source(TokenOrigin.ENVIRONMENT)}",
    TokenOrigin.FILE: f"the token in {source(TokenOrigin.FILE)}",
    TokenOrigin.ENVIRONMENT_FILE: f"the token in {source(TokenOrigin.ENVIRONMENT_FILE)}",
    TokenOrigin.PROMPT: "the token you entered",
    TokenOrigin.STORED: "the stored token",
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_TOKEN_PROBLEMS: dict[e.TokenProblem, str] = {
    "empty": "it is empty",
    "too_long": f"it is longer than {MAX_TOKEN_LENGTH} characters",
    "several_lines": "it spans several lines",
    "bad_characters": "it contains spaces, control or non-ASCII characters",
    "too_much_input": f"the input goes on past {MAX_TOKEN_INPUT:,} characters",
}
_API_URL_PROBLEMS: dict[e.ApiUrlProblem, str] = {
    "unparseable": "it cannot be parsed",
    "not_http": "it must start with https://",
    "no_host": "it has no host",
    "extras": "it must not carry a query, fragment or credentials",
}
_TOKEN_FILE_PROBLEMS: dict[e.TokenFileProblem, str] = {
    "missing": "does not exist",
    "directory": "is a directory",
    "fifo": "is a named pipe; nanoctl reads a token only from a regular file",
    "not_regular": "is not a regular file",
    "unreadable": "cannot be read: {reason}",
}
_TOKEN_FILE_FIXES: dict[e.TokenFileProblem, str] = {
    "missing": "Give {named_by} the path of the file that holds the token.",
    "directory": "Name the file in it that holds the token.",
    "unreadable": "Make the file readable by your user, or name another one.",
}
_NOT_A_FILE_ENV = "Write the token to a regular file, or pass it in NANOSERVICES_TOKEN."
_NOT_A_FILE_FLAG = "Pipe the token to {login_stdin} instead."
_SOURCE_NAMES: dict[TokenOrigin, str] = {
    TokenOrigin.FLAG: "--token",
    TokenOrigin.STDIN: "--token -",
    TokenOrigin.FILE: "--token-file",
    TokenOrigin.ENVIRONMENT: "NANOSERVICES_TOKEN",
    TokenOrigin.ENVIRONMENT_FILE: "NANOSERVICES_TOKEN_FILE",
    TokenOrigin.LEGACY: "--import-legacy",
}
