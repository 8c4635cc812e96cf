from __future__ import annotations

from typing import ClassVar

from cleo.io.inputs.option import Option

from nanoctl.entrypoints.command_table import description_of
from nanoctl.entrypoints.commands.base import JSON_OPTION, NanoctlCommand
from nanoctl.entrypoints.messages.commands import environment_still_set, logout_line


class LogoutCommand(NanoctlCommand):
    name = "logout"
    description = description_of("logout")
    options: ClassVar[list[Option]] = [JSON_OPTION]

    def handle(self) -> int:
        result = self.container.logout().logout()
        if result.environment_token_set:
            self.warn(environment_still_set(result.environment_origin))
        if self.json_output:
            self.emit_json(
                {
                    "logged_out": True,
                    "removed": result.removed,
                    "location": result.location,
                    "environment_token_set": result.environment_token_set,
                }
            )
        else:
            self.say(logout_line(result))
        return 0
