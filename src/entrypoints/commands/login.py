from __future__ import annotations

from typing import ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.authenticate import LoginResult
from nanoctl.domain.errors import ConflictingTokenSources
from nanoctl.domain.legacy.files import LegacyImport
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import (
    HISTORY_WARNING,
    environment_login_note,
    login_lines,
)
from nanoctl.entrypoints.messages.legacy import (
    cleanup_lines,
    imported_lines,
    not_removed_warning,
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
        option(
            "import-legacy",
            None,
            "Import the token the old Node nanoctl saved (~/.nanoctl), then destroy its copies.",
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

<info>--import-legacy</info> stores the token of the old Node nanoctl (~/.nanoctl, ~/.blok,
~/.blokctl token/token.enc), then destroys those weakly encrypted copies. At a terminal, with
nothing stored, `nanoctl login` offers that import before the prompt.

Exit codes: 0 ok, 1 nothing to import, 2 usage, 3 token rejected, 4 API unusable,
5 storage or an unreadable legacy file, 130 cancelled."""

    def handle(self) -> int:
        container = self.container
        given = self.option("token") is not None
        if given and container.flag_token().origin is TokenOrigin.FLAG:  # a literal, not `-`
            self.warn(HISTORY_WARNING)
        if self.option("import-legacy"):  # the old Node nanoctl's token (issue #14)
            if given or self.option("token-file") is not None:
                other = TokenOrigin.FLAG if given else TokenOrigin.FILE
                raise ConflictingTokenSources(TokenOrigin.LEGACY, other)
            self.verbose_target()
            return self._render(container.import_legacy().import_credential())
        authenticate = container.authenticate()
        self.verbose_target()
        result = authenticate.login()  # its token source says with -v where the token is from
        return self._render(result)

    def _render(self, result: LoginResult) -> int:
        self.warn_if_expiring_soon(result.expiry)
        legacy = result.legacy
        if legacy is not None:
            for path, number in ((n.path, n.errno) for n in legacy.not_removed):
                self.warn(not_removed_warning(path, number))
            if not self.json_output:
                for line in imported_lines(legacy, stored=result.stored):
                    self.say(line)
        if self.json_output:
            self.emit_json(login_json(result))
            return 0
        for line in login_lines(result, self.container.selection(), self.words):
            self.say(line)
        if legacy is not None:
            for line in cleanup_lines(legacy, kept_credential=result.kept):
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
        **({} if result.legacy is None else {"legacy": legacy_json(result.legacy)}),
    }


def legacy_json(imported: LegacyImport) -> dict[str, object]:
    return {
        "source": imported.source,
        "removed": list(imported.removed),
        "kept": [{"path": kept.path, "reason": kept.reason} for kept in imported.kept],
        "not_removed": [gone.path for gone in imported.not_removed],
    }
