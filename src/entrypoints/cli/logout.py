"""`nanoctl logout`: the selected profile's credential and its key removed (every profile's
with --all); nothing stored is not an error."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import DEFAULT_PROFILE
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import StorageError
from nanoctl.entrypoints.cli.command import JSON_OPTION, SELECTION_ERRORS, NanoctlCommand
from nanoctl.entrypoints.words import TOKEN_VARIABLES, esc
from nanoctl.entrypoints.words.context import Context, profile_origin

if TYPE_CHECKING:
    from nanoctl.domain.logout import LogoutResult


class LogoutCommand(NanoctlCommand):
    options: ClassVar[list[Option]] = [
        option("all", None, "Log out of every profile."),
        JSON_OPTION,
    ]
    about = (
        "Removes the credential and its key from the selected profile: --profile NAME, else "
        "NANOCTL_PROFILE, else the one profile bound to NANOSERVICES_API_URL, else `default`. "
        "With --all, from every profile. Logging out with nothing stored is not an error.",
        "NANOSERVICES_TOKEN (or NANOSERVICES_TOKEN_FILE), which nanoctl never stores, still "
        "authenticates commands after a logout: unset it too.",
    )
    examples = (
        ("Log out of the default profile", "nanoctl logout"),
        ("Log out of profile dev", "nanoctl logout --profile dev"),
        ("Log out of every profile", "nanoctl logout --all"),
    )
    success = ("0", "logged out (also when nothing was stored)")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        return (*SELECTION_ERRORS, StorageError)

    def handle(self) -> int:
        everywhere = bool(self.option("all"))
        container = self.container
        result = (container.logout_everywhere() if everywhere else container.logout()).logout()
        # --all has no selection: its location is the config directory
        words = Context() if everywhere else self.words
        if result.environment_token_set:
            self.warn(environment_still_set(result.environment_origin))
        if self.json_output:
            self.emit_json(
                {
                    "logged_out": True,
                    "removed": result.removed,
                    "location": words.shown(result.location),
                    "environment_token_set": result.environment_token_set,
                    "profiles_removed": list(result.profiles_removed),
                }
            )
        else:
            self.say(logout_all_line(result) if everywhere else logout_line(result, words))
        if result.failure is not None:  # --all: the others are removed, this one is not
            raise result.failure
        return 0


# --- its lines ---------------------------------------------------------------------------


def logout_line(result: LogoutResult, context: Context) -> str:
    profile = context.shown(result.profile)
    location = esc(context.shown(result.location))
    default = result.profile == DEFAULT_PROFILE
    if result.removed:
        named = "" if default else f" of profile {profile}"
        return f"Logged out{named}: removed the stored credential ({location})."
    chosen = "" if result.profile_from == "default" else f" ({profile_origin(result.profile_from)})"
    named = "" if default and not chosen else f" to profile {profile}{chosen}"
    line = f"Not logged in{named}: nothing stored at {location}."
    if not result.stored_profiles:
        return line
    # Here: the selection's words only when other profiles are there to name.
    from nanoctl.entrypoints.words.selection import stored_profiles

    stored = result.stored_profiles
    return line + stored_profiles(result.profile, result.profile_from, stored, context)


def logout_all_line(result: LogoutResult) -> str:
    names = result.profiles_removed
    if len(names) == 1:
        return f"Logged out: removed the stored credential of profile {names[0]}."
    if names:
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        return f"Logged out: removed the stored credentials of profiles {listed}."
    return f"Not logged in: no profile is stored in {esc(result.location)}."


def environment_still_set(origin: TokenOrigin) -> str:
    """After logout: the environment's token still authenticates commands."""
    variable = TOKEN_VARIABLES.get(origin, "NANOSERVICES_TOKEN")
    return (
        f"{variable} is set and still authenticates nanoctl commands; "
        "unset it to log out completely."
    )
