"""What each exit code of a command means, in the words of its help page: one short phrase
per error family, joined per code from the errors the command declares (its ``errors``),
each family's code taken from the one table (``cli.exit_codes``)."""

from __future__ import annotations

from collections.abc import Iterable

from nanoctl.domain import api_errors as a
from nanoctl.domain import errors as e
from nanoctl.domain import handover_errors as h
from nanoctl.domain import request_errors as r
from nanoctl.domain import selection_errors as se
from nanoctl.domain import store_errors as s
from nanoctl.domain.legacy import errors as le

MEANINGS: dict[type[e.NanoctlError], str] = {
    # exit 2
    e.UsageError: "a usage error",
    e.CommandLineError: "a bad option or argument",
    e.TokenFromTerminal: "`--token -` with a terminal on standard input",
    e.MalformedToken: "a malformed token",
    e.TokenFileUnusable: "a token file that cannot be read",
    e.ConflictingTokenSources: "two token sources at once",
    e.NoTokenAvailable: "no token and no terminal to ask for one",
    e.InvalidApiUrl: "an unusable API URL",
    e.InsecureApiUrl: "an unusable API URL",
    e.InvalidProfileName: "a bad profile name",
    se.SeveralProfilesForApi: "several profiles bound to the API URL and none named",
    e.InvalidTimeout: "a bad NANOCTL_HTTP_TIMEOUT",
    e.ApiUrlForAllProfiles: "--all with an API URL",
    e.UnknownShell: "a shell without a script",
    h.TokenToTerminal: "standard output is a terminal and --reveal was not given",
    h.TokenToAgent: "run by a coding agent (agent mode)",
    h.NoJsonOutput: "--json",
    h.ConflictingMaskOptions: "--mask with --no-mask, or a bad NANOCTL_MASK",
    h.InvalidMaskSetting: "--mask with --no-mask, or a bad NANOCTL_MASK",
    h.MaskingUnsupported: "masking where it cannot be done (Windows)",
    r.UrlOutsideApi: "a URL outside the API",
    r.ForbiddenHeader: "an Authorization or Host header",
    r.MalformedHeader: "a header that is not `Name: value`",
    r.MalformedField: "a field that is not `key=value`",
    r.FieldsWithInput: "fields with --input",
    r.InvalidMethod: "a method that is not one",
    r.InputUnusable: "an --input file that cannot be read",
    # exit 1
    e.NotLoggedIn: "not logged in",
    r.UnsuccessfulStatus: "an answer other than 2xx (its body still written)",
    r.AnswerNotWritten: "the answer could not be written (standard output closed or full)",
    se.ProfileHoldsNothing: "the profile holds no credential",
    e.CredentialForOtherApi: "the stored credential is for another API",
    se.ProfileInUse: "another API's credential is stored and nobody can be asked to replace it",
    le.NoLegacyToken: "no token of the old nanoctl to import",
    h.TokenNotWritten: "the token could not be written (standard output closed or full)",
    e.InternalError: "an internal error (run with -vvv and report it)",
    # exit 3
    e.TokenRejected: "the API rejected the token (invalid, inactive, expired, forbidden)",
    e.ExpiredToken: "the token has expired",
    # exit 4
    a.ApiUnavailable: (
        "the API could not be used (unreachable, too slow, TLS, rate limited, a server "
        "error, an unexpected answer)"
    ),
    # exit 5
    s.StorageError: "the credential store cannot be used (damaged, unsafe, unreadable, disk full)",
    le.LegacyTokenUnreadable: "the old nanoctl's token file cannot be read",
    le.LegacyFileBehindLink: "the old nanoctl's token file is behind a symbolic link",
    # exec's program
    h.CommandNotFound: "the program was not found",
    h.CommandNotExecutable: "the program cannot be executed",
    # exit 130
    e.Cancelled: "cancelled (Ctrl-C)",
}


def meaning(cls: type[e.NanoctlError]) -> str:
    """The phrase of ``cls``: its own, else its closest parent's."""
    for family in cls.__mro__:
        phrase = MEANINGS.get(family)
        if phrase is not None:
            return phrase
    return "a failure"  # pragma: no cover - NanoctlError's own subclasses all have one


def joined(phrases: Iterable[str]) -> str:
    """The phrases, each once, in order, as one line of a help page: 'a; b; c'."""
    return "; ".join(dict.fromkeys(phrases))
