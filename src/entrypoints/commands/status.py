from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.errors import (
    ApiUrlForAllProfiles,
    ExpiredToken,
    NanoctlError,
    NotLoggedIn,
    TokenRejected,
)
from nanoctl.domain.legacy import holding_tokens
from nanoctl.domain.model import ProfileName
from nanoctl.domain.status import ProfileStatus, StatusReport
from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import status_lines
from nanoctl.entrypoints.messages.legacy import status_line as legacy_status_line
from nanoctl.entrypoints.messages.legacy import status_note as legacy_status_note
from nanoctl.entrypoints.messages.profiles import environment_not_listed, for_profile, profile_block


class StatusCommand(NanoctlCommand):
    name = "status"
    description = description_of("status")
    options: ClassVar[list[Option]] = [
        option("offline", None, "Show what is stored without asking the API."),
        option("all", None, "Show every profile, each checked against its own API URL."),
        API_URL_OPTION,
        JSON_OPTION,
    ]
    help = """\
The current credential is NANOSERVICES_TOKEN when set, else the stored one.
Exit codes: 0 usable, 1 not logged in, 3 rejected or expired, 4 API unreachable, 5 store broken.
With --all (every profile): 0 when all are usable, else 3, 4, 5 for the worst one met, in
that order; 1 when no profile is stored."""

    def __init__(self, name: str = "status") -> None:
        self.name = name
        if name != "status":
            self.description = description_of(name)
        super().__init__()

    def handle(self) -> int:
        offline = bool(self.option("offline"))
        if self.option("all"):
            return self._every_profile(offline)
        container = self.container
        profile = container.settings().profile
        api_url: str | None = None
        # the old Node nanoctl's token files (issue #14): a few stat calls
        legacy = holding_tokens(container.legacy_token_store().find())
        legacy_files = [f.path for f in legacy]
        try:
            api_url = container.api_url().value
            self.verbose_target()
            report = container.status().check(offline=offline)
        except NanoctlError as error:
            if isinstance(error, NotLoggedIn) and legacy:
                self.warn(legacy_status_note(legacy))
            # Scripts read one object on stdout whatever happened; the error object
            # still goes to stderr (the error boundary) with its exit code.
            if self.json_output:
                failure = status_failure_json(error, api_url, profile)
                self.emit_json({**failure, "legacy_files": legacy_files})
            raise
        self.warn_if_expiring_soon(report.expiry)
        if self.json_output:
            self.emit_json({**status_json(report, profile), "legacy_files": legacy_files})
        else:
            for line in status_lines(report, profile):
                self.say(line)
            if legacy:
                self.say(legacy_status_line(legacy))
        return 0

    def _every_profile(self, offline: bool) -> int:
        container = self.container
        if container.settings().api_url_given:
            given = self.option("api-url") is not None
            raise ApiUrlForAllProfiles("option" if given else "environment")
        # Here: the words of every error, which a plain `status` loads only on a failure.
        from nanoctl.entrypoints.error_report import exit_code_of_all
        from nanoctl.entrypoints.messages.errors import explain

        result = container.status_of_profiles().check(offline=offline)
        if result.environment_token_set:
            self.warn(environment_not_listed(result.environment_origin))
        # each failure in words, its next steps aimed at its profile
        failures = {
            entry.profile: for_profile(str(explain(entry.error)), entry.profile.value)
            for entry in result.profiles
            if entry.error is not None
        }
        if self.json_output:
            self.emit_json({"profiles": [_profile_json(e, failures) for e in result.profiles]})
        else:
            for number, entry in enumerate(result.profiles):
                if number:
                    self.say("")
                for line in profile_block(entry, failures.get(entry.profile)):
                    self.say(line)
        if not result.profiles:
            raise NotLoggedIn()
        return exit_code_of_all([e.error for e in result.profiles if e.error is not None])


def _profile_json(entry: ProfileStatus, failures: dict[ProfileName, str]) -> dict[str, object]:
    if entry.report is not None:
        return status_json(entry.report, entry.profile)
    api_url = entry.api_url.value if entry.api_url is not None else None
    error = entry.error if entry.error is not None else NotLoggedIn()
    return {
        **status_failure_json(error, api_url, entry.profile),
        "message": failures.get(entry.profile),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def status_json(report: StatusReport, profile: ProfileName) -> dict[str, object]:
    return {
        "logged_in": True,
        "profile": profile.value,
        "username": report.identity.username,
        "source": report.origin.value,
        "location": report.location,
        "key_location": report.key_location,
        "api_url": report.api_url.value,
        "token": report.token_hint,
        "expires_at": _iso(report.identity.expires_at),
        "days_left": report.expiry.days_left,
        "expired": report.expiry.expired,
        "validated": report.validated,
        "saved_at": _iso(report.saved_at),
    }


def status_failure_json(
    error: NanoctlError, api_url: str | None, profile: ProfileName
) -> dict[str, object]:
    """What ``status --json`` prints on stdout when there is no usable credential: the keys
    of a success, unknown ones null, ``logged_in`` and ``validated`` false, ``expired``
    true for an expired token (false for another rejection), and the error's kind."""
    expired = isinstance(error, ExpiredToken)
    origin = error.origin if isinstance(error, TokenRejected) else None
    return {
        "logged_in": False,
        "profile": profile.value,
        "username": error.username if isinstance(error, ExpiredToken) else None,
        "source": origin.value if origin is not None else None,
        "location": None,
        "key_location": None,
        "api_url": api_url,
        "token": None,
        "expires_at": _iso(error.expires_at) if isinstance(error, ExpiredToken) else None,
        "days_left": None,
        "expired": True if expired else (False if isinstance(error, TokenRejected) else None),
        "validated": False,
        "saved_at": None,
        "error": error.kind,
    }
