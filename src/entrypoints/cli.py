"""The `nanoctl` executable: a cleo application with lazily loaded commands.

`--version` and `--help` import no command module's dependencies: commands are
built by factories, and each command imports the container inside `handle()`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cleo.application import Application
from cleo.loaders.factory_command_loader import FactoryCommandLoader

from nanoctl import __version__

if TYPE_CHECKING:  # the container loads dependency_injector (~60 ms): only commands that run
    from cleo.commands.command import Command
    from cleo.io.io import IO

    from nanoctl.entrypoints.container import Container


def _login() -> Command:
    from nanoctl.entrypoints.commands.login import LoginCommand

    return LoginCommand()


def _logout() -> Command:
    from nanoctl.entrypoints.commands.logout import LogoutCommand

    return LogoutCommand()


def _status() -> Command:
    from nanoctl.entrypoints.commands.status import StatusCommand

    return StatusCommand()


def _whoami() -> Command:
    from nanoctl.entrypoints.commands.status import StatusCommand

    return StatusCommand(name="whoami")


COMMANDS: dict[str, Callable[[], Command]] = {
    "login": _login,
    "logout": _logout,
    "status": _status,
    "whoami": _whoami,
}


class NanoctlApplication(Application):
    """``container`` makes a fresh Container for each run (tests pass one with overrides)."""

    def __init__(
        self,
        commands: dict[str, Callable[[], Command]] | None = None,
        container: Callable[[], Container] | None = None,
    ) -> None:
        super().__init__("nanoctl", __version__)
        self.set_command_loader(FactoryCommandLoader(COMMANDS if commands is None else commands))
        self._new_container = container
        self._io: IO | None = None
        self._container: Container | None = None

    @property
    def long_version(self) -> str:
        return f"nanoctl {__version__}"

    @property
    def container(self) -> Container:
        """This run's container, made on first use from the command line cleo parsed."""
        if self._container is None:
            # Here: the container loads dependency_injector (~60 ms) that `help` never needs.
            from nanoctl.entrypoints.container import Container, Invocation, for_invocation

            if self._io is None:
                raise RuntimeError("the container exists only while a command runs")
            invocation = Invocation.of_command_line(self._io)
            self._container = for_invocation(invocation, self._new_container or Container)
        return self._container

    def _run(self, io: IO) -> int:
        self._io, self._container = io, None
        try:
            return super()._run(io)
        except BrokenPipeError:
            raise  # `nanoctl ... | head`: cleo silences the closed pipe
        except (Exception, KeyboardInterrupt) as error:
            # Only on a failure: its words load the settings, which `help` never needs.
            from nanoctl.entrypoints.error_report import report

            return report(error, io)


# Options whose value may be a lone "-" (read from stdin). cleo 2.1's argv parser
# takes "-" for an option and fails with "requires a value"; "--token=-" works.
_STDIN_OPTIONS = ("--token", "-t")


def normalize_argv(argv: Sequence[str]) -> list[str]:
    """Rewrite `--token -` / `-t -` as `--token=-` so both spellings work."""
    out: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        if arg in _STDIN_OPTIONS and i + 1 < len(args) and args[i + 1] == "-":
            out.append("--token=-")
            i += 2
            continue
        if arg == "-t-":
            out.append("--token=-")
        else:
            out.append(arg)
        i += 1
    return out


ROOT_HELP = f"""\
nanoctl {__version__}: the command-line client of the Nanoservices platform.

Usage:
  nanoctl <command> [options]

Commands:
  login        Authenticate with an API token and check it against the API.
  logout       Remove the stored credential and its encryption key.
  status       Show who is authenticated, with which token, and until when.
  whoami       Alias of `status`.
  help         Show the options of a command: `nanoctl help login`.
  completions  Print a shell completion script: `nanoctl completions bash|zsh|fish`.

Global options:
  -h, --help            Show this help, or a command's: `nanoctl login --help`.
  -q, --quiet           Print nothing but errors.
  -V, --version         Print the version.
      --ansi, --no-ansi Force or disable colours (default: only on a terminal).
  -n, --no-interaction  Never ask a question.
  -v, -vvv              Show decisions (-v); HTTP exchanges and tracebacks (-vvv).

Environment:
  NANOSERVICES_TOKEN    the token; beats the stored credential, never stored
  NANOSERVICES_API_URL  the API base URL (--api-url beats it)
  NANOCTL_CONFIG_DIR    where the credential lives
  NANOCTL_KEYRING=0     keep the encryption key in a file, not the OS keyring
  NANOCTL_HTTP_TIMEOUT  connect/read timeout in seconds (default 10)
  NO_COLOR              no colours
"""


def wants_root_help(args: Sequence[str]) -> bool:
    """`nanoctl --help` with no command: cleo would describe its own `list` command."""
    return any(a in ("-h", "--help") for a in args) and all(a.startswith("-") for a in args)


def main(argv: Sequence[str] | None = None) -> int:
    from cleo.io.inputs.argv_input import ArgvInput

    for stream in (sys.stdout, sys.stderr):
        # A terminal in a non-UTF-8 locale must not turn "✓" into a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = normalize_argv(sys.argv[1:] if argv is None else argv)
    if wants_root_help(args):
        sys.stdout.write(ROOT_HELP)
        return 0
    app = NanoctlApplication()
    app.auto_exits(False)
    input_ = ArgvInput(["nanoctl", *args])
    input_.set_stream(sys.stdin)
    return app.run(input_)
