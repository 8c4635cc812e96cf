"""What every nanoctl command shares: the run's container it is handed, its lines on stdout,
its warnings and -v lines on stderr, its JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from cleo.commands.command import Command
from cleo.helpers import option
from cleo.io.io import IO
from cleo.io.outputs.output import Type

from nanoctl.domain import errors as e
from nanoctl.domain.model import Credential, Expiry
from nanoctl.domain.selection_errors import ProfileHoldsNothing, SeveralProfilesForApi
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.agent import AgentMode
from nanoctl.entrypoints.cli.terminal_lines import (
    agent_of,
    stream_of,
    terminal_width,
    write_note,
    write_verbose,
    write_warning,
)
from nanoctl.entrypoints.words import expiring_soon
from nanoctl.entrypoints.words.context import Context, context_of_run

if TYPE_CHECKING:  # the container loads dependency_injector: `help <command>` never does
    from nanoctl.domain.errors import NanoctlError
    from nanoctl.entrypoints.cli.help_page import Example, Paragraph
    from nanoctl.entrypoints.container import Container

SELECTION_ERRORS: tuple[type[e.NanoctlError], ...] = (
    e.InvalidProfileName,
    e.InvalidApiUrl,
    e.InsecureApiUrl,
    SeveralProfilesForApi,
    e.InvalidTimeout,
)
"""What choosing a run's profile and API URL can meet, for every command that builds its
container (its help page lists their exit codes)."""
CURRENT_CREDENTIAL_ERRORS: tuple[type[e.NanoctlError], ...] = (
    *SELECTION_ERRORS,
    e.MalformedToken,
    e.TokenFileUnusable,
    e.ConflictingTokenSources,
    e.NotLoggedIn,
    ProfileHoldsNothing,
    e.CredentialForOtherApi,
    StorageError,
)
"""What finding the current credential can meet: NANOSERVICES_TOKEN (or its file), else
the selected profile's stored one (status, token, exec)."""

JSON_OPTION = option("json", None, "Print one JSON object on stdout instead of text.")
API_URL_OPTION = option(
    "api-url",
    None,
    "Base URL of the Nanoservices API (default: $NANOSERVICES_API_URL, else production).",
    flag=False,
)


class Loaded(Command):
    """A command as the application's loader builds it: its ``name`` and ``description``
    (its row of the table), and ``container``, the call that gives this run's container
    (made on its first call, from the command line cleo parsed).

    Its help page (``help_page``) is written from what its class declares: ``usage``
    after `nanoctl NAME`, the paragraphs of ``about``, its ``examples``, what exit 0
    means (``success``) and the ``errors()`` it can meet, whose exit codes the page lists
    (a method: a run that meets none of them imports none of their modules).
    """

    usage: ClassVar[str] = "[options]"
    about: ClassVar[tuple[Paragraph, ...]] = ()
    examples: ClassVar[tuple[Example, ...]] = ()
    success: ClassVar[tuple[str, str]] = ("0", "success")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        """The errors this command can meet (besides those of every command line)."""
        return ()

    def __init__(self, name: str, description: str, container: Callable[[], Container]) -> None:
        self.name = name
        self.description = description
        self._container_of_run = container
        super().__init__()

    @property
    def container(self) -> Container:
        """This run's container, whose providers build the use cases."""
        return self._container_of_run()


class NanoctlCommand(Loaded):
    """A thin command: ``handle()`` reads options, calls one use case from its container
    and renders the result with its own lines and the shared words of
    ``nanoctl.entrypoints.words``."""

    name: str  # always given by the loader

    def execute(self, io: IO) -> int:
        # cleo's Command.execute turns KeyboardInterrupt into a silent exit 1; let it
        # reach the application's error boundary (Cancelled, exit 130).
        self._io = io
        self._say_agent_mode()
        return self.handle()

    def _say_agent_mode(self) -> None:
        """Before anything else: a NANOCTL_AGENT nanoctl cannot read (agent mode is then
        on), and with -v whether agent mode is on and who turned it on."""
        mode = agent_of(self.io)
        worded = mode.on or mode.detected is not None
        if mode.unreadable is None and not (worded and self.io.is_verbose()):
            return
        # Here: the words of agent mode, only for a run they are said in.
        from nanoctl.entrypoints.words import agent

        if mode.unreadable is not None:
            self.warn(agent.unreadable_setting(mode))
        line = agent.verbose_line(mode)
        if line is not None:
            self.verbose(line)

    @property
    def agent(self) -> AgentMode:
        """This run's agent mode (``nanoctl.entrypoints.agent``), from its settings."""
        return self.container.settings().agent

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
        return context_of_run(self.container, self.name)

    def verbose_target(self) -> None:
        """The -v lines of what a command aims at, each with who chose it: the profile,
        when someone or the URL selected it, and the API URL."""
        selection = self.container.selection()  # also without -v: a bad URL fails here, first
        if not self.io.is_verbose():
            return
        # Here: the selection's words only for -v.
        from nanoctl.entrypoints.words.selection import api_url_line, profile_line

        words = self.words
        line = profile_line(selection, words)
        if line is not None:
            self.verbose(line)
        self.verbose(api_url_line(selection, words))

    def verbose(self, text: str) -> None:
        """A -v line on stderr, never on stdout (a JSON line with --json)."""
        if self.io.is_verbose():
            write_verbose(self.io, text)
