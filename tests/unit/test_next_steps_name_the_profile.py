"""Every sentence is produced once, from values (#19 point 3): the commands a next step tells
the user to run carry the selected profile because the words are written with it, not
patched into rendered text. So every error's next step names the whole profile, whatever
its name looks like, and for --profile NAME, --profile=NAME and NANOCTL_PROFILE=NAME alike.
"""

from __future__ import annotations

import errno
import re
from datetime import UTC, datetime

import pytest

from nanoctl.domain import api_errors as a
from nanoctl.domain import command_line_errors as c
from nanoctl.domain import errors as e
from nanoctl.domain import handover_errors as h
from nanoctl.domain import request_errors as r
from nanoctl.domain import selection_errors as se
from nanoctl.domain import store_errors as s
from nanoctl.domain.legacy import errors as le
from nanoctl.domain.model import ProfileName
from nanoctl.domain.origins import ProfileFrom, TokenOrigin
from nanoctl.entrypoints.words.context import Context
from nanoctl.entrypoints.words.errors import SENTENCES, explain
from tests.unit.cli_world import Cli

URL = "https://api.example.test/base"
OTHER = "https://other.example.test"
FAULT = s.KeyringFault("locked")

EVERY_ERROR: list[e.NanoctlError] = [
    e.NanoctlError(),
    e.UsageError(),
    e.CommandLineError("The option does not exist.", command="status"),
    c.MisplacedOption("--token", "logout", ("login",)),
    c.ProgramWithoutSeparator("-c", "sh"),
    e.TokenFromTerminal(),
    e.MalformedToken("empty", TokenOrigin.ENVIRONMENT),
    e.TokenFileUnusable("/run/token", TokenOrigin.FILE, "fifo"),
    e.TokenFileUnusable("/run/token", TokenOrigin.ENVIRONMENT_FILE, "missing"),
    e.ConflictingTokenSources(TokenOrigin.FLAG, TokenOrigin.FILE),
    h.TokenToTerminal(),
    h.TokenToAgent("CLAUDECODE"),
    h.NoJsonOutput("token"),
    h.ConflictingMaskOptions(),
    h.InvalidMaskSetting("maybe"),
    h.MaskingUnsupported(),
    e.NoTokenAvailable(ci=False),
    e.NoTokenAvailable(ci=True, no_interaction=True),
    e.NoTokenAvailable(ci=True, agent="AI_AGENT"),
    e.InsecureApiUrl("http://api.example.test"),
    e.InvalidApiUrl("ftp://x", "not_http"),
    e.UnknownShell("tcsh", from_environment=True),
    e.InvalidProfileName("Prod", "option"),
    e.ApiUrlForAllProfiles("environment"),
    e.InvalidTimeout("soon"),
    e.NotLoggedIn(),
    e.NoTokenEntered(),
    e.InternalError("KeyError"),
    e.TokenRejected(origin=TokenOrigin.STORED),
    e.InvalidToken(origin=TokenOrigin.STORED),
    e.InactiveToken(origin=TokenOrigin.PROMPT),
    e.ExpiredToken("ada", datetime(2026, 1, 31, tzinfo=UTC), origin=TokenOrigin.STORED),
    e.ForbiddenToken(origin=TokenOrigin.ENVIRONMENT),
    a.ApiUnavailable(URL),
    a.ApiUnreachable(URL, "refused"),
    a.TlsFailure(URL),
    a.RateLimited(URL, 30),
    a.ServerError(URL, 502),
    a.UnexpectedResponse(URL),
    h.CommandNotStarted("deploy"),
    h.CommandNotFound("deploy"),
    h.CommandNotExecutable("deploy", errno.EACCES),
    h.CommandNotFound(""),
    h.TokenNotWritten(None),
    h.TokenNotWritten(errno.EPIPE),
    e.Cancelled(),
    e.CredentialForOtherApi(OTHER, URL, profile="staging", profile_from="option"),
    s.StorageError("/c/credentials.json"),
    s.StoreUnreadable("/c/credentials.json", "read", errno.EIO),
    s.StoreUnreadable("/c/credentials.json", "open", errno.EIO),
    s.StoreUnreadable("/c/credentials.json", "read", errno.EACCES),
    s.LockFailed("/c/.credentials.lock", errno.ENOLCK),
    s.LockHeld("/c/.credentials.lock", 10),
    s.StoreUnsupported("/c", "win32"),
    s.CorruptedStore("/c/credentials.json"),
    s.OversizedFile("/c/credentials.json"),
    s.MissingKey("/c/credentials.json", "/c/credentials.key"),
    s.DamagedKey("/c/credentials.key"),
    s.UnsafeStore("/c/credentials.json"),
    s.ExposedToOthers("/c/credentials.json", 0o644, directory=False),
    s.ForeignOwner("/c/credentials.json", 65534, directory=False),
    s.SymlinkRefused("/c/credentials.json"),
    s.SymlinkedLock("/c/.credentials.lock"),
    s.SymlinkedDirectory("/c/profiles/zzz"),
    s.ForeignSymlink("/c", 65534),
    s.WrongFileType("/c/credentials.json", directory=False),
    s.ConfigPathNotDirectory("/c"),
    s.DirectoryInTheWay("/c/credentials.json"),
    s.StoreWriteFailed("/c/credentials.json", "credential", "save", errno.ENOSPC),
    s.NewerStoreFormat("/c/credentials.json", 2, 1),
    s.KeyringUnavailable("the OS keyring", None),
    s.KeyringUnavailable("the OS keyring", FAULT),
    le.NoLegacyToken(("/h/.nanoctl/token/token.enc",)),
    le.LegacyTokenUnreadable("/h/.nanoctl/token/token.enc", "undecryptable"),
    le.LegacyTokenUnreadable("/h/.nanoctl/token/token.enc", "unreadable", errno.EACCES),
    le.LegacyTokenRejected("/h/.nanoctl/token/token.enc", "invalid_token"),
    le.LegacyFileNotRemoved("/h/.nanoctl/token/token.enc", errno.EACCES),
    le.LegacyFileBehindLink("/h/.nanoctl/token/token.enc", "/h/.nanoctl"),
    se.ProfileHoldsNothing("staging", "option", ("default", "stagin")),
    se.ProfileInUse("staging", "ada", OTHER, URL, "option"),
    se.SeveralProfilesForApi(URL, "environment", ("dev", "qa")),
    r.UrlOutsideApi("https://evil.test/x", URL, "host"),
    r.ForbiddenHeader("Authorization"),
    r.MalformedHeader("no_colon"),
    r.MalformedField("repeated_key", "serviceName"),
    r.FieldsWithInput(),
    r.InvalidMethod(),
    r.InputUnusable("./body.json", "missing"),
    r.ForbiddenRequest("POST", "/deploy/b-1", origin=TokenOrigin.STORED),
    r.UnsuccessfulStatus(404, "GET", "/deploy-status/x", URL),
    r.AnswerNotWritten(errno.EPIPE),
]

COMMAND = re.compile(r"`(?:\.\.\. \| )?(nanoctl [^`]*)`")
NOT_A_PROFILES_COMMAND = re.compile(r"nanoctl (\S+ )?--help|--all|nanoctl completions")
"""Help pages, `--all` and `completions` concern no one profile."""


def test_every_error_class_with_words_is_covered() -> None:
    assert {type(error) for error in EVERY_ERROR} == set(SENTENCES)


@pytest.mark.parametrize("profile", ["staging", "s", "a-b_c", "0"])
@pytest.mark.parametrize("chosen_by", ["option", "environment", "api_url"])
def test_every_command_of_every_next_step_names_the_whole_profile(
    profile: str, chosen_by: ProfileFrom
) -> None:
    context = Context(ProfileName(profile), chosen_by)
    found = 0
    for error in EVERY_ERROR:
        next_step = explain(error, context).next_step
        for command in COMMAND.findall(next_step):
            if NOT_A_PROFILES_COMMAND.search(command):
                continue
            found += 1
            words = command.split()
            at = words.index("--profile")  # every one names a profile
            assert words[at + 1] in (profile, "NAME"), (type(error).__name__, next_step)
            assert words[:2] != ["nanoctl", f"--profile={profile[:1]}"]
    assert found >= 30  # the check looked at real commands, not at none


def test_the_default_profile_needs_no_option() -> None:
    for error in EVERY_ERROR:
        next_step = explain(error, Context(ProfileName("default"))).next_step
        assert "--profile default" not in next_step
        assert "--profile d`" not in next_step


@pytest.mark.parametrize(
    "args",
    [
        pytest.param("status --profile staging", id="--profile NAME"),
        pytest.param("status --profile=staging", id="--profile=NAME"),
        pytest.param("--profile=staging status", id="--profile=NAME first"),
    ],
)
def test_the_command_line_forms_name_the_whole_profile(cli: Cli, args: str) -> None:
    cli.container.settings.reset_override()
    cli.store.load_error = s.CorruptedStore("/fake/credentials")
    code, _, err = cli.run(args)
    assert code == 5
    assert "Run `nanoctl logout --profile staging` to remove it, then log in again." in err
    assert "--profile s`" not in err


def test_the_variable_names_the_whole_profile(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.container.settings.reset_override()
    cli.store.load_error = s.CorruptedStore("/fake/credentials")
    monkeypatch.setenv("NANOCTL_PROFILE", "staging")
    code, _, err = cli.run("status")
    assert code == 5
    assert "Run `nanoctl logout --profile staging` to remove it, then log in again." in err
