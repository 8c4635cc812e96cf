"""nanoctl as a library: the same use cases and container as the CLI, no terminal.

Future nanoctl commands (deploy, build, ...) and other tools call these to find
"the current credential" exactly as `nanoctl status` does. Errors are the domain
errors of ``nanoctl.domain.errors`` (their facts); ``explain`` words one as the CLI
would. Nothing here prints, prompts or exits.

    from nanoctl.entrypoints import api
    current = api.current_credential()      # NANOSERVICES_TOKEN, else the stored one
    token = api.token()                     # the same token, a secret: token.reveal()
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from nanoctl.domain.authenticate import LoginResult
from nanoctl.domain.current_credential import CurrentCredential
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.logout import LogoutResult
from nanoctl.domain.model import Token
from nanoctl.entrypoints.container import Container, Invocation, for_invocation
from nanoctl.entrypoints.messages.errors import explain as _explain

__all__ = [
    "Container",
    "container",
    "current_credential",
    "explain",
    "login",
    "logout",
    "token",
]


def container(
    *,
    api_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
) -> Container:
    """A container configured like the CLI's, never prompting; override its providers
    (``container.validator.override(...)``) to swap adapters. ``profile`` selects as
    `--profile` does."""
    return for_invocation(
        Invocation(os.environ if environ is None else environ, api_url=api_url, profile=profile)
    )


def login(token: str, *, api_url: str | None = None, using: Container | None = None) -> LoginResult:
    """Validate ``token`` against the API, like `nanoctl login --token`; never stores it."""
    c = using or container(api_url=api_url)
    # The flag source of this login gets ``token`` (dependency-injector's nested arguments).
    return c.authenticate(sources__flag__value=token).login()


def logout(*, using: Container | None = None) -> LogoutResult:
    """Remove the stored credential and its key; idempotent."""
    return (using or container()).logout().logout()


def current_credential(
    *, api_url: str | None = None, using: Container | None = None
) -> CurrentCredential:
    """The credential commands should use: NANOSERVICES_TOKEN, else the stored one.

    Offline and fast; raises NotLoggedIn, ExpiredToken or StorageError.
    """
    return (using or container(api_url=api_url)).resolve_credential().resolve()


def token(
    *, profile: str | None = None, api_url: str | None = None, using: Container | None = None
) -> Token:
    """The current credential's token, as `nanoctl token` prints it: NANOSERVICES_TOKEN
    (or its file), else the selected profile's stored one. Offline.

    A secret value object: ``repr`` and ``str`` are masked; ``reveal()`` gives the value
    for the one place that sends it. Raises NotLoggedIn, ExpiredToken or StorageError.
    """
    c = using or container(api_url=api_url, profile=profile)
    return c.resolve_credential().resolve().credential.token


def explain(error: NanoctlError) -> str:
    """The one line nanoctl prints for ``error``: what went wrong and what to do next."""
    return str(_explain(error))
