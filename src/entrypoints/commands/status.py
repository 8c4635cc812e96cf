from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import option

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand, esc

if TYPE_CHECKING:
    from cleo.io.inputs.option import Option

    from nanoctl.domain.status import StatusReport


class StatusCommand(NanoctlCommand):
    name = "status"
    description = description_of("status")
    options: ClassVar[list[Option]] = [
        option("offline", None, "Show what is stored without asking the API."),
        API_URL_OPTION,
        JSON_OPTION,
    ]
    help = """\
The current credential is NANOSERVICES_TOKEN when set, else the stored one.
Exit codes: 0 usable, 1 not logged in, 3 rejected or expired, 4 API unreachable, 5 store broken."""

    def __init__(self, name: str = "status", **kwargs: object) -> None:
        self.name = name
        if name != "status":
            self.description = description_of(name)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def handle(self) -> int:
        offline = bool(self.option("offline"))
        container = self.container
        self.verbose(f"API URL: {container.api_url()}")
        report = container.status().check(offline=offline)
        self.verbose(f"token source: {report.origin.described}")
        self.warn_if_expiring_soon(report.expiry)
        if self.json_output:
            self.emit_json(status_json(report))
        else:
            self._render(report)
        return 0

    def _render(self, report: StatusReport) -> None:
        from nanoctl.domain.model import TokenOrigin

        who = esc(report.identity.username or "an unknown user")
        checked = (
            "" if report.validated else " <comment>(offline: not checked with the API)</comment>"
        )
        api = esc(report.api_url.value)
        if report.identity.username is None and not report.validated:
            self.say(f"<info>✓</info> Token available for {api}{checked}")
        else:
            self.say(f"<info>✓</info> Logged in to {api} as <info>{who}</info>{checked}")
        if report.origin is TokenOrigin.ENVIRONMENT:
            source = "NANOSERVICES_TOKEN environment variable"
        else:
            source = f"stored credential ({esc(report.location or '')})"
        self.say(f"  Token source: {source}")
        self.say(f"  Token:        {esc(report.token_hint)}")
        self.say(f"  Expires:      {esc(report.expiry.describe())}")
        if report.key_location:
            self.say(f"  Key:          {esc(report.key_location)}")


def _iso(value: object) -> str | None:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return None


def status_json(report: StatusReport) -> dict[str, object]:
    return {
        "logged_in": True,
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
