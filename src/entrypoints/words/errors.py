"""The sentence and the next step of every domain error, from its facts (``explain``).

Each class has one entry in SENTENCES, a template filled with the error's facts, the
commands a next step names (aimed at the run's profile) and the phrases the entry's module
derives from them; a class without an entry uses its parent's. The entries of the usage
errors and of the exits 1 and 130 are here; the others are in the module of their kind:
``token_input`` and ``rejections``, ``api_failures``, ``storage``, ``selection``,
``handover``, ``api_requests`` and ``legacy``. docs/errors.md lists every one
(tools/error_catalogue.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import singledispatch
from types import ModuleType

from nanoctl.domain import command_line_errors as c
from nanoctl.domain import errors as e
from nanoctl.entrypoints.settings import DEFAULT_TIMEOUT, MAX_TIMEOUT, PROFILE_ENV, TIMEOUT_ENV
from nanoctl.entrypoints.words import (
    api_failures,
    api_requests,
    handover,
    legacy,
    rejections,
    selection,
    storage,
    token_input,
)
from nanoctl.entrypoints.words.context import Context, sentence_commands
from nanoctl.entrypoints.words.shown import shown

_USAGE = "Run `nanoctl --help` for usage."
_NUMBER_LIKE = re.compile(r"[-+]?[0-9][0-9a-z.+-]{0,11}")
"""What a mistyped number of seconds looks like (``10s``, ``-5``, ``1e9``), never a token."""
PROFILE_NAME_RULE_WORDS = (
    "A profile name is 1 to 32 lower-case letters, digits, `-` or `_`, "
    "starting with a letter or a digit (e.g. `staging`)."
)

Phrases = Callable[[e.NanoctlError, Context], dict[str, str]]


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
    in SENTENCES, filled with its facts, the commands of ``context`` (aimed at its profile)
    and the words its module's phrases() derives from them. A token of the run (in
    ``context``) is never shown: not as a fact, nor inside one (a path holding a profile
    named by the token, in a next step's command too)."""
    context = context or Context()
    for cls in type(error).__mro__:
        if cls in SENTENCES:
            cause, next_step = SENTENCES[cls]
            facts = {
                "kind": error.kind,
                **{k: _shown(v, context) for k, v in vars(error).items()},
                **sentence_commands(context),
                **_PHRASES[cls](error, context),
            }
            return Explanation(
                context.redacted(cause.format(**facts)),
                context.redacted(next_step.format(**facts)),
            )
    raise AssertionError(f"no sentence for {type(error).__name__}")  # pragma: no cover


def _shown(value: object, context: Context) -> object:
    return context.shown(value) if isinstance(value, str) else value


# class: (cause, next step). {names} are the error's facts and the phrases derived from them.
_OWN: dict[type[e.NanoctlError], tuple[str, str]] = {
    e.NanoctlError: ("nanoctl failed ({kind}).", "Run again with -vvv for details and report it."),
    # exit 2
    e.UsageError: ("Invalid usage.", _USAGE),
    e.CommandLineError: ("{problem}{did_you_mean}", "{hint}"),
    c.MisplacedOption: ("{what}", "{next}"),
    c.ProgramWithoutSeparator: (
        "{what} after the program would be read as an option of `nanoctl exec`; nothing was run.",
        "Put `--` before the program, and everything after it is the program's: {fixed}.",
    ),
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
    # exit 130
    e.Cancelled: ("Authentication cancelled.", ""),
}


@singledispatch
def _phrases(error: e.NanoctlError, context: Context) -> dict[str, str]:
    """The words an error's sentence needs beyond its facts (none, for most)."""
    return {}


@_phrases.register
def _(error: e.InvalidTimeout, context: Context) -> dict[str, str]:
    """The value is repeated only when it cannot be a token put in the wrong variable."""
    if shown(error.value) or _NUMBER_LIKE.fullmatch(error.value):
        return {"shown": f"={error.value!r}", "not_shown": ""}
    return {"shown": "", "not_shown": " (its value is not shown: it could be a token)"}


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
def _(error: c.MisplacedOption, context: Context) -> dict[str, str]:
    owners = _listed([f"`{name}`" for name in error.owners])
    if error.command is None:
        return {
            "what": f"`{error.option}` is an option of {owners}: put it after the command.",
            "next": f"For example: {context.nanoctl(error.owners[0], error.option, '…')}.",
        }
    return {
        "what": f"`{error.option}` is an option of {owners}, not of `{error.command}`.",
        "next": f"Run `nanoctl {error.command} --help` for its options.",
    }


@_phrases.register
def _(error: c.ProgramWithoutSeparator, context: Context) -> dict[str, str]:
    what = f"`{error.option}`" if error.option else "An option"
    return {"what": what, "fixed": context.nanoctl("exec", "--", error.program or "PROGRAM", "…")}


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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


_API_URL_PROBLEMS: dict[e.ApiUrlProblem, str] = {
    "unparseable": "it cannot be parsed",
    "not_http": "it must start with https://",
    "no_host": "it has no host",
    "extras": "it must not carry a query, fragment or credentials",
}


_KINDS: tuple[ModuleType, ...] = (
    token_input,
    rejections,
    storage,
    legacy,  # the old Node nanoctl's token files (issue #14)
    handover,  # `token` and `exec`
    selection,
    api_failures,  # exit 4
    api_requests,  # `nanoctl api` and api.session() (issue #24)
)
SENTENCES: dict[type[e.NanoctlError], tuple[str, str]] = {
    **_OWN,
    **{cls: entry for kind in _KINDS for cls, entry in kind.SENTENCES.items()},
}
"""Every error class with words of its own: (cause, next step)."""
_PHRASES: dict[type[e.NanoctlError], Phrases] = {
    **dict.fromkeys(_OWN, _phrases),
    **{cls: kind.phrases for kind in _KINDS for cls in kind.SENTENCES},
}
