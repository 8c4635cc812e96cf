"""What one run was given, before anything is built from it: the environment, the options
of the command line (or the Python API's arguments), and the terminal it may talk to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cleo only for the command line: the Python API never loads it
    from cleo.io.io import IO


class Invocation:
    """``token`` is the --token value, a secret; ``token_file`` the --token-file path;
    ``api_url`` and ``profile`` the --api-url and --profile options (or ``api_url=`` and
    ``profile=``). ``io`` is the command line's io, which the -v lines and warnings go to
    and which says whether questions may be asked; None: a library run, silent and never
    asking."""

    __slots__ = ("api_url", "environ", "io", "profile", "token", "token_file")

    def __init__(
        self,
        environ: Mapping[str, str],
        *,
        api_url: str | None = None,
        token: str | None = None,
        token_file: str | None = None,
        profile: str | None = None,
    ) -> None:
        self.environ = environ
        self.api_url = api_url
        self.token = token
        self.token_file = token_file
        self.profile = profile
        self.io: IO | None = None

    def __repr__(self) -> str:
        return f"Invocation(api_url={self.api_url!r}, interactive={self.interactive})"

    @property
    def interactive(self) -> bool:
        """Whether it may ask questions: a command line without -n (a terminal is checked
        where a question is asked)."""
        return self.io is not None and self.io.is_interactive()
