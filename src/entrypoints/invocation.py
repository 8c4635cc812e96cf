"""What one run was given, before anything is built from it: the environment, the options of
the command line (or the Python API's arguments), whether it may ask questions, and the io
its -v lines and warnings go to. Split out of container.py, which builds from it."""

from __future__ import annotations

import os
from collections.abc import Mapping

from cleo.io.io import IO


class Invocation:
    """What one run was given: the environment, the options parsed from the command line
    (``token`` is the --token value, a secret; ``token_file`` the --token-file path;
    ``profile`` the --profile name), whether it may ask questions, and the io its -v lines
    and warnings go to (None: silent, as a library is)."""

    __slots__ = ("api_url", "environ", "interactive", "io", "profile", "token", "token_file")

    def __init__(
        self,
        environ: Mapping[str, str],
        *,
        api_url: str | None = None,
        token: str | None = None,
        token_file: str | None = None,
        profile: str | None = None,
        interactive: bool = False,
        io: IO | None = None,
    ) -> None:
        self.environ = environ
        self.api_url = api_url
        self.token = token
        self.token_file = token_file
        self.profile = profile
        self.interactive = interactive
        self.io = io

    def __repr__(self) -> str:
        return f"Invocation(api_url={self.api_url!r}, interactive={self.interactive})"

    @classmethod
    def of_command_line(cls, io: IO) -> Invocation:
        """The run cleo parsed into ``io``: its options, -n, and -v for diagnostics."""
        return cls(
            os.environ,
            api_url=_option(io, "api-url"),
            token=_option(io, "token"),
            token_file=_option(io, "token-file"),
            profile=_option(io, "profile"),
            interactive=io.is_interactive(),
            io=io,
        )


def _option(io: IO, name: str) -> str | None:
    value = io.input.option(name) if io.input.has_option(name) else None
    return value if isinstance(value, str) else None
