"""The Python API other tools use: ``from nanoctl import api``.

A short, stable name for ``nanoctl.entrypoints.api``, where the functions live (the
design card keeps every entrypoint in ``entrypoints``).
"""

from nanoctl.entrypoints.api import container, current_credential, login, logout

__all__ = ["container", "current_credential", "login", "logout"]
