"""nanoctl as a library: the same use cases and container as the CLI, no terminal.

Future nanoctl commands (deploy, build, ...) and other tools call these to find
"the current credential" exactly as `nanoctl status` does. Errors are the domain
errors of ``nanoctl.domain.errors``; nothing here prints or exits.

    from nanoctl.entrypoints import api
    current = api.current_credential()      # NANOSERVICES_TOKEN, else the stored one
    token = current.credential.token.reveal()
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

__all__ = ["container", "current_credential", "login", "logout"]

if TYPE_CHECKING:
    from nanoctl.domain.authenticate import LoginResult
    from nanoctl.domain.current_credential import CurrentCredential
    from nanoctl.domain.logout import LogoutResult
    from nanoctl.entrypoints.container import Container


def container(*, api_url: str | None = None, environ: Mapping[str, str] | None = None) -> Container:
    """A container configured like the CLI's, never prompting; override its providers
    (``container.validator.override(...)``) to swap adapters."""
    from nanoctl.adapters.terminal.terminal import Terminal
    from nanoctl.entrypoints.container import build_container
    from nanoctl.entrypoints.settings import Settings

    env = os.environ if environ is None else environ
    built = build_container(Settings.from_environment(env, api_url=api_url))
    built.environ.override(env)
    built.terminal.override(Terminal.from_process(interactive=False, environ=env))
    return built


def login(token: str, *, api_url: str | None = None, using: Container | None = None) -> LoginResult:
    """Validate ``token`` against the API, like `nanoctl login --token`; never stores it."""
    from pydantic import SecretStr  # here, not at import: it loads pydantic.types

    c = using or container(api_url=api_url)
    flag = c.flag_token(value=SecretStr(token))
    result: LoginResult = c.authenticate(flag=flag).login()
    return result


def logout(*, using: Container | None = None) -> LogoutResult:
    """Remove the stored credential and its key; idempotent."""
    c = using or container()
    result: LogoutResult = c.logout().logout()
    return result


def current_credential(
    *, api_url: str | None = None, using: Container | None = None
) -> CurrentCredential:
    """The credential commands should use: NANOSERVICES_TOKEN, else the stored one.

    Offline and fast; raises NotLoggedIn, ExpiredToken or StorageError.
    """
    c = using or container(api_url=api_url)
    current: CurrentCredential = c.resolve_credential().resolve()
    return current
