"""The token as it can appear in a program's output, and a byte stream that hides it.

A program handed the token (``nanoctl exec``) or an API that echoes it (``nanoctl api``) can
print it raw, or in a form a reader of a log would not recognise at a glance: base64 (a Basic
auth header, a Kubernetes secret), URL-encoded (a query string), JSON-escaped. Whatever
nanoctl relays passes through a ``StreamMask`` that replaces each of those forms by ``***``
as the bytes stream: a form split across two reads is still found, and only bytes that could
begin a form are held back, only until the next bytes show they do not (the approach of the
GitHub Actions runner's secret masker, with 1Password's ``op run`` as the model of relaying).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from urllib.parse import quote

REPLACEMENT = b"***"
MIN_DERIVED_FORM = 8
"""A derived form shorter than this (the base64 of a very short token, say) would mask
ordinary text; the token itself is always masked, whatever its length."""


_HTML_SAFE_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
"""How Go's encoding/json escapes the characters HTML gives a meaning (its default)."""


def token_forms(secret: str) -> tuple[str, ...]:
    """``secret`` and the encodings it travels in: base64 and base64url at each of the three
    byte offsets it can start at (so also inside a longer encoded text, as in
    ``printf 'x:%s' "$TOKEN" | base64``), URL-encoded (upper- and lower-case hex, with and
    without ``/`` kept) and JSON-escaped (with ``/`` as is and as ``\\/``, as PHP writes it,
    and with ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``, as Go's
    encoding/json writes them). Longest first."""
    escaped = json.dumps(secret)[1:-1]
    derived = {
        quote(secret, safe=""),
        _lower_hex(quote(secret, safe="")),
        quote(secret, safe="/"),
        escaped,
        escaped.replace("/", "\\/"),
        escaped.translate(_HTML_SAFE_JSON),
    }
    raw = secret.encode("utf-8")
    for offset in range(3):
        tail = raw[offset:]
        whole = len(tail) * 4 // 3  # the characters that depend on ``tail`` alone
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            derived.add(encode(tail)[:whole].decode("ascii"))
    forms = {form for form in derived if len(form) >= MIN_DERIVED_FORM}
    forms.add(secret)
    forms.discard("")
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


def _lower_hex(quoted: str) -> str:
    parts = quoted.split("%")
    return parts[0] + "".join(f"%{part[:2].lower()}{part[2:]}" for part in parts[1:])


class StreamMask:
    """Replaces every occurrence of any of ``patterns`` in a stream of bytes by ``***``
    (``replacement``: ``***`` in the stream's encoding, for one that is not ASCII's).

    ``feed`` returns what may be written now; ``end`` what was held back, once the stream is
    over (an unfinished prefix of a form is not the form). Memory stays bounded by the
    longest pattern, whatever the length of the stream.
    """

    __slots__ = ("_firsts", "_held", "_longest", "_patterns", "_replacement")

    def __init__(self, patterns: Iterable[bytes], replacement: bytes = REPLACEMENT) -> None:
        self._replacement = replacement
        unique = {pattern for pattern in patterns if pattern}
        # Longest first: of two forms found at the same place, the longer one is hidden.
        self._patterns = tuple(sorted(unique, key=lambda p: (-len(p), p)))
        self._firsts = bytes(sorted({pattern[0] for pattern in unique}))
        self._longest = max((len(p) for p in unique), default=0)
        self._held = b""

    def __repr__(self) -> str:
        return f"StreamMask({len(self._patterns)} patterns)"

    def feed(self, chunk: bytes) -> bytes:
        data = self._held + chunk if self._held else chunk
        masked, done = self._replace(data)
        hold_from = self._partial_start(data, done)
        self._held = data[hold_from:]
        return masked + data[done:hold_from]

    def end(self) -> bytes:
        held, self._held = self._held, b""
        return held

    def _replace(self, data: bytes) -> tuple[bytes, int]:
        """``data`` up to the end of its last whole pattern, masked, and where that is."""
        if not self._patterns:
            return b"", 0
        pieces: list[bytes] = []
        position = 0
        found = [data.find(pattern) for pattern in self._patterns]
        while True:
            start, index = min(((at, i) for i, at in enumerate(found) if at >= 0), default=(-1, -1))
            if start < 0:
                break
            pieces += (data[position:start], self._replacement)
            position = start + len(self._patterns[index])
            found = [
                at if at >= position or at < 0 else data.find(pattern, position)
                for at, pattern in zip(found, self._patterns, strict=True)
            ]
        return b"".join(pieces), position

    def _partial_start(self, data: bytes, done: int) -> int:
        """Where the longest end of ``data`` (after ``done``) that begins a pattern starts;
        ``len(data)`` when no end of it does."""
        window = max(done, len(data) - self._longest + 1)
        candidates = sorted(at for first in self._firsts for at in _positions(data, first, window))
        view = memoryview(data)
        for at in candidates:
            rest = view[at:]
            if any(pattern.startswith(rest) for pattern in self._patterns):
                return at
        return len(data)


def _positions(data: bytes, byte: int, start: int) -> Iterable[int]:
    at = data.find(byte, start)
    while at >= 0:
        yield at
        at = data.find(byte, at + 1)
