"""The Python API other tools use: ``from nanoctl import api``.

``nanoctl.entrypoints.api`` whole, under a short, stable name (the design keeps every
entrypoint in ``entrypoints``): whatever it exports, this exports.
"""

from nanoctl.entrypoints import api as _api
from nanoctl.entrypoints.api import *  # noqa: F403

__all__ = _api.__all__
