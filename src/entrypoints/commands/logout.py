from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import JSON_OPTION, NanoctlCommand, esc

if TYPE_CHECKING:
    from cleo.io.inputs.option import Option


class LogoutCommand(NanoctlCommand):
    name = "logout"
    description = description_of("logout")
    options: ClassVar[list[Option]] = [JSON_OPTION]

    def handle(self) -> int:
        result = self.container.logout().logout()
        if result.environment_token_set:
            self.warn(
                "NANOSERVICES_TOKEN is set and still authenticates nanoctl commands; "
                "unset it to log out completely."
            )
        if self.json_output:
            self.emit_json(
                {
                    "logged_out": True,
                    "removed": result.removed,
                    "location": result.location,
                    "environment_token_set": result.environment_token_set,
                }
            )
        elif result.removed:
            self.say(f"Logged out: removed the stored credential ({esc(result.location)}).")
        else:
            self.say(f"Not logged in: nothing stored at {esc(result.location)}.")
        return 0
