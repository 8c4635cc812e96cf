from __future__ import annotations

from typing import ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.authenticate import LoginResult
from nanoctl.domain.model import TokenOrigin
from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import (
    HISTORY_WARNING,
    api_url_line,
    environment_login_note,
    login_lines,
)

_FROM_ENVIRONMENT = (TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE)
"""The silent logins, whose note at a terminal says the token was used and not stored."""


class LoginCommand(NanoctlCommand):
    name = "login"
    description = description_of("login")
    options: ClassVar[list[Option]] = [
        option(
            "token",
            "t",
            "The API token; `-` reads it from standard input. Not stored.",
            flag=False,
        ),
        option(
            "token-file",
            None,
            "Read the token from this file (whitespace trimmed). Not stored.",
            flag=False,
        ),
        API_URL_OPTION,
        JSON_OPTION,
    ]
    help = """\
The token is taken, in this order, from:
  <info>--token VALUE</info>             checked, shown, never stored (in your shell history!)
  <info>--token -</info>                 read from standard input: `--token - < token.txt`
  <info>--token-file PATH</info>         read from a file (a mounted secret); never stored
  <info>NANOSERVICES_TOKEN</info>        checked silently, never stored (for CI)
  <info>NANOSERVICES_TOKEN_FILE</info>   the same, read from the file it names
  the prompt                hidden input; on success the token is stored encrypted
--token with --token-file, or both variables set, is a usage error.

Exit codes: 0 ok, 2 usage, 3 token rejected, 4 API unusable, 5 storage, 130 cancelled."""

    def handle(self) -> int:
        container = self.container
        given = self.option("token") is not None
        if given and container.flag_token().origin is TokenOrigin.FLAG:  # a literal, not `-`
            self.warn(HISTORY_WARNING)
        authenticate = container.authenticate()
        self.verbose(api_url_line(container.api_url()))
        result = authenticate.login()  # its token source says with -v where the token is from
        self.warn_if_expiring_soon(result.expiry)
        if self.json_output:
            self.emit_json(login_json(result))
            return 0
        for line in login_lines(result):
            self.say(line)
        if result.origin in _FROM_ENVIRONMENT and self.stderr_is_terminal:
            self.note(environment_login_note(result))
        return 0


def login_json(result: LoginResult) -> dict[str, object]:
    expires_at = result.identity.expires_at
    return {
        "authenticated": True,
        "username": result.identity.username,
        "source": result.origin.value,
        "api_url": result.api_url.value,
        "expires_at": expires_at.isoformat().replace("+00:00", "Z") if expires_at else None,
        "days_left": result.expiry.days_left,
        "stored": result.stored,
    }
