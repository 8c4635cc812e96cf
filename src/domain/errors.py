"""Every failure nanoctl can report, as one hierarchy of facts.

Each class carries a stable ``kind`` (for ``--json`` and scripts) and the facts of what
failed: which token source, which URL, which file, which OS error number. The sentence a
user reads and its next step are written from these facts in one place,
``nanoctl.entrypoints.words``; the exit code of each class is in the error boundary,
``nanoctl.entrypoints.cli.boundary``; docs/errors.md lists them all. No fact is ever a
foreign exception's text, so none can carry the token. The errors of the API (exit 4) are
in ``api_errors``, those of handing the token on (`token`, `exec`) in ``handover_errors``,
of the local credential store in ``store_errors``, of the selection in
``selection_errors``, of the old nanoctl's token files in ``legacy.errors``. Reasons are
``Literal`` names, not Enums: a Literal costs nothing at import and mypy still checks every
value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from nanoctl.domain.origins import ApiUrlFrom, ProfileFrom, ProfileNameOrigin, TokenOrigin
from nanoctl.domain.token_shapes import TokenShape

TokenProblem = (
    Literal["empty", "too_long", "several_lines", "bad_characters", "too_much_input"] | TokenShape
)
"""Why text is not a token; a TokenShape: it holds one (``NAME=…``, quotes, ``Bearer``)."""
PipeProblem = Literal["fifo", "pipe_timeout"]
"""A pipe as the token file: nothing writes into it, or nothing came in time."""
TokenFileProblem = (
    Literal["empty_path", "missing", "directory", "not_regular", "unreadable"] | PipeProblem
)
FILE_EXTENSIONS = (".txt", ".env", ".token", ".secret", ".key", ".json")
"""A path ending in one of these is a file name, never a token (which has no such end)."""
ApiUrlProblem = Literal["unparseable", "not_http", "no_host", "extras"]


class NanoctlError(Exception):
    """Base of every error nanoctl reports to a user. Its ``repr`` and ``str`` list its facts."""

    kind = "error"

    def __repr__(self) -> str:
        facts = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({facts})"

    __str__ = __repr__


# --- exit 2: the user asked for something we cannot do -----------------------


class UsageError(NanoctlError):
    kind = "usage"


class CommandLineError(UsageError):
    """The command line does not parse; ``problem`` is cleo's sentence, token-like words
    hidden. ``command``: the command it was for, when there is one; ``suggestions``: the
    names (commands or options) the user may have meant."""

    def __init__(
        self, problem: str, *, command: str | None = None, suggestions: tuple[str, ...] = ()
    ) -> None:
        super().__init__(problem, command, suggestions)
        self.problem = problem
        self.command = command
        self.suggestions = suggestions


class UnknownCommand(CommandLineError):
    """No command has the name typed; ``problem`` says so (the name hidden when it could be
    a token), ``suggestions`` are the commands it is close to."""


class TokenFromTerminal(UsageError):
    """``--token -`` reads a pipe, but standard input is a terminal (it would echo the token)."""


class MalformedToken(UsageError):
    """Not a token. ``origin`` None: a token built in code, not read from a source;
    ``path``: the token file it was read from; ``variable``: the name of an assignment
    (``NANOSERVICES_TOKEN=…``) it holds, never its value."""

    kind = "malformed_token"

    def __init__(
        self,
        problem: TokenProblem,
        origin: TokenOrigin | None,
        path: str | None = None,
        *,
        variable: str | None = None,
    ) -> None:
        super().__init__(problem, origin)
        self.problem: TokenProblem = problem
        self.origin = origin
        self.path = path
        self.variable = variable


class TokenFileUnusable(UsageError):
    """The file ``path`` that ``origin`` (--token-file or NANOSERVICES_TOKEN_FILE) names
    cannot be read as a token file; ``errno`` for ``unreadable``."""

    kind = "token_file"

    def __init__(
        self, path: str, origin: TokenOrigin, problem: TokenFileProblem, errno: int | None = None
    ) -> None:
        super().__init__(problem, origin)
        self.path = path
        self.origin = origin
        self.problem: TokenFileProblem = problem
        self.errno = errno

    @property
    def shown_path(self) -> str | None:
        """The path when showing it cannot echo a token pasted where a path belongs
        (`--token-file "$TOKEN"`): the file exists, or the value reads as a path: it
        starts like one, or ends in a file extension no token has (`tokn.txt`)."""
        exists = self.problem in ("directory", "fifo", "pipe_timeout", "not_regular")
        path_like = self.path.startswith(("/", "./", "../", "~/")) or (
            self.path.lower().endswith(FILE_EXTENSIONS) and not any(c.isspace() for c in self.path)
        )
        return self.path if exists or path_like else None

    def __repr__(self) -> str:
        path = self.shown_path or "(not shown)"
        return (
            f"TokenFileUnusable(path={path!r}, origin={self.origin!r}, "
            f"problem={self.problem!r}, errno={self.errno!r})"
        )

    __str__ = __repr__


class ConflictingTokenSources(UsageError):
    """Two token sources of the same rank are both given (--token and --token-file, or
    NANOSERVICES_TOKEN and NANOSERVICES_TOKEN_FILE): which one was meant is not ours to guess."""

    kind = "conflicting_token_sources"

    def __init__(self, first: TokenOrigin, second: TokenOrigin) -> None:
        super().__init__(first, second)
        self.first = first
        self.second = second


class NoTokenAvailable(UsageError):
    """No token given, and nobody to prompt: no terminal, -n (``no_interaction``), or a
    coding agent runs nanoctl (``agent``: the variable that says so), whose transcript
    must never receive a token typed in."""

    kind = "no_token"

    def __init__(self, *, ci: bool, no_interaction: bool = False, agent: str | None = None) -> None:
        super().__init__(ci, no_interaction, agent)
        self.ci = ci
        self.no_interaction = no_interaction
        self.agent = agent


class InsecureApiUrl(UsageError):
    """``url`` as it may be shown (``model.masked_url``), as for InvalidApiUrl."""

    kind = "insecure_api_url"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class InvalidApiUrl(UsageError):
    """``url`` as it may be shown: its userinfo, query and fragment masked
    (``model.masked_url``), for they can hold a password or a key."""

    kind = "invalid_api_url"

    def __init__(self, url: str, problem: ApiUrlProblem) -> None:
        super().__init__(url, problem)
        self.url = url
        self.problem: ApiUrlProblem = problem


class UnknownShell(UsageError):
    """`nanoctl completions` has no script for this shell. ``shell`` is its name when it may
    be shown (None: not shown, or none); ``from_environment``: it came from $SHELL, which
    ``unset`` says was not set."""

    def __init__(self, shell: str | None, *, from_environment: bool, unset: bool = False) -> None:
        super().__init__(shell, from_environment, unset)
        self.shell = shell
        self.from_environment = from_environment
        self.unset = unset


class InvalidProfileName(UsageError):
    """``name`` does not follow the rule of profile names; ``origin`` says who gave it.
    The name is shown only when it could not be a pasted token (the entrypoint decides)."""

    kind = "invalid_profile"

    def __init__(self, name: str, origin: ProfileNameOrigin) -> None:
        super().__init__(origin)
        self.name = name
        self.origin: ProfileNameOrigin = origin

    def __repr__(self) -> str:
        return f"InvalidProfileName(origin={self.origin!r})"

    __str__ = __repr__


class ApiUrlForAllProfiles(UsageError):
    """`status --all` checks each profile against the URL it is bound to: an API URL
    given by ``origin`` (--api-url, or NANOSERVICES_API_URL) has no profile to apply to."""

    def __init__(self, origin: Literal["option", "environment"]) -> None:
        super().__init__(origin)
        self.origin: Literal["option", "environment"] = origin


class InvalidTimeout(UsageError):
    """The HTTP timeout setting is not a number of seconds in range."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


# --- exit 1: nothing to work with -------------------------------------------


class NotLoggedIn(NanoctlError):
    kind = "not_logged_in"


class NoTokenEntered(NotLoggedIn):
    """The prompt returned nothing (a prompt always yields a token or raises)."""


class CredentialForOtherApi(NotLoggedIn):
    """The stored credential of ``profile`` is for ``stored_url``, not the ``current_url``
    that ``url_from`` gave; it is never sent elsewhere."""

    kind = "api_mismatch"
    bound_profile: str | None = None
    """Another profile whose credential is for ``current_url`` (None: there is none): set by
    the use case that raises the error, which looked for it."""

    def __init__(
        self,
        stored_url: str,
        current_url: str,
        *,
        profile: str = "default",
        profile_from: ProfileFrom = "default",
        url_from: ApiUrlFrom = "option",
    ) -> None:
        super().__init__(stored_url, current_url)
        self.stored_url = stored_url
        self.current_url = current_url
        self.profile = profile
        self.profile_from: ProfileFrom = profile_from
        self.url_from: ApiUrlFrom = url_from


# --- exit 3: the API said no --------------------------------------------------


class TokenRejected(NanoctlError):
    """``origin``: where the rejected token came from, which decides the user's next step.
    The API cannot know it: the use case that sent the token names it (None: unknown)."""

    kind = "rejected"

    def __init__(self, *facts: object, origin: TokenOrigin | None = None) -> None:
        super().__init__(*facts)
        self.origin = origin


class InvalidToken(TokenRejected):
    kind = "invalid_token"


class InactiveToken(TokenRejected):
    kind = "inactive_token"


class ExpiredToken(TokenRejected):
    kind = "expired_token"

    def __init__(
        self,
        username: str | None,
        expires_at: datetime | None,
        *,
        origin: TokenOrigin | None = None,
    ) -> None:
        super().__init__(username, expires_at, origin=origin)
        self.username = username
        self.expires_at = expires_at


class ForbiddenToken(TokenRejected):
    kind = "forbidden_token"


# --- exit 130 ------------------------------------------------------------------


class Cancelled(NanoctlError):
    kind = "cancelled"


# --- exit 1: our own fault ------------------------------------------------------


class InternalError(NanoctlError):
    """An exception nanoctl did not expect; only its class name is kept."""

    kind = "internal"

    def __init__(self, exception_type: str) -> None:
        super().__init__(exception_type)
        self.exception_type = exception_type
