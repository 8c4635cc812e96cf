"""What of an API's answer `nanoctl api` masks, and in which encoding (#24): every body not
declared binary, in the charset its Content-Type declares; the head -i shows."""

from __future__ import annotations

import base64
import codecs
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanoctl.domain.answer_masking import (
    MaskChain,
    body_mask,
    charset_of,
    declared_binary,
    masked_location,
    masked_text,
)

TOKEN = "nano_valid_ada_7Kq2xR9mZ4"


def through(mask: MaskChain, data: bytes, cuts: list[int]) -> bytes:
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(data)), len(data)]
    return b"".join(mask.feed(data[a:b]) for a, b in pairwise(bounds)) + mask.end()


@pytest.mark.parametrize(
    "content_type",
    [
        "application/octet-stream",
        "image/png",
        "IMAGE/JPEG; q=1",
        "audio/ogg",
        "video/mp4",
        "font/woff2",
        "application/zip",
        "application/gzip",
        "application/x-tar",
        "application/pdf",
    ],
)
def test_a_body_declared_binary_is_not_masked(content_type: str) -> None:
    assert declared_binary(content_type)
    assert body_mask(content_type, TOKEN) is None


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "application/json",
        "application/problem+json",
        "text/plain; charset=utf-8",
        "text/html",
        "application/xml",
        "image/svg+xml",
        "application/x-www-form-urlencoded",
        "application/vnd.unknown",
        "garbage",
    ],
)
def test_every_other_body_is_masked(content_type: str | None) -> None:
    assert not declared_binary(content_type)
    mask = body_mask(content_type, TOKEN)
    assert mask is not None
    body = f'{{"authorization": "Bearer {TOKEN}"}}'.encode()
    assert through(mask, body, [20]) == b'{"authorization": "Bearer ***"}'


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("text/plain; charset=utf-16", "utf-16"),
        ('text/plain;charset="UTF-8"', "UTF-8"),
        ("application/json; boundary=x; Charset=latin-1", "latin-1"),
        ("application/json", None),
        (None, None),
    ],
)
def test_the_charset_is_read_from_the_content_type(
    content_type: str | None, charset: str | None
) -> None:
    assert charset_of(content_type) == charset


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp500"]
)
def test_a_wide_or_non_ascii_charset_is_masked_in_that_charset(codec: str) -> None:
    encoded = base64.b64encode(TOKEN.encode()).decode()
    text = f'{{"echo": "Bearer {TOKEN}", "b64": "{encoded}"}}'
    body = text.encode(codec)
    mask = body_mask(f"application/json; charset={codec}", TOKEN)
    assert mask is not None

    out = through(mask, body, list(range(1, len(body), 7)))

    shown = out.decode(codec)
    # the base64 form's last characters depend on what follows the token: they stay
    assert shown == f'{{"echo": "Bearer ***", "b64": "***{encoded[-3:]}"}}'
    assert out.startswith(codecs.BOM_UTF16_LE) == body.startswith(codecs.BOM_UTF16_LE)


def test_a_utf16_body_declared_as_utf16_is_masked_in_both_byte_orders() -> None:
    for order in ("utf-16-le", "utf-16-be"):
        mask = body_mask("text/plain; charset=utf-16", TOKEN)
        assert mask is not None
        assert through(mask, f"x {TOKEN} y".encode(order), [5]).decode(order) == "x *** y"


def test_a_body_in_an_ascii_compatible_charset_needs_only_the_ascii_mask() -> None:
    mask = body_mask("text/plain; charset=iso-8859-1", TOKEN)
    assert mask is not None
    assert repr(mask) == "MaskChain(1 masks)"
    assert through(mask, f"é {TOKEN}".encode("latin-1"), [3]) == "é ***".encode("latin-1")


def test_an_unknown_charset_is_masked_as_ascii() -> None:
    mask = body_mask("text/plain; charset=x-klingon", TOKEN)
    assert mask is not None
    assert through(mask, TOKEN.encode(), [4]) == b"***"


@given(st.binary(max_size=200), st.lists(st.integers(0, 260), max_size=6))
def test_a_masked_body_without_the_token_passes_unchanged(data: bytes, cuts: list[int]) -> None:
    """Nothing is held back for good, added or lost: only the token's forms change."""
    mask = body_mask("text/plain; charset=utf-16", TOKEN)
    assert mask is not None
    assert through(mask, data, cuts) == data


def test_a_header_line_is_masked_in_every_form() -> None:
    encoded = base64.b64encode(f"x:{TOKEN}".encode()).decode()
    shown = masked_text(f"Bearer {TOKEN}, Basic {encoded}", TOKEN)
    assert shown.startswith("Bearer ***, Basic ")
    assert TOKEN not in shown
    assert encoded[4:-4] not in shown


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("http://127.0.0.2:8765/public/deployment/echo?token=abc", "http://127.0.0.2:8765/***?***"),
        ("/public/deployment/x?token=abc#frag", "/***?***#***"),
        ("https://user:pw@elsewhere.test/", "https://elsewhere.test/"),
        ("https://elsewhere.test", "https://elsewhere.test"),
    ],
)
def test_a_location_shows_where_it_points_not_its_path_or_query(location: str, shown: str) -> None:
    assert masked_location(location) == shown
