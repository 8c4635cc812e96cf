"""Who chose what: where a token came from, who named a profile, who gave an API URL.

Facts every layer speaks of (the errors, the selection, the words), kept in a module that
imports nothing of nanoctl, so that the errors can name them without importing the model
that raises them.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal


class TokenOrigin(Enum):
    """Where a token came from; decides whether it may be stored."""

    FLAG = "flag"
    STDIN = "stdin"
    FILE = "file"
    """``--token-file PATH``."""
    ENVIRONMENT = "environment"
    ENVIRONMENT_FILE = "environment_file"
    """The file ``NANOSERVICES_TOKEN_FILE`` names; counts as the environment's token."""
    PROMPT = "prompt"
    STORED = "stored"
    LEGACY = "legacy_file"
    """A token file of the old Node nanoctl (``login --import-legacy``)."""


ProfileNameOrigin = Literal["option", "environment", "argument"]
"""Where a profile name came from: --profile, NANOCTL_PROFILE, or a Python API argument."""
ApiUrlOrigin = Literal["option", "environment", "argument"]
"""Who gave an explicit API URL: --api-url, NANOSERVICES_API_URL, the ``api_url=`` argument."""
ProfileFrom = Literal["option", "environment", "argument", "api_url", "default"]
"""Who chose the profile: a name (ProfileNameOrigin), the URL it is bound to, or nobody."""
ApiUrlFrom = Literal["option", "environment", "argument", "profile", "default"]
"""Who chose the API URL: an explicit one (ApiUrlOrigin), the profile's stored URL, or nobody."""
