"""`nanoctl token`: the current credential's token on stdout, for another tool; offline."""

from __future__ import annotations

from typing import ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option
from cleo.io.outputs.output import Type, Verbosity

from nanoctl.domain.errors import ExpiredToken, NanoctlError
from nanoctl.domain.handover_errors import (
    NoJsonOutput,
    TokenNotWritten,
    TokenToAgent,
    TokenToTerminal,
)
from nanoctl.entrypoints.cli.command import (
    API_URL_OPTION,
    CURRENT_CREDENTIAL_ERRORS,
    NanoctlCommand,
)
from nanoctl.entrypoints.cli.main import was_closed
from nanoctl.entrypoints.cli.terminal_lines import stream_of


class TokenCommand(NanoctlCommand):
    options: ClassVar[list[Option]] = [
        option("header", None, "Print `Authorization: Bearer <token>` (for `curl -H @-`)."),
        option("reveal", None, "Print the token even when standard output is a terminal."),
        API_URL_OPTION,
        option("json", None, "Refused: a token never goes into a JSON document."),
    ]
    about = (
        "Prints the current credential's token and a newline on standard output, nothing "
        "else: NANOSERVICES_TOKEN (or the file NANOSERVICES_TOKEN_FILE names), else the one "
        "stored in the selected profile. Offline: the API is not asked.",
        "A terminal is refused unless --reveal is given: a token on screen stays in the "
        "scrollback. Pipes and files get it without asking, also with -q. A coding agent is "
        "always refused (agent mode): `nanoctl exec -- …` and `nanoctl api …` use the token "
        "without showing it.",
    )
    examples = (
        (
            "curl reads the header line from standard input",
            'nanoctl token --header | curl -H @- "$API/login"',
        ),
        ("The token in a variable of this shell", 'export NANOSERVICES_TOKEN="$(nanoctl token)"'),
        ("Of profile dev", "nanoctl token --profile dev > dev.token"),
    )
    success = ("0", "the token was printed")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (
            *CURRENT_CREDENTIAL_ERRORS,
            ExpiredToken,
            TokenToTerminal,
            TokenToAgent,
            NoJsonOutput,
            TokenNotWritten,
        )

    def handle(self) -> int:
        container = self.container
        agent = self.agent
        if agent.variable is not None:  # whatever the options: an agent never sees it
            raise TokenToAgent(agent.variable)
        if self.option("json"):
            raise NoJsonOutput(self.name)
        if container.terminal().stdout_isatty and not self.option("reveal"):
            raise TokenToTerminal()
        self.verbose_target()
        current = container.resolve_credential().resolve()
        self.warn_if_credential_expires_soon(current.credential)
        value = current.credential.token.reveal()
        line = f"Authorization: Bearer {value}" if self.option("header") else value
        if was_closed(stream_of(self.io.output)):
            raise TokenNotWritten(None)  # `>&-`: the token would go nowhere
        try:
            # The token is this command's output, not chatter about it: -q prints it too.
            self.io.output.write_line(line, type=Type.RAW, verbosity=Verbosity.QUIET)
        except OSError as error:  # a full disk, a reader that is gone
            raise TokenNotWritten(error.errno) from None
        return 0
