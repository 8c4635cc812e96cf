"""nanoctl as a library: the same use cases and container as the CLI, no terminal.

Future nanoctl commands (deploy, build, ...) and other tools call these to find
"the current credential" exactly as `nanoctl status` does. Errors are the domain
errors of ``nanoctl.domain.errors`` (their facts); ``explain`` words one as the CLI
would. Nothing here prints, prompts or exits.

    from nanoctl import api
    current = api.current_credential()      # NANOSERVICES_TOKEN, else the stored one
    token = api.token()                     # the same token, a secret: token.reveal()
    api.token(profile="staging")            # the stored credential of profile staging
    api.profiles()                          # ["default", "staging"]: the stored profiles
    with api.session() as s:                # a requests Session bound to the selected API
        s.get("/deploy-status/web").json()  # its path joined to the API URL, token attached
    api.request("GET", "/build-status/b-1") # the same, in one call
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nanoctl.domain.authenticate import LoginResult
from nanoctl.domain.current_credential import CurrentCredential
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.logout import LogoutResult
from nanoctl.domain.model import Token
from nanoctl.entrypoints.container import Container, for_invocation
from nanoctl.entrypoints.invocation import Invocation
from nanoctl.entrypoints.words.errors import explain as _explain

if TYPE_CHECKING:  # requests costs ~70 ms: only a session loads it
    import requests

__all__ = [
    "Container",
    "container",
    "current_credential",
    "explain",
    "login",
    "logout",
    "profiles",
    "request",
    "session",
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


def login(
    token: str,
    *,
    api_url: str | None = None,
    profile: str | None = None,
    using: Container | None = None,
) -> LoginResult:
    """Validate ``token`` against the API, like `nanoctl login --token`; never stores it.
    Without ``api_url``, the API is the one ``profile`` (as `--profile`) is bound to."""
    c = using or container(api_url=api_url, profile=profile)
    # The flag source of this login gets ``token`` (dependency-injector's nested arguments:
    # Authenticate's sources, their flag, the source it announces, its value).
    return c.authenticate(sources__flag__source__value=token).login()


def logout(
    *,
    profile: str | None = None,
    all_profiles: bool = False,
    using: Container | None = None,
) -> LogoutResult:
    """Remove the stored credential and its key of ``profile`` (as `--profile`), or of
    every profile (``all_profiles``, as `logout --all`); idempotent.
    ``profiles_removed`` names the profiles whose credential was removed."""
    c = using or container(profile=profile)
    if not all_profiles:
        return c.logout().logout()
    result = c.logout_everywhere().logout()
    if result.failure is not None:
        raise result.failure
    return result


def current_credential(
    *, api_url: str | None = None, profile: str | None = None, using: Container | None = None
) -> CurrentCredential:
    """The credential commands should use: NANOSERVICES_TOKEN, else the stored one of
    ``profile`` (as `--profile`: else NANOCTL_PROFILE, else ``default``).

    Offline and fast; raises NotLoggedIn, ExpiredToken, CredentialForOtherApi or
    StorageError.
    """
    return (using or container(api_url=api_url, profile=profile)).resolve_credential().resolve()


def profiles(*, using: Container | None = None) -> list[str]:
    """The names of the stored profiles, ``default`` first, then by name. Reads no
    credential."""
    return [name.value for name in (using or container()).profiles().names()]


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


def session(
    *,
    profile: str | None = None,
    api_url: str | None = None,
    max_body: int | None = None,
    using: Container | None = None,
) -> requests.Session:
    """A requests ``Session`` bound to the selected API with the current credential, as
    `nanoctl api` sends: selected as the CLI selects (``profile`` is --profile, ``api_url``
    --api-url), offline until a request is sent.

    - a relative path (``s.get("/deploy-status/web")``) is joined to the API URL, its path
      prefix kept; an absolute URL is accepted only under it;
    - the token goes only to URLs under the API URL: a request for any other is refused
      with ``UrlOutsideApi`` before anything is sent;
    - the same deadline as the CLI (NANOCTL_HTTP_TIMEOUT: the wait for the answer, and any
      silence while its body arrives), no redirects followed (a 3xx comes back as it is),
      and the same retries for GET and HEAD (no answer, 429, 502-504, Retry-After);
    - ``max_body``: a cap in bytes on a decoded body read through ``content``, ``text``,
      ``json()`` or ``iter_content`` (``BodyTooLarge`` past it);
    - statuses come back as responses (``raise_for_status()`` decides), failures as the
      errors of ``nanoctl.domain.errors``; its ``repr``, its errors and its logs never show
      the token (``response.request`` is the request as sent, its header included).

    Raises what ``current_credential()`` raises (NotLoggedIn, ExpiredToken, ...)."""
    c = using or container(api_url=api_url, profile=profile)
    current = c.resolve_credential().resolve()
    opened: requests.Session = c.api_client().session(current.credential, max_body=max_body)
    return opened


def request(
    method: str,
    path: str,
    *,
    profile: str | None = None,
    api_url: str | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One request through ``session()``: ``api.request("POST", "/deploy/b-1", json={...})``.
    ``kwargs`` are those of ``requests.Session.request`` (``params``, ``json``, ``data``,
    ``headers``, ``stream``...); the body is read before it returns unless ``stream=True``.
    For a body cap (``max_body``) or a container of your own (``using``), open a
    ``session()``."""
    with session(profile=profile, api_url=api_url) as bound:
        response: requests.Response = bound.request(method, path, **kwargs)
        return response


def explain(error: NanoctlError) -> str:
    """The one line nanoctl prints for ``error``: what went wrong and what to do next."""
    return str(_explain(error))
