"""What of an API's answer is masked before it is shown, and in which encoding.

`nanoctl api` writes the API's answer as it arrives, and an API may echo the token (a debug
endpoint, an error that quotes the request). Every body not declared binary is masked
(``masking.StreamMask``: the token and its encoded forms become ``***``) in the encoding its
``Content-Type`` declares: text, JSON, XML and a body with no ``Content-Type`` at all. A
body declared binary (``application/octet-stream``, images, audio, video, fonts, archives)
passes byte for byte: masking would corrupt it, and a token inside one is not read by
accident. The head that ``-i`` shows is text, masked alike.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from urllib.parse import urlsplit

from nanoctl.domain.masking import REPLACEMENT, StreamMask, token_forms

_BINARY_TOP_TYPES = frozenset({"image", "audio", "video", "font"})
_BINARY_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/x-7z-compressed",
        "application/x-rar-compressed",
        "application/vnd.rar",
        "application/java-archive",
        "application/x-compress",
        "application/pdf",
        "application/wasm",
    }
)
"""Media types of bodies that are bytes, not text (besides image/*, audio/*, video/*,
font/*): raw bytes and archives."""
_TEXT_SUFFIXES = ("+json", "+xml")
"""``image/svg+xml`` is XML text, whatever its top type says."""
_WIDE = {"utf-16": ("utf-16-le", "utf-16-be"), "utf-32": ("utf-32-le", "utf-32-be")}
"""A wide encoding with a byte-order mark may be either order: both are masked."""
_PROBE = "nano_AZaz09+/=%-\\"
"""The characters of a token's forms: a codec that writes them as ASCII does needs no mask
of its own."""


def media_type(content_type: str | None) -> str:
    """``application/json`` of ``application/json; charset=utf-8`` (lower case; "" for none)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def declared_binary(content_type: str | None) -> bool:
    """Whether ``content_type`` declares a body of bytes, passed on byte for byte."""
    media = media_type(content_type)
    if media.endswith(_TEXT_SUFFIXES):
        return False
    return media.partition("/")[0] in _BINARY_TOP_TYPES or media in _BINARY_TYPES


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of ``content_type``, unquoted, or None."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


class MaskChain:
    """Several StreamMasks, one after the other: one per encoding the token's forms are
    looked for in. ``feed`` and ``end`` as StreamMask's."""

    __slots__ = ("_masks",)

    def __init__(self, masks: Iterable[StreamMask]) -> None:
        self._masks = tuple(masks)

    def __repr__(self) -> str:
        return f"MaskChain({len(self._masks)} masks)"

    def feed(self, chunk: bytes) -> bytes:
        for mask in self._masks:
            chunk = mask.feed(chunk)
        return chunk

    def end(self) -> bytes:
        rest = b""
        for mask in self._masks:
            rest = mask.feed(rest) + mask.end()
        return rest


def body_mask(content_type: str | None, secret: str) -> MaskChain | None:
    """The mask of a body declared ``content_type``, or None for one declared binary.

    The token's forms are looked for as ASCII (what UTF-8, Latin-1 and every other
    ASCII-compatible charset write them as) and, when the declared charset writes them
    otherwise (UTF-16, UTF-32, EBCDIC...), in that charset too, with ``***`` written in it.
    """
    if declared_binary(content_type):
        return None
    forms = token_forms(secret)
    masks = [StreamMask(form.encode("ascii") for form in forms)]
    for codec in _codecs_of(charset_of(content_type)):
        try:
            patterns = [form.encode(codec) for form in forms]
            replacement = "***".encode(codec)
        except UnicodeError:
            continue
        masks.append(StreamMask(patterns, replacement))
    return MaskChain(masks)


def _codecs_of(charset: str | None) -> tuple[str, ...]:
    """The codecs besides ASCII that the token's forms are looked for in."""
    if charset is None:
        return ()
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return ()
    if name in _WIDE:
        return _WIDE[name]
    try:
        if _PROBE.encode(name) == _PROBE.encode("ascii"):
            return ()
    except UnicodeError:
        return ()
    return (name,)


def masked_text(text: str, secret: str) -> str:
    """``text`` (a header line) with the token and its forms replaced by ``***``."""
    mask = StreamMask(form.encode("ascii") for form in token_forms(secret))
    data = text.encode("utf-8", "surrogateescape")
    return (mask.feed(data) + mask.end()).decode("utf-8", "surrogateescape")


def masked_location(location: str) -> str:
    """A redirect's ``Location`` as ``-i`` shows it: where it points (scheme, host and
    port), its path and query masked, for a redirect may carry a token there."""
    try:
        parts = urlsplit(location.strip())
        netloc = parts.netloc.rpartition("@")[2]
    except ValueError:
        return REPLACEMENT.decode()
    origin = f"{parts.scheme}://{netloc}" if parts.scheme else ""
    path = "/***" if parts.path.strip("/") else parts.path
    query = "?***" if parts.query else ""
    fragment = "#***" if parts.fragment else ""
    return f"{origin}{path}{query}{fragment}"
