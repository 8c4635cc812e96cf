"""`nanoctl login`: a token from the first source that has one (--token, --token-file, the
environment, else the prompt), checked against the API; stored encrypted only after the
prompt. `--import-legacy` imports the old nanoctl's token instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.errors import (
    ConflictingTokenSources,
    MalformedToken,
    NanoctlError,
    NoTokenAvailable,
    TokenFileUnusable,
    TokenFromTerminal,
    TokenRejected,
)
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.selection_errors import ProfileInUse
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.cli.command import (
    API_URL_OPTION,
    JSON_OPTION,
    SELECTION_ERRORS,
    NanoctlCommand,
)
from nanoctl.entrypoints.cli.login_legacy import (
    cleanup_lines,
    imported_lines,
    legacy_json,
    not_removed_warning,
)
from nanoctl.entrypoints.words import TOKEN_VARIABLES, esc, expiry, source
from nanoctl.entrypoints.words.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.authenticate import LoginResult
    from nanoctl.domain.replacing import Replaced
    from nanoctl.domain.selection import Selection

HISTORY_WARNING = (
    "a token given on the command line can end up in your shell history and is visible in "
    "the process list. Prefer `--token -` (reads standard input) or NANOSERVICES_TOKEN."
)
_FROM_ENVIRONMENT = (TokenOrigin.ENVIRONMENT, TokenOrigin.ENVIRONMENT_FILE)
"""The silent logins, whose note at a terminal says the token was used and not stored."""


class LoginCommand(NanoctlCommand):
    options: ClassVar[list[Option]] = [
        option(
            "token",
            "t",
            "The API token; `-` reads it from standard input. Not stored.",
            flag=False,
        ),
        option(
            "token-file",
            None,
            "Read the token from this file (whitespace trimmed). Not stored.",
            flag=False,
        ),
        option(
            "import-legacy",
            None,
            "Import the token the old Node nanoctl saved (~/.nanoctl), then destroy its copies.",
        ),
        API_URL_OPTION,
        JSON_OPTION,
    ]
    about = (
        "The token comes from the first of these that is given; it is checked with the API "
        "at once:",
        (
            ("--token VALUE", "checked and shown, never stored; it stays in your shell history"),
            ("--token -", "read from standard input: `--token - < token.txt`; never stored"),
            ("--token-file PATH", "read from a file (a mounted secret); never stored"),
            ("NANOSERVICES_TOKEN", "checked silently, never stored (for CI)"),
            ("NANOSERVICES_TOKEN_FILE", "the same, read from the file it names"),
            ("the prompt", "hidden input; on success the token is stored encrypted"),
        ),
        "--token with --token-file, or both variables set, is a usage error. Run by a coding "
        "agent (agent mode), login never prompts and asks nothing: it says what the user "
        "should do.",
        "The prompt stores the token in the selected profile (--profile NAME, else "
        "NANOCTL_PROFILE, else `default`), bound to the API URL it was checked with. A "
        "credential already stored there is replaced only on a yes at a terminal.",
        "--import-legacy stores the token of the old Node nanoctl (~/.nanoctl, ~/.blok, "
        "~/.blokctl), then destroys those weakly encrypted copies. At a terminal with nothing "
        "stored, `nanoctl login` offers that import before the prompt.",
    )
    examples = (
        ("At a terminal: paste the token at the hidden prompt; stored encrypted", "nanoctl login"),
        (
            "From a file or a password manager: checked, not stored",
            "nanoctl login -t - < token.txt",
        ),
        (
            "From a mounted secret: checked, not stored",
            "nanoctl login --token-file /run/secrets/nano",
        ),
        (
            "Another API in a profile of its own (then: nanoctl --profile dev status)",
            'nanoctl login --profile dev --api-url "$DEV_API"',
        ),
        (
            "In CI: the token from a secret, checked, never stored",
            'NANOSERVICES_TOKEN="$SECRET" nanoctl login',
        ),
    )
    success = ("0", "logged in (or a stored credential kept)")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        # Here: the old nanoctl's errors, which only --import-legacy and this page need.
        from nanoctl.domain.legacy import errors as legacy

        return (
            *SELECTION_ERRORS,
            MalformedToken,
            TokenFromTerminal,
            TokenFileUnusable,
            ConflictingTokenSources,
            NoTokenAvailable,
            legacy.NoLegacyToken,
            ProfileInUse,
            TokenRejected,
            ApiUnavailable,
            StorageError,
            legacy.LegacyTokenUnreadable,
            legacy.LegacyFileBehindLink,
        )

    def handle(self) -> int:
        container = self.container
        given = self.option("token") is not None
        if given and container.flag_token().origin is TokenOrigin.FLAG:  # a literal, not `-`
            self.warn(HISTORY_WARNING)
        if self.option("import-legacy"):  # the old Node nanoctl's token (issue #14)
            if given or self.option("token-file") is not None:
                other = TokenOrigin.FLAG if given else TokenOrigin.FILE
                raise ConflictingTokenSources(TokenOrigin.LEGACY, other)
            self.verbose_target()
            return self._render(container.import_legacy().import_credential())
        authenticate = container.authenticate()
        self.verbose_target()
        result = authenticate.login()  # its token source says with -v where the token is from
        return self._render(result)

    def _render(self, result: LoginResult) -> int:
        self.warn_if_expiring_soon(result.expiry)
        legacy = result.legacy
        if legacy is not None:
            for path, number in ((n.path, n.errno) for n in legacy.not_removed):
                self.warn(not_removed_warning(path, number))
            if not self.json_output:
                for line in imported_lines(legacy, stored=result.stored):
                    self.say(line)
        if self.json_output:
            self.emit_json(login_json(result))
            return 0
        for line in login_lines(result, self.container.selection(), self.words):
            self.say(line)
        if legacy is not None:
            for line in cleanup_lines(legacy, kept_credential=result.kept):
                self.say(line)
        if result.origin in _FROM_ENVIRONMENT and self.stderr_is_terminal and not self.agent.on:
            # (its advice, a login at the prompt, is not an agent's to take)
            self.note(environment_login_note(result))
        return 0


# --- its lines ---------------------------------------------------------------------------


def login_lines(result: LoginResult, selection: Selection, context: Context) -> list[str]:
    """What `nanoctl login` prints on success (nothing for the environment token); a
    credential stored in a profile other than ``default`` says which, and one replaced
    says what it was. A user or an expiry the API did not give is said so, in a sentence."""
    name = result.identity.username
    who = esc(context.shown(name)) if name else None
    as_whom = f" as <info>{who}</info>" if who else " (the API did not name the user)"
    until = f"expires {expiry(result.expiry)}" if result.expiry.known else "expiry unknown"
    profile = context.profile_shown
    if result.kept and result.api_url != selection.api_url:
        wanted = esc(context.shown(selection.api_url.value))
        whose = f"the credential of <info>{who}</info>" if who else "the stored credential"
        return [
            f"Kept {whose} for {esc(context.shown(result.api_url.value))} in profile "
            f"{profile} ({until}); nothing was stored for {wanted}.",
            f"To log in to {wanted} as well, log in to another profile: "
            f"`nanoctl login --api-url {wanted} --profile NAME`.",
        ]
    if result.kept and result.declined:  # the question said how to keep both
        return [f"Kept the stored credential: still logged in{as_whom}, token {until}."]
    if result.kept:
        return [
            f"Already logged in{as_whom}, {until}. Kept the stored credential.",
            f"Run {context.nanoctl('logout')} first to log in with another token.",
        ]
    if result.origin in TOKEN_VARIABLES:
        return []  # documented: silent on success, the exit code says it all
    if result.stored:
        named = "" if selection.profile.is_default else f" as profile {profile}"
        lines = [
            welcome(who, result),
            f"The token is stored encrypted{named}; {context.nanoctl('logout')} removes it.",
        ]
        if result.replaced is not None:
            lines.append(replaced_line(result.replaced, context))
        return lines
    option = "--token-file" if result.origin is TokenOrigin.FILE else "--token"
    return [
        f"Authenticated{as_whom} — token {until}.",
        f"The token was not stored (run {context.nanoctl('login')} without {option} to store one).",
    ]


def welcome(who: str | None, result: LoginResult) -> str:
    """After the prompt stored the token: whose it is and until when, as far as the API
    said."""
    date = expiry(result.expiry)
    if who is not None and result.expiry.known:
        return f"Welcome, <info>{who}</info>! Your token expires {date}."
    if who is not None:
        return f"Welcome, <info>{who}</info>! The API did not say when your token expires."
    if result.expiry.known:
        return f"Welcome! Your token expires {date}; the API did not say whose it is."
    return "Welcome! The API said neither whose your token is nor when it expires."


def replaced_line(replaced: Replaced, context: Context) -> str:
    """After a login that replaced a stored credential: which one went."""
    which = "expired credential" if replaced.expired else "credential"
    url = esc(context.shown(replaced.api_url.value))
    whose = f" of {esc(context.shown(replaced.username))}" if replaced.username else ""
    return f"It replaced the {which}{whose} for {url} in profile {context.profile_shown}."


def environment_login_note(result: LoginResult) -> str:
    """On a terminal's stderr after a login with NANOSERVICES_TOKEN (or its file), which
    prints nothing on stdout: the user at a keyboard sees that the environment's token was
    used, not stored, and how to log in with the prompt instead."""
    who = result.identity.username or "the API did not name the user"
    variable = TOKEN_VARIABLES.get(result.origin, "NANOSERVICES_TOKEN")
    token = (
        variable
        if result.origin is TokenOrigin.ENVIRONMENT
        else f"The token in {source(result.origin)}"
    )
    return (
        f"{token} is valid ({who}) and was used as is, not stored. "
        "To log in with the prompt and store a token, run "
        f"`env -u {variable} nanoctl login`."
    )


# --- its JSON ----------------------------------------------------------------------------


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
        **({} if result.legacy is None else {"legacy": legacy_json(result.legacy)}),
    }
