from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import option

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import API_URL_OPTION, JSON_OPTION, NanoctlCommand, esc

if TYPE_CHECKING:
    from cleo.io.inputs.option import Option

    from nanoctl.domain.authenticate import LoginResult


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
        API_URL_OPTION,
        JSON_OPTION,
    ]
    help = """\
The token is taken, in this order, from:
  <info>--token VALUE</info>        checked, shown, never stored (visible in shell history!)
  <info>--token -</info>            read from standard input: `nanoctl login --token - < token.txt`
  <info>NANOSERVICES_TOKEN</info>   checked silently, never stored (for CI)
  the prompt           hidden input; on success the token is stored encrypted

Exit codes: 0 ok, 2 usage, 3 token rejected, 4 API unusable, 5 storage, 130 cancelled."""

    def handle(self) -> int:
        from nanoctl.domain.model import TokenOrigin

        raw = self.option("token")
        container = self.container
        secret = None
        if raw is not None:
            from pydantic import SecretStr  # only here: it loads pydantic.types

            secret = SecretStr(raw)
        flag = container.flag_token(value=secret)
        if raw is not None and flag.origin is TokenOrigin.FLAG:  # a literal, not `-`
            self.warn(
                "a token given on the command line can end up in your shell history and "
                "is visible in the process list. Prefer `--token -` (reads standard input) "
                "or NANOSERVICES_TOKEN."
            )
        authenticate = container.authenticate(flag=flag)
        self.verbose(f"API URL: {container.api_url()}")
        result = authenticate.login()
        self.verbose(f"token source: {result.origin.described}")
        self._render(result)
        return 0

    def _render(self, result: LoginResult) -> None:
        from nanoctl.domain.model import TokenOrigin

        self.warn_if_expiring_soon(result.expiry)
        if self.json_output:
            self.emit_json(login_json(result))
            return
        who = esc(result.identity.username or "an unknown user")
        until = _until(result)
        if result.kept:
            self.say(
                f"Already logged in as <info>{who}</info>, {until}. Kept the stored credential."
            )
            self.say("Run `nanoctl logout` first to log in with another token.")
        elif result.origin is TokenOrigin.ENVIRONMENT:
            return  # documented: silent on success, the exit code says it all
        elif result.stored:
            self.say(f"Welcome, <info>{who}</info>! Your token {until}.")
            self.say("The token is stored encrypted; `nanoctl logout` removes it.")
        else:
            self.say(f"Authenticated as <info>{who}</info> — token {until}.")
            self.say("The token was not stored (run `nanoctl login` without --token to store one).")


def _until(result: LoginResult) -> str:
    if not result.expiry.known:
        return "expiry unknown"
    return f"expires {result.expiry.describe()}"


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
