"""The catalogue of every error nanoctl reports: docs/errors.md, generated.

Each error class of the domain, with its ``kind`` (``--json``'s ``error.kind``), its exit
code (the error boundary's) and the one line users read (``Error: …`` on stderr, and
``error.message`` with ``--json``), written by ``explain`` from example facts: every reason
a class can carry (each value of its ``Literal``), every token source a rejection names,
and the contexts that change the advice. A reviewer reads every sentence in one place.

    python tools/error_catalogue.py          # rewrites docs/errors.md
    python tools/error_catalogue.py --check  # exit 1 when docs/errors.md is stale

tests/unit/test_error_catalogue.py fails when the file is stale, and when an error class
has no example here.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from nanoctl.domain import api_errors as a
from nanoctl.domain import command_line_errors as c
from nanoctl.domain import errors as e
from nanoctl.domain import handover_errors as h
from nanoctl.domain import request_errors as r
from nanoctl.domain import selection_errors as se
from nanoctl.domain import store_errors as s
from nanoctl.domain.legacy import errors as le
from nanoctl.domain.model import ProfileName
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.url_scope import UrlDifference
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.errors import explain

CATALOGUE = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
URL = "https://api.example.com/base"
OTHER = "https://staging.example.com/base"
CONFIG = "/home/ada/.config/nanoctl"
STORED = f"{CONFIG}/credentials.json"
KEY = f"{CONFIG}/credentials.key"
LOCK = f"{CONFIG}/.credentials.lock"
LEGACY = "/home/ada/.nanoctl/token/token.enc"
WHEN = datetime(2026, 1, 31, tzinfo=UTC)
SOURCES = (
    TokenOrigin.FLAG,
    TokenOrigin.STDIN,
    TokenOrigin.FILE,
    TokenOrigin.ENVIRONMENT,
    TokenOrigin.ENVIRONMENT_FILE,
    TokenOrigin.PROMPT,
    TokenOrigin.STORED,
)
API = Context(api_url_from="option", command="api")
"""`nanoctl api --api-url …`: the advice names the command and who chose the URL."""
OUTSIDE: dict[UrlDifference, str] = {
    "unparseable": "https://api.example.com:99999/base/x",
    "scheme": "http://api.example.com/base/x",
    "userinfo": "https://***@api.example.com/base/x",
    "host": "https://elsewhere.example.com/base/x",
    "port": "https://api.example.com:8443/base/x",
    "path": "https://api.example.com/other/x",
}
"""A URL outside the API URL in each way `nanoctl api` tells apart."""
STATUS = Context(command="status")
"""`status`, whose advice about an API that cannot be used names `status --offline`."""
PROFILE = Context(ProfileName("staging"), "option", "profile", "status")
"""`status --profile staging`, bound to its own URL."""
LOGIN_STAGING = Context(ProfileName("staging"), "option", "profile", "login")
"""`login --profile staging`."""
GROUPS = {
    2: "Exit 2: the command line asks for something nanoctl cannot do",
    1: "Exit 1: nothing to work with, or nothing delivered",
    3: "Exit 3: the API rejected the token",
    4: "Exit 4: the API could not be used",
    5: "Exit 5: the local credential store (or the old nanoctl's file) cannot be used",
    126: "Exit 126 and 127: the program `nanoctl exec` was to run did not start",
    127: "Exit 126 and 127: the program `nanoctl exec` was to run did not start",
    130: "Exit 130: cancelled",
}

Example = tuple[e.NanoctlError, Context | None]
_KEYRING_DETAILS = {"timeout": "5", "raised": "KeyringLocked", "no_backend": "fail.Keyring"}


def _values(alias: object) -> list[str]:
    """Every value of a Literal alias, also of a union of Literals."""
    found: list[str] = []
    for arg in get_args(alias):
        found += _values(arg) if get_args(arg) else [arg]
    return found


def _usage() -> Iterator[Example]:
    yield e.UsageError(), None
    yield e.CommandLineError('The option "--bogus" does not exist.', command="login"), None
    yield e.CommandLineError('The option "--jsn" does not exist.', suggestions=("--json",)), None
    yield e.UnknownCommand('The command "logn" does not exist.', suggestions=("login",)), None
    yield e.UnknownCommand('The command "sync" does not exist.'), None
    yield c.MisplacedOption("--token", "logout", ("login",)), None
    yield c.MisplacedOption("--offline", "login", ("status", "whoami")), None
    yield c.MisplacedOption("--token", None, ("login",)), None
    yield c.ProgramWithoutSeparator("-c", "sh"), None
    yield c.ProgramWithoutSeparator(None, None), None
    yield (
        e.UnknownCommand(
            'The command "auth" does not exist; nanoctl\'s commands are not grouped under it.',
            suggestions=("login",),
        ),
        None,
    )
    yield e.TokenFromTerminal(), None
    for problem in _values(e.TokenProblem):
        yield e.MalformedToken(problem, TokenOrigin.STDIN), None  # type: ignore[arg-type]
    yield e.MalformedToken("assignment", TokenOrigin.ENVIRONMENT, variable="API_TOKEN"), None
    yield e.MalformedToken("quoted", TokenOrigin.FILE, "/run/secrets/token"), None
    yield e.MalformedToken("assignment", TokenOrigin.FILE, ".env", variable="NANO_TOKEN"), None
    yield e.MalformedToken("too_much_input", TokenOrigin.FILE, "/run/secrets/token"), None
    for problem in _values(e.TokenFileProblem):
        yield e.TokenFileUnusable("/run/secrets/token", TokenOrigin.FILE, problem, 13), None  # type: ignore[arg-type]
    yield e.TokenFileUnusable("tokn.txt", TokenOrigin.FILE, "missing"), None
    for problem in ("empty_path", "missing", "fifo"):
        yield e.TokenFileUnusable("/run/t", TokenOrigin.ENVIRONMENT_FILE, problem), None
    yield e.TokenFileUnusable("token-or-path", TokenOrigin.FILE, "missing"), None
    yield e.ConflictingTokenSources(TokenOrigin.FLAG, TokenOrigin.FILE), None
    yield e.ConflictingTokenSources(TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE), None
    yield e.ConflictingTokenSources(TokenOrigin.LEGACY, TokenOrigin.FLAG), None
    yield e.NoTokenAvailable(ci=False), None
    yield e.NoTokenAvailable(ci=False, no_interaction=True), None
    yield e.NoTokenAvailable(ci=True), None
    yield e.NoTokenAvailable(ci=False, agent="CLAUDECODE"), None
    yield e.NoTokenAvailable(ci=False, agent="NANOCTL_AGENT"), LOGIN_STAGING
    yield e.InsecureApiUrl("http://api.example.com"), None
    for problem in get_args(e.ApiUrlProblem):
        yield e.InvalidApiUrl("ftp://api.example.com", problem), None
    yield e.UnknownShell("tcsh", from_environment=False), None
    yield e.UnknownShell(None, from_environment=False), None
    yield e.UnknownShell("tcsh", from_environment=True), None
    yield e.UnknownShell(None, from_environment=True, unset=True), None
    for origin in ("option", "environment", "argument"):
        yield e.InvalidProfileName("Prod", origin), None  # type: ignore[arg-type]
    yield e.InvalidProfileName("", "option"), None
    yield e.InvalidProfileName("nano_Tk9Qx2Vb7Lm4", "environment"), None
    yield e.ApiUrlForAllProfiles("option"), None
    yield e.ApiUrlForAllProfiles("environment"), None
    yield e.InvalidTimeout("10s"), None
    yield e.InvalidTimeout("nano_Tk9Qx2Vb7Lm4"), None
    yield h.TokenToTerminal(), None
    yield h.TokenToAgent("CLAUDECODE"), None
    yield h.NoJsonOutput("token"), None
    yield h.ConflictingMaskOptions(), None
    yield h.InvalidMaskSetting("2"), None
    yield h.InvalidMaskSetting("nano_Tk9Qx2Vb7Lm4"), None
    yield h.MaskingUnsupported(), None
    yield se.SeveralProfilesForApi(URL, "environment", ("dev", "qa")), None


def _nothing_to_work_with() -> Iterator[Example]:
    yield e.NotLoggedIn(), None
    yield e.NoTokenEntered(), None
    yield e.CredentialForOtherApi(OTHER, URL, url_from="option"), None
    yield e.CredentialForOtherApi(OTHER, URL, url_from="environment"), None
    bound = e.CredentialForOtherApi(
        OTHER, URL, profile="staging", profile_from="option", url_from="argument"
    )
    bound.bound_profile = "prod"
    yield bound, None
    yield se.ProfileHoldsNothing("default", "default"), None
    yield se.ProfileHoldsNothing("default", "default", ("dev", "staging")), None
    yield se.ProfileHoldsNothing("stagin", "option", ("default", "staging")), None
    yield se.ProfileHoldsNothing("default", "environment", ("staging",)), None
    yield se.ProfileInUse("default", "ada", OTHER, URL, "option"), None
    yield le.NoLegacyToken(("/home/ada/.nanoctl/token/token.enc",)), None
    yield le.NoLegacyToken(("/home/ada/.nanoctl/token/token.enc",), (LEGACY,)), None
    yield le.LegacyFileNotRemoved(LEGACY, errno.EACCES), None
    yield h.TokenNotWritten(None), None
    yield h.TokenNotWritten(errno.EPIPE), None
    yield h.TokenNotWritten(errno.ENOSPC), None
    yield e.InternalError("KeyError"), None
    yield e.NanoctlError(), None


def _rejections() -> Iterator[Example]:
    for origin in SOURCES:
        yield e.InvalidToken(origin=origin), None
    yield e.TokenRejected(origin=TokenOrigin.STORED), None
    yield e.InactiveToken(origin=TokenOrigin.PROMPT), None
    yield e.ExpiredToken("ada", WHEN, origin=TokenOrigin.STORED), None
    yield e.ExpiredToken(None, None, origin=TokenOrigin.ENVIRONMENT), None
    yield e.ForbiddenToken(origin=TokenOrigin.FLAG), None
    yield le.LegacyTokenRejected(LEGACY, "expired_token"), None


def _api_failures() -> Iterator[Example]:
    yield a.ApiUnavailable(URL), None
    for failure in get_args(a.NetworkFailure):
        yield a.ApiUnreachable(URL, failure), None
    yield a.ApiUnreachable(URL, "refused"), STATUS
    yield a.ApiUnreachable(URL, "timed_out"), PROFILE
    yield a.ApiUnreachable(URL, "no_answer_in_time", 10.0), None
    yield a.ApiUnreachable(URL, "deadline_passed", 30.0), STATUS
    yield a.MissingCaBundle(URL, "/etc/ssl/corp.pem", "REQUESTS_CA_BUNDLE"), None
    yield a.TlsFailure(URL), None
    yield a.RateLimited(URL, None), None
    yield a.RateLimited(URL, 30), None
    yield a.RateLimited(URL, 3600), STATUS
    yield a.ServerError(URL, 502), None
    yield a.UnexpectedResponse(URL), None
    yield a.UnexpectedStatus(URL, 418), None
    yield a.UnexpectedStatus(f"{URL}/login", 404), None
    yield a.RedirectNotFollowed(URL, 302, "https://login.example.com/"), None
    yield a.RedirectNotFollowed(URL, 302, None), None
    yield a.RedirectNotFollowed(URL, 301, None, parseable=False), None
    yield a.NotJson(URL), None
    yield a.NotJson(URL, "text/html"), None
    yield a.BodyTooLarge(URL, 1024 * 1024), None
    yield a.UndecodableBody(URL), None
    for problem in get_args(a.BodyProblem):
        yield a.MalformedBody(URL, problem), None
    for field_problem in get_args(a.FieldProblem):
        yield a.BadField(URL, "expires_at", field_problem), None


def _requests() -> Iterator[Example]:
    """`nanoctl api` and ``api.session()`` (issue #24)."""
    for difference, url in OUTSIDE.items():
        yield r.UrlOutsideApi(url, URL, difference), None
    yield r.UrlOutsideApi(OUTSIDE["host"], URL, "host"), API
    yield r.ForbiddenHeader("Authorization"), None
    yield r.ForbiddenHeader("Host"), None
    for header_problem in get_args(r.HeaderProblem):
        yield r.MalformedHeader(header_problem), None
    for field_problem in get_args(r.FieldProblem):
        yield r.MalformedField(field_problem, "serviceName"), None
    yield r.FieldsWithInput(), None
    yield r.InvalidMethod(), None
    yield r.InputUnusable("./body.json", "missing"), None
    yield r.InputUnusable("body-or-token", "missing"), None
    yield r.InputUnusable("./body", "directory"), None
    yield r.InputUnusable("./body.json", "unreadable", errno.EACCES), None
    yield r.ForbiddenRequest("POST", "/deploy/b-1", origin=TokenOrigin.STORED), None
    yield r.ForbiddenRequest("POST", "/deploy/b-1", origin=TokenOrigin.ENVIRONMENT), None
    for status in (404, 405, 409):
        yield r.UnsuccessfulStatus(status, "GET", "/deploy-status/web", URL), None
    yield r.AnswerNotWritten(None), None
    yield r.AnswerNotWritten(errno.EPIPE), None
    yield r.AnswerNotWritten(errno.ENOSPC), None


def _storage() -> Iterator[Example]:
    yield s.StorageError(STORED), None
    for action in get_args(s.ReadAction):
        for number in (errno.EACCES, errno.EIO):
            yield s.StoreUnreadable(STORED, action, number), None
    yield s.LockFailed(LOCK, errno.ENOLCK), None
    yield s.LockHeld(LOCK, 10), None
    yield s.StoreUnsupported(CONFIG, "win32"), None
    yield s.CorruptedStore(STORED), None
    for damage in get_args(s.Damage):
        yield s.DamagedCredential(STORED, damage, "nonce"), None
    yield s.OversizedFile(STORED), None
    yield s.MissingKey(STORED, KEY), None
    yield s.DamagedKey(KEY), None
    yield s.UnsafeStore(STORED), None
    yield s.ExposedToOthers(STORED, 0o644, directory=False), None
    for origin in get_args(s.DirectoryOrigin):
        yield s.ExposedToOthers(CONFIG, 0o777, directory=True, origin=origin), None
    yield s.ForeignOwner(STORED, 1001, directory=False), None
    yield s.ForeignOwner(CONFIG, 1001, directory=True, origin="own"), None
    yield s.ForeignOwner("/srv/shared", 0, directory=True, origin="shared"), None
    yield s.SymlinkRefused(STORED), None
    yield s.SymlinkedLock(LOCK), None
    yield s.SymlinkedDirectory(f"{CONFIG}/profiles/staging"), None
    yield s.ForeignSymlink(CONFIG, 1001), None
    yield s.WrongFileType(STORED, directory=False), None
    yield s.WrongFileType(CONFIG, directory=True), None
    yield s.ConfigPathNotDirectory(CONFIG), None
    yield s.DirectoryInTheWay(STORED), None
    for number in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO):
        yield s.StoreWriteFailed(STORED, "credential", "save", number), None
    for role in get_args(s.StoreFile):
        yield s.StoreWriteFailed(STORED, role, "remove", errno.EIO), None
    yield s.NewerStoreFormat(STORED, 2, 1), None
    yield s.KeyringUnavailable("the OS keyring (service 'nanoctl')", None), None
    for problem in get_args(s.KeyringProblem):
        fault = s.KeyringFault(problem, _KEYRING_DETAILS.get(problem, ""))
        yield s.KeyringUnavailable("the OS keyring (service 'nanoctl')", fault), None
    for legacy_problem in get_args(le.LegacyFileProblem):
        yield le.LegacyTokenUnreadable(LEGACY, legacy_problem, errno.EACCES), None
    yield le.LegacyFileBehindLink(LEGACY, "/home/ada/.nanoctl"), None


def _exec() -> Iterator[Example]:
    yield h.CommandNotStarted("deploy"), None
    yield h.CommandNotFound("deploy"), None
    yield h.CommandNotFound(""), None
    for number in (errno.EACCES, errno.ENOENT, errno.ENOEXEC, errno.ETXTBSY):
        yield h.CommandNotExecutable("./deploy.sh", number), None
    yield e.Cancelled(), None


def examples() -> list[Example]:
    """Every example, in the catalogue's order."""
    kinds = (
        _usage,
        _nothing_to_work_with,
        _rejections,
        _api_failures,
        _requests,
        _storage,
        _exec,
    )
    return [example for kind in kinds for example in kind()]


def _line(text: str) -> str:
    return text.replace("\n", " ")


def render() -> str:
    """docs/errors.md. The words of a rejection depend on CI (set: the advice names the
    CI secret): written as outside CI."""
    saved = os.environ.pop("CI", None)
    try:
        return _render(examples())
    finally:
        if saved is not None:
            os.environ["CI"] = saved


def _render(found: list[Example]) -> str:
    sections: dict[str, dict[type[e.NanoctlError], list[str]]] = {}
    for error, context in found:
        group = GROUPS[exit_code_of(error)]
        lines = sections.setdefault(group, {}).setdefault(type(error), [])
        note = "" if context is None else f" *({_label(context)})*"
        line = f"- {_line(str(explain(error, context)))}{note}"
        if line not in lines:
            lines.append(line)
    out = [
        "# Every error nanoctl reports",
        "",
        "Generated by `python tools/error_catalogue.py` from the words users read",
        "(`src/entrypoints/words/`) and the exit codes of the error boundary",
        "(`src/entrypoints/cli/boundary.py`); `tests/unit/test_error_catalogue.py` fails when",
        "this file is stale. Each line is what nanoctl prints on stderr after `Error: ` (with",
        "`--json`: `error.message`, beside `error.kind` and `error.code`), for example facts:",
        "profile `default` unless named, outside CI. A command the advice names carries the",
        "selected profile (`nanoctl login --profile staging`) when it is not `default`.",
    ]
    for group, classes in sections.items():
        out += ["", f"## {group}"]
        for cls, lines in classes.items():
            code = exit_code_of(_first(found, cls))
            out += ["", f"### {cls.__name__} (`{cls.kind}`, exit {code})", "", *lines]
    return "\n".join(out) + "\n"


def _first(found: list[Example], cls: type[e.NanoctlError]) -> e.NanoctlError:
    return next(error for error, _ in found if type(error) is cls)


def _label(context: Context) -> str:
    if context.profile is not None:
        return f"`nanoctl {context.command} --profile {context.profile.value}`"
    return f"`nanoctl {context.command}`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/errors.md is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = CATALOGUE.read_text(encoding="utf-8") if CATALOGUE.exists() else ""
        if current != text:
            print(f"{CATALOGUE} is stale: run python tools/error_catalogue.py", file=sys.stderr)
            return 1
        return 0
    CATALOGUE.parent.mkdir(exist_ok=True)
    CATALOGUE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
