"""The command table: every command and global option of nanoctl, and its words.

One table feeds cleo (which command to build for a name, each command's
description, the global options) and the front page. It imports nothing but the
standard library's already-loaded modules, so `nanoctl --help` can print the
front page before cleo is imported; each command module is imported only when
its entry is built.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs ~5 ms, a third of `nanoctl --version`
if TYPE_CHECKING:
    from collections.abc import Callable

    from cleo.commands.command import Command


class CommandEntry:
    """A command: its name, the one line the front page and its help page show,
    and the factory cleo calls when the command is needed."""

    __slots__ = ("build", "description", "hidden", "name")

    def __init__(
        self, name: str, description: str, build: Callable[[], Command], *, hidden: bool = False
    ) -> None:
        self.name = name
        self.description = description
        self.build = build
        self.hidden = hidden


class GlobalOption:
    """An option every command accepts (cleo's application definition); ``takes_value``:
    it is given a value (``--profile NAME``), else it is a flag."""

    __slots__ = ("description", "name", "shortcut", "takes_value")

    def __init__(
        self, name: str, shortcut: str | None, description: str, *, takes_value: bool = False
    ) -> None:
        self.name = name
        self.shortcut = shortcut
        self.description = description
        self.takes_value = takes_value

    @property
    def synopsis(self) -> str:
        """How cleo's help pages write the option: ``-q, --quiet``, ``    --ansi``,
        ``    --profile=PROFILE``."""
        value = f"={self.name.upper()}" if self.takes_value else ""
        name = f"--{self.name}{value}"
        return f"-{self.shortcut}, {name}" if self.shortcut else f"    {name}"


class EnvironmentVariable:
    __slots__ = ("description", "name")

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description


# --- how each command is built (the import happens only here, on first use) ---------


def _login() -> Command:
    from nanoctl.entrypoints.commands.login import LoginCommand

    return LoginCommand()


def _logout() -> Command:
    from nanoctl.entrypoints.commands.logout import LogoutCommand

    return LogoutCommand()


def _status() -> Command:
    from nanoctl.entrypoints.commands.status import StatusCommand

    return StatusCommand()


def _token() -> Command:
    from nanoctl.entrypoints.commands.token import TokenCommand

    return TokenCommand()


def _exec() -> Command:
    from nanoctl.entrypoints.commands.exec import ExecCommand

    return ExecCommand()


def _api() -> Command:
    from nanoctl.entrypoints.commands.api import ApiCommand

    return ApiCommand()


def _whoami() -> Command:
    from nanoctl.entrypoints.commands.status import StatusCommand

    return StatusCommand(name="whoami")


def _help() -> Command:
    from nanoctl.entrypoints.commands.help import HelpCommand

    return HelpCommand()


def _list() -> Command:
    from nanoctl.entrypoints.commands.help import ListCommand

    return ListCommand()


def _completions() -> Command:
    from nanoctl.entrypoints.commands.completions import CompletionsCommand

    return CompletionsCommand()


# --- the table ------------------------------------------------------------------------

COMMANDS: tuple[CommandEntry, ...] = (
    CommandEntry("login", "Authenticate with an API token and check it against the API.", _login),
    CommandEntry("logout", "Remove the stored credential and its encryption key.", _logout),
    CommandEntry("status", "Show who is authenticated, with which token, and until when.", _status),
    CommandEntry("whoami", "Alias of `status`.", _whoami),
    CommandEntry("token", "Print the current token for another tool: `nanoctl token | …`.", _token),
    CommandEntry("exec", "Run a command with the current token in its environment.", _exec),
    CommandEntry("api", "Call the API with the current token: `nanoctl api /login`.", _api),
    CommandEntry("help", "Show a command's help page: `nanoctl help login`.", _help),
    CommandEntry(
        "completions",
        "Print a shell completion script: `nanoctl completions bash|zsh|fish`.",
        _completions,
    ),
    # cleo's default command (what a bare `nanoctl` runs): the front page again.
    CommandEntry(
        "list", "Show the front page: the commands and global options.", _list, hidden=True
    ),
)

# The order of cleo's help pages, which put an option with several shortcuts last.
GLOBAL_OPTIONS: tuple[GlobalOption, ...] = (
    GlobalOption(
        "help", "h", "Show this page; with a command, its help page (`nanoctl login --help`)."
    ),
    GlobalOption("quiet", "q", "Print nothing but errors."),
    GlobalOption("version", "V", "Print the version."),
    GlobalOption("ansi", None, "Force colours (default: only on a terminal without NO_COLOR)."),
    GlobalOption("no-ansi", None, "Never use colours."),
    GlobalOption("no-interaction", "n", "Never ask a question."),
    GlobalOption(
        "profile",
        None,
        "The profile to use (beats $NANOCTL_PROFILE; default: `default`).",
        takes_value=True,
    ),
    GlobalOption(
        "verbose", "v|vv|vvv", "Show decisions (-v); HTTP exchanges and tracebacks (-vvv)."
    ),
)

ENVIRONMENT: tuple[EnvironmentVariable, ...] = (
    EnvironmentVariable(
        "NANOSERVICES_TOKEN", "the token; beats the stored credential, never stored"
    ),
    EnvironmentVariable("NANOSERVICES_TOKEN_FILE", "a file holding the token; counts as the above"),
    EnvironmentVariable("NANOSERVICES_API_URL", "the API base URL (--api-url beats it)"),
    EnvironmentVariable("NANOCTL_PROFILE", "the profile to use (--profile beats it)"),
    EnvironmentVariable("NANOCTL_CONFIG_DIR", "where the credentials live"),
    EnvironmentVariable(
        "NANOCTL_KEYRING=0", "keep the encryption key in a file, not the OS keyring"
    ),
    EnvironmentVariable("NANOCTL_HTTP_TIMEOUT", "connect/read timeout in seconds (default 10)"),
    EnvironmentVariable("NO_COLOR", "no colours"),
)


def description_of(name: str) -> str:
    """The table's description of the command ``name`` (its class shows the same)."""
    for entry in COMMANDS:
        if entry.name == name:
            return entry.description
    raise KeyError(name)
