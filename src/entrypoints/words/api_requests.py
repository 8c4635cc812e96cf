"""The words of the errors of a request made for the user (`nanoctl api`, ``api.session()``):
what was refused before anything was sent, how the API answered, and what to do.
``errors.explain`` uses these entries."""

from __future__ import annotations

import errno
from functools import singledispatch
from urllib.parse import urlsplit

from nanoctl.domain import request_errors as r
from nanoctl.domain.errors import NanoctlError
from nanoctl.entrypoints.words import os_reason, rejections
from nanoctl.entrypoints.words.context import Context, url_origin
from nanoctl.entrypoints.words.shown import shown

_HEADER_FORM = "Write it as -H 'Name: value', e.g. -H 'Accept: application/json'."
_FIELD_FORM = "Write it as -f key=value, e.g. -f serviceName=web."

# class: (cause, next step), filled with the error's facts and phrases()
SENTENCES: dict[type[NanoctlError], tuple[str, str]] = {
    # exit 2: nothing was sent
    r.UrlOutsideApi: (
        "{url} is not under the API URL {api_url} ({url_chosen}): {what}. The token goes "
        "only to that API, so nothing was sent.",
        "Give a path relative to it ({api_example}); to call another API, select it with "
        "--api-url or --profile.",
    ),
    r.ForbiddenHeader: ("nanoctl sets the {name} header itself: {why}.", "Leave out -H {name}."),
    r.MalformedHeader: ("A header given to -H is not `Name: value`: {what}.", _HEADER_FORM),
    r.MalformedField: ("A field given to -f is not `key=value`: {what}.", _FIELD_FORM),
    r.FieldsWithInput: (
        "-f and --input both give the body of the request; nanoctl will not guess which "
        "one to send.",
        "Put the fields in the file given to --input, or leave out --input.",
    ),
    r.InvalidMethod: (
        "The value given to -X is not an HTTP method (not shown).",
        "Give one such as GET, POST, PUT, PATCH or DELETE.",
    ),
    r.InputUnusable: ("The file {file} given to --input {what}.", "{next}"),
    # exit 3: {The_token}, {renew} as every rejection's (rejections.phrases)
    r.ForbiddenRequest: (
        "{The_token} lacks permission for {method} {path} (HTTP 403).",
        "{renew}",
    ),
    # exit 1
    r.UnsuccessfulStatus: ("HTTP {status} from {method} {path}.", "{next}"),
    r.AnswerNotWritten: (
        "The API's answer was not written: {what}.",
        "Run it with standard output going to a pipe or a file that can take it, or pass "
        "--silent when only the exit code matters.",
    ),
}


@singledispatch
def phrases(error: NanoctlError, context: Context) -> dict[str, str]:
    """The words an error's sentence needs beyond its facts."""
    return {}


@phrases.register
def _(error: r.UrlOutsideApi, context: Context) -> dict[str, str]:
    prefix = urlsplit(error.api_url).path or "/"
    what = {
        "unparseable": "it cannot be parsed",
        "scheme": "it has another scheme",
        "userinfo": "it carries a user name or password",
        "host": "it is on another host",
        "port": "it is on another port",
        "path": f"its path is outside {prefix}",
    }[error.difference]
    chosen = context.api_url_from
    return {
        "what": what,
        "url_chosen": url_origin(chosen) if chosen else "the selected API",
        "api_example": context.nanoctl("api", "/deploy-status/NAME"),
    }


@phrases.register
def _(error: r.ForbiddenRequest, context: Context) -> dict[str, str]:
    """Which token lacks the permission, and where a new one must go: as every rejection."""
    return rejections.phrases(error, context)


@phrases.register
def _(error: r.ForbiddenHeader, context: Context) -> dict[str, str]:
    if error.name == "Authorization":
        return {"why": "it carries the current credential, and only to the API"}
    return {"why": "it names the host the request goes to, which is the API URL's"}


@phrases.register
def _(error: r.MalformedHeader, context: Context) -> dict[str, str]:
    return {
        "what": {
            "no_colon": "it has no colon (it is not shown)",
            "bad_name": "its name is not a header name (it is not shown)",
            "line_break": "it spans several lines",
        }[error.problem]
    }


@phrases.register
def _(error: r.MalformedField, context: Context) -> dict[str, str]:
    if error.problem == "repeated_key":
        key = error.key if error.key and shown(error.key) else None
        named = f"the key {context.shown(key)}" if key else "a key"
        return {"what": f"{named} is given twice, and a JSON object holds it once"}
    if error.problem == "empty_key":
        return {"what": "its key is empty"}
    return {"what": "it has no `=` (it is not shown)"}


@phrases.register
def _(error: r.InputUnusable, context: Context) -> dict[str, str]:
    path = error.path
    path_like = path.startswith(("/", "./", "../", "~/")) or error.problem != "missing"
    file = context.shown(path) if path_like else "(not shown: it does not start with / or ./)"
    if error.problem == "missing":
        return {"file": file, "what": "does not exist", "next": "Check its path."}
    if error.problem == "directory":
        return {"file": file, "what": "is a directory", "next": "Name a file in it."}
    reason = os_reason(error.errno)
    return {
        "file": file,
        "what": f"cannot be read: {reason}",
        "next": "Make it readable by your user, or pipe it in with `--input -`.",
    }


@phrases.register
def _(error: r.UnsuccessfulStatus, context: Context) -> dict[str, str]:
    if error.status == 404:
        return {"next": f"The path is relative to the API URL {context.shown(error.api_url)}."}
    if error.status == 405:
        return {"next": "Another method (-X) may be the one this path takes."}
    return {"next": ""}


@phrases.register
def _(error: r.AnswerNotWritten, context: Context) -> dict[str, str]:
    if error.errno is None:
        return {"what": "standard output is closed"}
    if error.errno == errno.EPIPE:
        return {"what": "the reader of standard output is gone (broken pipe)"}
    return {"what": os_reason(error.errno)}
