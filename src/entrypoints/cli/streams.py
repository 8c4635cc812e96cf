"""The process's standard streams, made fit for nanoctl before anything is written: a closed
one replaced (and marked), characters a terminal cannot show written in ASCII, no crash on
an encoding error."""

from __future__ import annotations

import codecs
import os
import sys

TYPE_CHECKING = False  # typing itself costs ~5 ms, a third of `nanoctl --version`
if TYPE_CHECKING:
    from collections.abc import Mapping

# What the few non-ASCII characters nanoctl writes become where they cannot be shown.
_ASCII = {"✓": "OK", "✗": "X", "—": "-", "…": "..."}
_FALLBACK = "nanoctl-ascii"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: our characters in ASCII, anything else escaped."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    shown = "".join(_ASCII.get(c) or c.encode("ascii", "backslashreplace").decode() for c in text)
    return shown, error.end


def _terminal_shows_ascii_only(environ: Mapping[str, str]) -> bool:
    """Under a C or POSIX locale (`LANG=C`) Python writes UTF-8 all the same (PEP 538 and
    540), while the terminal shows ASCII: the user's locale says what it can show. Not
    when UTF-8 was asked for (PYTHONUTF8, -X utf8, PYTHONIOENCODING)."""
    if not sys.flags.utf8_mode or "utf8" in sys._xoptions:
        return False
    if environ.get("PYTHONUTF8") or environ.get("PYTHONIOENCODING"):
        return False
    # LC_CTYPE is skipped: Python itself sets it to C.UTF-8 when it coerces a C locale.
    name = (environ.get("LC_ALL") or environ.get("LANG") or "").lower()
    return "utf-8" not in name and "utf8" not in name


_CLOSED_MARK = "nanoctl_stands_in_for_a_closed_stream"


def was_closed(stream: object) -> bool:
    """Whether ``stream`` is what prepare_streams put where a closed one was."""
    return getattr(stream, _CLOSED_MARK, False) is True


def prepare_streams(environ: Mapping[str, str]) -> None:
    if sys.stdin is None:
        # A closed descriptor (`nanoctl login --token - <&-`) reads as empty, so the
        # command reports what is missing instead of failing inside.
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    codecs.register_error(_FALLBACK, _ascii_fallback)
    ascii_only = _terminal_shows_ascii_only(environ)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            # Closed (`nanoctl logout >&-`): what would go there is lost anyway, and
            # the command must still run and exit with its own code. Marked, for a
            # command whose output is its result (`nanoctl token`).
            stand_in = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(stand_in, _CLOSED_MARK, True)
            setattr(sys, name, stand_in)
            continue
        # A terminal that cannot show "✓" gets "OK" (and no crash on an encoding error).
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            if ascii_only:
                reconfigure(encoding="ascii", errors=_FALLBACK)
            else:
                reconfigure(errors=_FALLBACK)
