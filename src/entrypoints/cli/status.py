"""`nanoctl status` (and `whoami`): the current credential, checked with the API unless
--offline, and what is known of it; with --all, every profile, each against the API it is
bound to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.errors import (
    ApiUrlForAllProfiles,
    ExpiredToken,
    NanoctlError,
    NotLoggedIn,
    TokenRejected,
)
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.cli.command import (
    API_URL_OPTION,
    CURRENT_CREDENTIAL_ERRORS,
    JSON_OPTION,
    NanoctlCommand,
)
from nanoctl.entrypoints.words import TOKEN_VARIABLES, esc, expiring_soon, expiry
from nanoctl.entrypoints.words.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.legacy.files import LegacyFile
    from nanoctl.domain.status import ProfileStatus, StatusReport


class StatusCommand(NanoctlCommand):
    options: ClassVar[list[Option]] = [
        option("offline", None, "Show what is stored without asking the API."),
        option("all", None, "Show every profile, each checked against its own API URL."),
        API_URL_OPTION,
        JSON_OPTION,
    ]
    about = (
        "The current credential is NANOSERVICES_TOKEN (or the file NANOSERVICES_TOKEN_FILE "
        "names) when set, else the one stored in the selected profile (--profile NAME, else "
        "NANOCTL_PROFILE, else the one profile bound to NANOSERVICES_API_URL, else "
        "`default`). It is checked with the API it is bound to, unless --offline.",
        "With --all, every stored profile is shown, each checked with its own API: the exit "
        "code is 0 when all are usable, else that of the worst one met (3, then 4, then 5), "
        "or 1 when no profile is stored.",
    )
    examples = (
        ("Who am I, with which token, until when", "nanoctl status"),
        ("What is stored, without asking the API", "nanoctl status --offline"),
        ("Every profile, each with its own API", "nanoctl status --all"),
        ("For a script: one JSON object on stdout", "nanoctl status --json"),
    )
    success = ("0", "a usable credential (every profile usable, with --all)")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (*CURRENT_CREDENTIAL_ERRORS, ApiUrlForAllProfiles, TokenRejected, ApiUnavailable)

    def handle(self) -> int:
        offline = bool(self.option("offline"))
        if self.option("all"):
            return self._every_profile(offline)
        container = self.container
        legacy = container.legacy_tokens_left().find()  # a few stat calls
        legacy_files = [f.path for f in legacy]
        agent = self.agent
        try:
            self.verbose_target()
            report = container.status().check(offline=offline)
        except NanoctlError as error:
            words = self.words
            if isinstance(error, NotLoggedIn) and legacy:
                self.warn(legacy_note(legacy, words))
            # Scripts read one object on stdout whatever happened; the error object
            # still goes to stderr (the error boundary) with its exit code.
            if self.json_output:
                failure = status_failure_json(error, self._api_url(), words)
                self.emit_json({**failure, "legacy_files": legacy_files, "agent": agent.on})
            raise
        words = self.words
        if report.problem is None:
            self.warn_if_expiring_soon(report.expiry)
        if self.json_output:
            found = status_json(report, words)
            self.emit_json({**found, "legacy_files": legacy_files, "agent": agent.on})
        elif report.problem is None:
            for line in status_lines(report, words):
                self.say(line)
            if legacy:
                self.say(legacy_line(legacy, words))
            self._say_agent_mode_is_on("  ")
        if report.problem is not None:  # what is known is above (JSON); why not, on stderr
            raise report.problem
        return 0

    def _say_agent_mode_is_on(self, indent: str) -> None:
        """In agent mode, the line that says so (and what it changes)."""
        if self.agent.on:
            from nanoctl.entrypoints.words.agent import status_line

            self.say(f"{indent}{esc(status_line(self.agent))}")

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
        from nanoctl.entrypoints.cli.exit_codes import exit_code_of_all
        from nanoctl.entrypoints.words.errors import explain

        result = container.status_of_profiles().check(offline=offline)
        if result.environment_token_set:
            self.warn(environment_not_listed(result.environment_origin))
        secrets = tuple(container.run_tokens())
        blocks: list[list[str]] = []
        documents: list[dict[str, object]] = []
        for entry in result.profiles:
            words = Context.in_overview(entry.profile, self.name, secrets)
            failure = None if entry.error is None else str(explain(entry.error, words))
            if entry.report is not None and entry.error is None and entry.report.expiry.soon:
                self.warn(expiring_soon(entry.report.expiry, words.profile_shown))
            blocks.append(profile_block(entry, failure, words))
            documents.append(profile_json(entry, failure, words))
        if self.json_output:
            self.emit_json({"profiles": documents, "agent": self.agent.on})
        else:
            for number, block in enumerate(blocks):
                if number:
                    self.say("")
                for line in block:
                    self.say(line)
            if blocks and self.agent.on:
                self.say("")
                self._say_agent_mode_is_on("")
        if not result.profiles:
            raise NotLoggedIn()
        return exit_code_of_all([e.error for e in result.profiles if e.error is not None])


# --- its lines ---------------------------------------------------------------------------


def status_lines(report: StatusReport, context: Context, *, profile_line: bool = True) -> list[str]:
    """The lines of `status`; ``profile_line`` False for a block of `status --all`, which
    names its profile first."""
    name = report.identity.username
    checked = "" if report.validated else " <comment>(offline: not checked with the API)</comment>"
    api = esc(context.shown(report.api_url.value))
    if name is None and not report.validated:
        lines = [f"<info>✓</info> Token available for {api}{checked}"]
    elif name is None:
        lines = [f"<info>✓</info> Logged in to {api} (the API did not name the user)"]
    else:
        who = esc(context.shown(name))
        lines = [f"<info>✓</info> Logged in to {api} as <info>{who}</info>{checked}"]
    lines += known_lines(report, context)
    if profile_line:
        lines.append(f"  Profile:      {esc(context.profile_shown)}")
    if report.shadowed:
        variable = TOKEN_VARIABLES.get(report.origin, "NANOSERVICES_TOKEN")
        stored = esc(context.shown(report.shadowed))
        lines.append(f"  Stored:       {stored}, not used while {variable} is set")
    return lines


def known_lines(report: StatusReport, context: Context) -> list[str]:
    """Where the token comes from, its hint, its expiry and where its key is: what is known
    without the API."""
    if report.origin is TokenOrigin.ENVIRONMENT:
        lines = ["  Token source: NANOSERVICES_TOKEN environment variable"]
    elif report.origin is TokenOrigin.ENVIRONMENT_FILE:
        lines = ["  Token source: the file named by NANOSERVICES_TOKEN_FILE"]
    else:
        location = esc(context.shown(report.location or ""))
        lines = [f"  Token source: stored credential ({location})"]
    lines.append(f"  Token:        {esc(report.token_hint)}")
    lines.append(f"  Expires:      {esc(expiry(report.expiry))}")
    if report.key_location:
        lines.append(f"  Key:          {esc(context.shown(report.key_location))}")
    return lines


def profile_block(entry: ProfileStatus, failure: str | None, context: Context) -> list[str]:
    """One profile of `status --all`, its name first: the lines of its `status`, or
    ``failure`` (its error and fix, one line) followed by what is known of it offline."""
    lines = [f"Profile {esc(context.profile_shown)}"]
    report = entry.report
    if failure is None and report is not None:
        return [*lines, *status_lines(report, context, profile_line=False)]
    lines.append(f"<comment>✗</comment> {esc(failure or '')}")
    if report is None:
        if entry.api_url is not None:
            lines.append(f"  API URL:      {esc(context.shown(entry.api_url.value))}")
        return lines
    lines.append(f"  API URL:      {esc(context.shown(report.api_url.value))}")
    if report.identity.username is not None:
        lines.append(f"  User:         {esc(context.shown(report.identity.username))}")
    return [*lines, *known_lines(report, context)]


def environment_not_listed(origin: TokenOrigin) -> str:
    """`status --all` lists the stored profiles; the environment's token is none of them."""
    file = origin is TokenOrigin.ENVIRONMENT_FILE
    variable = "NANOSERVICES_TOKEN_FILE" if file else "NANOSERVICES_TOKEN"
    return f"{variable} is set: commands use it instead of any profile listed here."


def legacy_line(files: list[LegacyFile], context: Context) -> str:
    """The one line `status` adds when the old nanoctl left a token on disk."""
    shown = ", ".join(esc(context.shown(_place(file))) for file in files)
    run = context.nanoctl("login", "--import-legacy")
    return f"  Old nanoctl:  an unsafe token file at {shown}; run {run} to import it"


def legacy_note(files: list[LegacyFile], context: Context) -> str:
    """The same, on stderr, when status fails because nothing is logged in."""
    run = context.nanoctl("login", "--import-legacy")
    return (
        f"the old nanoctl saved a token at {', '.join(context.shown(_place(f)) for f in files)}; "
        f"run {run} to import it and remove the unsafe copy."
    )


def _place(file: LegacyFile) -> str:
    if file.link is None:
        return file.path
    return f"{file.path} (through the symbolic link {file.link})"


# --- its JSON ----------------------------------------------------------------------------


def profile_json(entry: ProfileStatus, failure: str | None, words: Context) -> dict[str, object]:
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
