"""What every nanoctl command shares: its container, JSON output, warnings."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cleo.commands.command import Command
from cleo.formatters.formatter import Formatter
from cleo.helpers import option
from cleo.io.outputs.output import Type

if TYPE_CHECKING:
    from cleo.io.io import IO

    from nanoctl.domain.model import Expiry
    from nanoctl.entrypoints.container import Container

ContainerFactory = Callable[["NanoctlCommand"], "Container"]

JSON_OPTION = option("json", None, "Print one JSON object on stdout instead of text.")
API_URL_OPTION = option(
    "api-url",
    None,
    "Base URL of the Nanoservices API (default: $NANOSERVICES_API_URL, else production).",
    flag=False,
)


def build_for(command: NanoctlCommand) -> Container:
    """The real container, configured from the environment, the options and the io."""
    from nanoctl.adapters.terminal.terminal import Terminal
    from nanoctl.entrypoints.container import build_container
    from nanoctl.entrypoints.settings import Settings

    api_url = command.option("api-url") if command.definition.has_option("api-url") else None
    container = build_container(Settings.from_environment(os.environ, api_url=api_url))
    container.diagnostics.override(IoDiagnostics(command.io))
    container.terminal.override(
        Terminal.from_process(interactive=command.io.is_interactive(), environ=os.environ)
    )
    return container


class IoDiagnostics:
    """-v shows decisions, -vvv wire detail; both on stderr, never on stdout."""

    def __init__(self, io: IO) -> None:
        self._io = io

    def info(self, message: str) -> None:
        if self._io.is_verbose():
            self._io.error_output.write_line(f"nanoctl: {message}", type=Type.RAW)

    def debug(self, message: str) -> None:
        if self._io.is_debug():
            self._io.error_output.write_line(f"nanoctl: {message}", type=Type.RAW)


class NanoctlCommand(Command):
    def __init__(self, container: ContainerFactory = build_for) -> None:
        super().__init__()
        self._container_factory = container
        self._container: Container | None = None

    def execute(self, io: IO) -> int:
        # cleo's Command.execute turns KeyboardInterrupt into a silent exit 1; let it
        # reach the application's error boundary (Cancelled, exit 130).
        self._io = io
        return self.handle()

    @property
    def container(self) -> Container:
        if self._container is None:
            self._container = self._container_factory(self)
        return self._container

    @property
    def json_output(self) -> bool:
        return bool(self.definition.has_option("json") and self.option("json"))

    def emit_json(self, payload: dict[str, Any]) -> None:
        self.io.output.write_line(json.dumps(payload, sort_keys=False), type=Type.RAW)

    def say(self, text: str) -> None:
        """A line on stdout; ``text`` may use cleo tags, values must go through esc()."""
        self.io.write_line(text)

    def warn(self, text: str) -> None:
        """A one-line warning on stderr (yellow on a colour terminal). With --json,
        stderr stays machine-readable: one ``{"warning": ...}`` object per line."""
        if self.json_output:
            self.io.error_output.write_line(json.dumps({"warning": text}), type=Type.RAW)
        else:
            self.io.write_error_line(f"<comment>Warning:</comment> {esc(text)}")

    def warn_if_expiring_soon(self, expiry: Expiry) -> None:
        from nanoctl.domain.errors import TOKEN_PAGE

        if expiry.soon:
            self.warn(
                f"the token expires {expiry.describe()}. Create a new one soon on {TOKEN_PAGE}."
            )

    def verbose(self, text: str) -> None:
        IoDiagnostics(self.io).info(text)


def esc(text: str) -> str:
    """Escape text from outside (usernames, URLs, paths) so cleo does not read tags."""
    return Formatter.escape(text)
