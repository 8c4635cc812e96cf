"""The command table: every command of nanoctl, its global options and the variables it
reads, as data.

The cleo application builds a command from its row only when it is needed (the row names
the class, in its module under ``nanoctl.entrypoints.cli``), with the row's description;
the front page lists the rows. This module imports nothing, so `nanoctl --help` prints the
front page before cleo is imported.
"""

from __future__ import annotations


class CommandRow:
    """A command: its ``name``, the one line the front page and its help page show,
    the class that runs it (``"module:Class"`` in ``nanoctl.entrypoints.cli``), and
    whether the front page leaves it out."""

    __slots__ = ("command", "description", "hidden", "name")

    def __init__(self, name: str, description: str, command: str, *, hidden: bool = False) -> None:
        self.name = name
        self.description = description
        self.command = command
        self.hidden = hidden


class GlobalOption:
    """An option every command accepts (cleo's application definition); ``value``: the name
    of the value it is given (``--profile NAME``), None for a flag; ``label``: its meaning
    in two or three words, for the short block of the command pages."""

    __slots__ = ("description", "label", "name", "shortcut", "value")

    def __init__(
        self,
        name: str,
        shortcut: str | None,
        description: str,
        label: str,
        value: str | None = None,
    ) -> None:
        self.name = name
        self.shortcut = shortcut
        self.description = description
        self.label = label
        self.value = value

    @property
    def takes_value(self) -> bool:
        return self.value is not None

    @property
    def short_spellings(self) -> tuple[str, ...]:
        """``-v``, ``-vv``, ``-vvv``: its shortcuts as typed."""
        return tuple(f"-{short}" for short in (self.shortcut or "").split("|") if short)


class EnvironmentVariable:
    __slots__ = ("description", "name")

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description


COMMANDS: tuple[CommandRow, ...] = (
    CommandRow(
        "login",
        "Authenticate with an API token and check it against the API.",
        "login:LoginCommand",
    ),
    CommandRow(
        "logout", "Remove the stored credential and its encryption key.", "logout:LogoutCommand"
    ),
    CommandRow(
        "status",
        "Show who is authenticated, with which token, and until when.",
        "status:StatusCommand",
    ),
    CommandRow("whoami", "Alias of `status`.", "status:StatusCommand"),
    CommandRow(
        "token",
        "Print the current token for another tool: `nanoctl token | …`.",
        "token:TokenCommand",
    ),
    CommandRow(
        "exec", "Run a command with the current token in its environment.", "exec:ExecCommand"
    ),
    CommandRow(
        "api", "Call the API with the current token: `nanoctl api /login`.", "api:ApiCommand"
    ),
    CommandRow("help", "Show a command's help page: `nanoctl help login`.", "help:HelpCommand"),
    CommandRow(
        "completions",
        "Print the completion script of bash, zsh or fish.",
        "completions:CompletionsCommand",
    ),
    # cleo's default command (what a bare `nanoctl` runs): the front page again.
    CommandRow(
        "list",
        "Show the front page: the commands and global options.",
        "help:ListCommand",
        hidden=True,
    ),
)

# In the order the pages show them: the ones a user reaches for first.
GLOBAL_OPTIONS: tuple[GlobalOption, ...] = (
    GlobalOption(
        "profile",
        None,
        "The profile to use (default: `default`).",
        "which profile",
        value="NAME",
    ),
    GlobalOption(
        "verbose",
        "v|vv|vvv",
        "-v decisions; -vv adds HTTP; -vvv adds tracebacks.",
        "more detail",
    ),
    GlobalOption("quiet", "q", "Print nothing but errors.", "quiet"),
    GlobalOption("no-interaction", "n", "Never ask a question.", "never ask"),
    GlobalOption(
        "ansi", None, "Force colours (default: on a terminal without NO_COLOR).", "colours"
    ),
    GlobalOption("no-ansi", None, "Never use colours.", "no colours"),
    GlobalOption(
        "help",
        "h",
        "Show this page; with a command, that command's page.",
        "help",
    ),
    GlobalOption("version", "V", "Print the version.", "version"),
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
