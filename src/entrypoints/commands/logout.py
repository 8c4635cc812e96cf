from __future__ import annotations

from typing import ClassVar

from cleo.helpers import option
from cleo.io.inputs.option import Option

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import environment_still_set, logout_line
from nanoctl.entrypoints.messages.context import Context
from nanoctl.entrypoints.messages.profiles import logout_all_line


class LogoutCommand(NanoctlCommand):
    name = "logout"
    description = description_of("logout")
    options: ClassVar[list[Option]] = [
        option("all", None, "Log out of every profile."),
        JSON_OPTION,
    ]
    help = """\
Removes the selected profile's credential and its key: --profile, else NANOCTL_PROFILE, else
the one profile bound to NANOSERVICES_API_URL, else default. With --all, every profile's.
Logging out with nothing stored is not an error."""

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
