"""What every nanoctl command shares: its run's container, JSON output, warnings, -v lines."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from cleo.commands.command import Command
from cleo.helpers import option
from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.domain.model import Credential, Expiry
from nanoctl.entrypoints.application import NanoctlApplication
from nanoctl.entrypoints.io_diagnostics import write_note, write_warning
from nanoctl.entrypoints.messages import VERBOSE
from nanoctl.entrypoints.messages.commands import expiring_soon
from nanoctl.entrypoints.terminal_lines import stream_of, terminal_width

if TYPE_CHECKING:  # the container loads dependency_injector: `help <command>` never does
    from nanoctl.entrypoints.container import Container
    from nanoctl.entrypoints.messages.context import Context

JSON_OPTION = option("json", None, "Print one JSON object on stdout instead of text.")
API_URL_OPTION = option(
    "api-url",
    None,
    "Base URL of the Nanoservices API (default: $NANOSERVICES_API_URL, else production).",
    flag=False,
)


class NanoctlCommand(Command):
    """A thin command: ``handle()`` reads options, calls one use case from ``container``
    and renders the result with the words of ``nanoctl.entrypoints.messages``."""

    def execute(self, io: IO) -> int:
        # cleo's Command.execute turns KeyboardInterrupt into a silent exit 1; let it
        # reach the application's error boundary (Cancelled, exit 130).
        self._io = io
        return self.handle()

    @property
    def container(self) -> Container:
        """This run's container, whose providers build the use cases: the application
        makes it, once, from the command line cleo parsed."""
        application = self.application
        if not isinstance(application, NanoctlApplication):
            raise TypeError(f"`{self.name}` runs inside a NanoctlApplication")
        return application.container

    @property
    def stderr_is_terminal(self) -> bool:
        """Someone is reading stderr at a terminal (not a log, not a pipe)."""
        return terminal_width(self._stderr_stream) is not None

    @property
    def json_output(self) -> bool:
        return bool(self.definition.has_option("json") and self.option("json"))

    def emit_json(self, payload: dict[str, Any]) -> None:
        self.io.output.write_line(json.dumps(payload, sort_keys=False), type=Type.RAW)

    def say(self, text: str) -> None:
        """A line on stdout; ``text`` may use cleo tags, values must go through esc()."""
        self.io.write_line(text)

    def warn(self, text: str) -> None:
        """A one-line warning on stderr; with --json, a ``{"warning": ...}`` line."""
        write_warning(self.io, text, as_json=self.json_output)

    def note(self, text: str) -> None:
        """``text`` (plain, no tags) on stderr: one line, wrapped to a terminal's width."""
        write_note(self.io, text)

    @property
    def _stderr_stream(self) -> TextIO | None:
        return stream_of(self.io.error_output)

    def warn_if_expiring_soon(self, expiry: Expiry) -> None:
        if expiry.soon:
            self.warn(expiring_soon(expiry))

    def warn_if_credential_expires_soon(self, credential: Credential) -> None:
        """For commands that hand the token on without asking the API (token, exec)."""
        now = self.container.clock().now()
        self.warn_if_expiring_soon(Expiry(credential.identity.expires_at, now))

    @property
    def words(self) -> Context:
        """What this run's sentences may say: its selection (the commands of a next step
        carry its profile), this command, and the tokens never to show."""
        # Here: the container module is loaded once a command runs, never for `help`.
        from nanoctl.entrypoints.container import words_of

        return words_of(self.container, self.name)

    def verbose_target(self) -> None:
        """The -v lines of what a command aims at, each with who chose it: the profile,
        when someone or the URL selected it, and the API URL."""
        selection = self.container.selection()  # also without -v: a bad URL fails here, first
        if not self.io.is_verbose():
            return
        # Here: the selection's words only for -v.
        from nanoctl.entrypoints.messages.selection import api_url_line, profile_line

        words = self.words
        line = profile_line(selection, words)
        if line is not None:
            self.verbose(line)
        self.verbose(api_url_line(selection, words))

    def verbose(self, text: str) -> None:
        """A -v line on stderr, never on stdout."""
        if self.io.is_verbose():
            self.io.error_output.write_line(VERBOSE.format(text), type=Type.RAW)
