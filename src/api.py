"""The Python API other tools use: ``from nanoctl import api``.

A short, stable name for ``nanoctl.entrypoints.api``, where the functions live (the
design card keeps every entrypoint in ``entrypoints``).
"""

from nanoctl.entrypoints.api import (
    Container,
    container,
    current_credential,
    explain,
    login,
    logout,
    profiles,
    request,
    session,
    token,
)

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
