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
from nanoctl.domain.legacy.files import holding_tokens
from nanoctl.domain.status import ProfileStatus, StatusReport
from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import expiring_soon, status_lines
from nanoctl.entrypoints.messages.context import Context
from nanoctl.entrypoints.messages.legacy import status_line as legacy_status_line
from nanoctl.entrypoints.messages.legacy import status_note as legacy_status_note
from nanoctl.entrypoints.messages.profiles import environment_not_listed, profile_block


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
        # the old Node nanoctl's token files (issue #14): a few stat calls
        legacy = holding_tokens(container.legacy_token_store().find())
        legacy_files = [f.path for f in legacy]
        try:
            self.verbose_target()
            report = container.status().check(offline=offline)
        except NanoctlError as error:
            words = self.words
            if isinstance(error, NotLoggedIn) and legacy:
                self.warn(legacy_status_note(legacy, words))
            # Scripts read one object on stdout whatever happened; the error object
            # still goes to stderr (the error boundary) with its exit code.
            if self.json_output:
                failure = status_failure_json(error, self._api_url(), words)
                self.emit_json({**failure, "legacy_files": legacy_files})
            raise
        words = self.words
        if report.problem is None:
            self.warn_if_expiring_soon(report.expiry)
        if self.json_output:
            self.emit_json({**status_json(report, words), "legacy_files": legacy_files})
        elif report.problem is None:
            for line in status_lines(report, words):
                self.say(line)
            if legacy:
                self.say(legacy_status_line(legacy, words))
        if report.problem is not None:  # what is known is above (JSON); why not, on stderr
            raise report.problem
        return 0

    def _api_url(self) -> str | None:
        """The run's API URL for a failure object; None when it could not be chosen."""
        try:
            return self.container.selection().api_url.value
        except NanoctlError:
            return None

    def _every_profile(self, offline: bool) -> int:
        container = self.container
        given = container.settings().api_url_choice
        if given is not None:
            raise ApiUrlForAllProfiles("environment" if given.origin == "environment" else "option")
        # Here: the words of every error, which a plain `status` loads only on a failure.
        from nanoctl.entrypoints.error_report import exit_code_of_all
        from nanoctl.entrypoints.messages.errors import explain

        result = container.status_of_profiles().check(offline=offline)
        if result.environment_token_set:
            self.warn(environment_not_listed(result.environment_origin))
        secrets = tuple(container.run_tokens())
        blocks: list[list[str]] = []
        documents: list[dict[str, object]] = []
        for entry in result.profiles:
            words = Context(entry.profile, "default", "profile", self.name, True, secrets)
            failure = None if entry.error is None else str(explain(entry.error, words))
            if entry.report is not None and entry.error is None and entry.report.expiry.soon:
                self.warn(expiring_soon(entry.report.expiry, words.profile_shown))
            blocks.append(profile_block(entry, failure, words))
            documents.append(_profile_json(entry, failure, words))
        if self.json_output:
            self.emit_json({"profiles": documents})
        else:
            for number, block in enumerate(blocks):
                if number:
                    self.say("")
                for line in block:
                    self.say(line)
        if not result.profiles:
            raise NotLoggedIn()
        return exit_code_of_all([e.error for e in result.profiles if e.error is not None])


def _profile_json(entry: ProfileStatus, failure: str | None, words: Context) -> dict[str, object]:
    if entry.report is not None:
        document = status_json(entry.report, words)
        return document if failure is None else {**document, "message": failure}
    api_url = entry.api_url.value if entry.api_url is not None else None
    error = entry.error if entry.error is not None else NotLoggedIn()
    return {**status_failure_json(error, api_url, words), "message": failure}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def status_json(report: StatusReport, words: Context) -> dict[str, object]:
    """The facts of a credential found: ``logged_in`` true (a credential was found),
    ``validated`` true only when the API confirmed it just now; when it cannot be used,
    ``error`` is why (the kind of the error object on stderr)."""
    problem = report.problem
    return {
        "logged_in": True,
        "profile": words.profile_shown,
        "username": _shown(report.identity.username, words),
        "source": report.origin.value,
        "location": _shown(report.location, words),
        "key_location": _shown(report.key_location, words),
        "api_url": words.shown(report.api_url.value),
        "token": report.token_hint,
        "expires_at": _iso(report.identity.expires_at),
        "days_left": report.expiry.days_left,
        "expired": report.expiry.expired,
        "validated": report.validated,
        "saved_at": _iso(report.saved_at),
        **({} if problem is None else {"error": problem.kind}),
    }


def _shown(value: str | None, words: Context) -> str | None:
    return None if value is None else words.shown(value)


def status_failure_json(
    error: NanoctlError, api_url: str | None, words: Context
) -> dict[str, object]:
    """What ``status --json`` prints on stdout when no credential was found: the keys of a
    success, unknown ones null, ``logged_in`` and ``validated`` false, and the error's
    kind; ``profile`` null when the URL left it undecided."""
    expired = isinstance(error, ExpiredToken)
    origin = error.origin if isinstance(error, TokenRejected) else None
    return {
        "logged_in": False,
        # several profiles bound to the URL (SeveralProfilesForApi): none was selected
        "profile": None if error.kind == "ambiguous_profile" else words.profile_shown,
        "username": _shown(error.username, words) if isinstance(error, ExpiredToken) else None,
        "source": origin.value if origin is not None else None,
        "location": None,
        "key_location": None,
        "api_url": _shown(api_url, words),
        "token": None,
        "expires_at": _iso(error.expires_at) if isinstance(error, ExpiredToken) else None,
        "days_left": None,
        "expired": True if expired else (False if isinstance(error, TokenRejected) else None),
        "validated": False,
        "saved_at": None,
        "error": error.kind,
    }
