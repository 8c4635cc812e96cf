"""What a sentence may say beyond an error's facts: the run's selection (whose profile the
commands of a next step name, who chose the API URL), the command that ran, and the values
never to show. Every sentence is written once, from these values; none is edited after."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import Token

if TYPE_CHECKING:
    from nanoctl.domain.model import ProfileName
    from nanoctl.domain.origins import ApiUrlFrom, ProfileFrom
    from nanoctl.domain.selection import Selection
    from nanoctl.entrypoints.container import Container

REDACTED = "[redacted]"
"""What shows where a name or URL equals a token of this run."""

_PROFILE_FROM: dict[ProfileFrom, str] = {
    "option": "from --profile",
    "environment": "from NANOCTL_PROFILE",
    "argument": "from the profile= argument",
    "api_url": "bound to the API URL",
    "default": "the default",
}
_URL_FROM: dict[ApiUrlFrom, str] = {
    "option": "from --api-url",
    "environment": "from NANOSERVICES_API_URL",
    "argument": "from the api_url= argument",
    "profile": "the profile's",
    "default": "the default",
}


class Context:
    """``profile`` (None: none known) is the one the commands of a next step are aimed at;
    ``secrets``: the tokens of this run, never shown inside a name, a path or a URL;
    ``every_profile``: the words of one profile of `status --all` (``in_overview``), whose
    advice may not name what `--all` refuses (--api-url, NANOSERVICES_API_URL)."""

    __slots__ = ("api_url_from", "command", "every_profile", "profile", "profile_from", "secrets")

    def __init__(
        self,
        profile: ProfileName | None = None,
        profile_from: ProfileFrom = "default",
        api_url_from: ApiUrlFrom | None = None,
        command: str | None = None,
        secrets: tuple[Token, ...] = (),
    ) -> None:
        self.profile = profile
        self.profile_from: ProfileFrom = profile_from
        self.api_url_from = api_url_from
        self.command = command
        self.every_profile = False
        self.secrets = secrets

    @classmethod
    def in_overview(cls, profile: ProfileName, command: str, secrets: tuple[Token, ...]) -> Context:
        """The words of ``profile`` in `status --all`, checked against the URL it is bound to."""
        context = cls(profile, "default", "profile", command, secrets)
        context.every_profile = True
        return context

    def __repr__(self) -> str:  # never the secrets, not even masked
        return f"Context(profile={self.profile!r}, command={self.command!r})"

    @classmethod
    def of(
        cls,
        selection: Selection | None,
        command: str | None = None,
        secrets: tuple[Token, ...] = (),
    ) -> Context:
        """The context of a run whose selection is ``selection`` (None: not resolved)."""
        if selection is None:
            return cls(command=command, secrets=secrets)
        return cls(
            selection.profile,
            selection.profile_from,
            selection.api_url_from,
            command,
            secrets=secrets,
        )

    def command_line(self, command: str, *args: str) -> str:
        """``nanoctl COMMAND [--profile NAME] ARGS…``, aimed at the context's profile
        (``default`` needs no option)."""
        words = ["nanoctl", command]
        if self.profile is not None and not self.profile.is_default:
            words += ["--profile", self.shown(self.profile.value)]
        return " ".join([*words, *args])

    def nanoctl(self, command: str, *args: str) -> str:
        """A command for the user to run, in backticks: "`nanoctl logout --profile dev`"."""
        return f"`{self.command_line(command, *args)}`"

    def shown(self, value: str) -> str:
        """``value`` (a profile name, a URL, a path, a user) as it may be shown: a token of
        this run in it is REDACTED (a profile named by the token is in its path too)."""
        if Token(value.strip()) in self.secrets:
            return REDACTED
        return self.redacted(value)

    def redacted(self, text: str) -> str:
        """``text`` (a whole sentence) with every token of this run in it REDACTED."""
        for secret in self.secrets:
            token = secret.reveal()
            if token in text:
                text = text.replace(token, REDACTED)
        return text

    @property
    def profile_shown(self) -> str:
        return self.shown(self.profile.value) if self.profile is not None else "default"


def context_of_run(container: Container, command: str | None = None) -> Context:
    """What this run's sentences may say: its selection (when it cannot be resolved, its
    failure is what is being said: then only the profile someone named), the command, the
    tokens met so far."""
    secrets = tuple(container.run_tokens())
    try:
        return Context.of(container.selection(), command, secrets)
    except NanoctlError:
        chosen = container.settings().profile_choice
        if chosen is None:
            return Context(command=command, secrets=secrets)
        return Context(chosen.name, chosen.origin, command=command, secrets=secrets)


def sentence_commands(context: Context) -> dict[str, str]:
    """The nanoctl commands the sentences of errors name, aimed at the context's profile."""
    return {
        "login": context.nanoctl("login"),
        "logout": context.nanoctl("logout"),
        "login_stdin": context.nanoctl("login", "--token", "-"),
        "piped_login": f"`... | {context.command_line('login', '--token', '-')}`",
        "piped_token": f"`{context.command_line('token', '--header')} | curl -H @- …`",
        "exec_path": context.nanoctl("exec", "--", "./script", "…"),
        "exec_sh": context.nanoctl("exec", "--", "sh", "script"),
        "api_path": context.nanoctl("api", "/PATH"),
        "import_legacy": context.nanoctl("login", "--import-legacy"),
        "token_pipe": f"`{context.command_line('token')} | …`",
        "token_to_file": f"`{context.command_line('token')} > file`",
    }


def profile_origin(chosen_by: ProfileFrom) -> str:
    """'from --profile', 'from NANOCTL_PROFILE', …: who chose the profile."""
    return _PROFILE_FROM[chosen_by]


def url_origin(chosen_by: ApiUrlFrom) -> str:
    """'from NANOSERVICES_API_URL', …, "the profile's", 'the default'."""
    return _URL_FROM[chosen_by]


# --- the tokens a run has met --------------------------------------------------------------
# RunTokens starts with what the command line and the environment hold as given (the --token
# value, NANOSERVICES_TOKEN) and learns the others as the use cases read them (a token file,
# standard input, the prompt, the stored credential): the container hands its ``add`` to the
# sources and the store it announces (-v). A token pasted where a name goes
# (NANOCTL_PROFILE="$TOKEN") must not come back in a status line, a -v line or an error.


class RunTokens:
    """Every token this run has met, in memory only (never written anywhere)."""

    __slots__ = ("_tokens",)

    def __init__(self, environ: Mapping[str, str], flag: str | None = None) -> None:
        given = [environ.get("NANOSERVICES_TOKEN"), None if flag == "-" else flag]
        self._tokens = [Token(value.strip()) for value in given if value and value.strip()]

    def __repr__(self) -> str:
        return f"RunTokens({len(self._tokens)} tokens)"

    def __iter__(self) -> Iterator[Token]:
        return iter(tuple(self._tokens))

    def add(self, token: Token) -> None:
        if not any(token == known for known in self._tokens):
            self._tokens.append(token)
