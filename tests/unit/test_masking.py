"""The token's forms and the stream that hides them: what exec and api relay."""

from __future__ import annotations

import base64
import json
import re
from itertools import pairwise
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from nanoctl.domain.masking import StreamMask, token_forms

TOKEN = "nano_valid_ada_7Kq2xR9mZ4"
ODD = 'nano/odd+"tok\\en=?&_9Q'
"""A token with every character that URL, JSON and base64 treat specially."""


def masked(data: bytes, patterns: list[bytes], cuts: list[int] | None = None) -> bytes:
    """``data`` through a StreamMask, fed in pieces cut at ``cuts``."""
    mask = StreamMask(patterns)
    bounds = [0, *sorted(c for c in (cuts or []) if 0 < c < len(data)), len(data)]
    out = b"".join(mask.feed(data[a:b]) for a, b in pairwise(bounds))
    return out + mask.end()


def forms(token: str) -> list[bytes]:
    return [form.encode() for form in token_forms(token)]


def test_the_token_and_each_encoding_of_it_is_hidden() -> None:
    encodings = [
        ODD,
        quote(ODD, safe=""),
        quote(ODD, safe="/"),
        re.sub("%[0-9A-F]{2}", lambda escape: escape.group(0).lower(), quote(ODD, safe="")),
        json.dumps(ODD),
        json.dumps(ODD).replace("/", "\\/"),
    ]
    for text in encodings:
        out = masked(f"before {text} after".encode(), forms(ODD))
        assert out.startswith(b"before ") and out.endswith(b" after"), out
        assert ODD.encode() not in out and b"***" in out


def test_the_token_as_go_escapes_it_in_json_is_hidden() -> None:
    """Go's encoding/json writes <, > and & as \\u003c, \\u003e and \\u0026 by default."""
    token = "nano<tok>&en_7Kq2"
    go_json = '"nano\\u003ctok\\u003e\\u0026en_7Kq2"'
    assert masked(f'{{"token": {go_json}}}'.encode(), forms(token)) == b'{"token": "***"}'


def test_base64_of_the_token_is_hidden_at_every_byte_offset() -> None:
    for prefix in (b"", b"x", b"x:", b"abc:", b"Basic "):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(prefix + ODD.encode() + b"\n")
            out = masked(encoded, forms(ODD))
            assert b"***" in out, (prefix, encoded)
            # What is left cannot give the token back: at most a few characters of it.
            left = out.replace(b"***", b"")
            assert len(left) <= len(encode(prefix)) + 8


def test_a_short_token_is_hidden_but_no_short_derived_form_masks_ordinary_text() -> None:
    short_forms = token_forms("ab1")
    assert short_forms == ("ab1",)
    assert masked(b"YWIx is not ab1", forms("ab1")) == b"YWIx is not ***"


def test_a_form_split_across_reads_is_hidden_for_every_cut() -> None:
    data = f"token={TOKEN}; again {TOKEN}!".encode()
    for cut in range(len(data) + 1):
        assert masked(data, forms(TOKEN), [cut]) == b"token=***; again ***!"


def test_bytes_that_cannot_begin_the_token_are_never_held() -> None:
    mask = StreamMask(forms(TOKEN))
    assert mask.feed(b"Password: ") == b"Password: "
    assert mask.feed(b"no newline here?") == b"no newline here?"


def test_only_a_possible_beginning_is_held_and_only_until_it_is_ruled_out() -> None:
    mask = StreamMask(forms(TOKEN))
    assert mask.feed(b"value: nano_va") == b"value: "
    assert mask.feed(b"cation\n") == b"nano_vacation\n"
    assert mask.feed(b"end nan") == b"end "
    assert mask.end() == b"nan"  # the stream is over: a beginning is not the token


def test_binary_data_passes_byte_for_byte() -> None:
    data = bytes(range(256)) * 64 + b"\x00\xff" * 1000
    for cuts in ([], [1, 2, 3, 700, 5000], list(range(0, len(data), 333))):
        assert masked(data, forms(TOKEN), cuts) == data


def test_the_longer_form_wins_where_two_start_at_the_same_place() -> None:
    assert masked(b"[abcdef]", [b"abc", b"abcdef"]) == b"[***]"


def test_memory_stays_bounded_by_the_longest_form() -> None:
    mask = StreamMask(forms(TOKEN))
    chunk = (b"n" * 4095 + b"\n") * 16
    for _ in range(100):
        mask.feed(chunk)
        assert len(mask._held) < max(len(f) for f in forms(TOKEN))
    mask.feed(b"nano_valid_ada_7Kq2")  # a real beginning is held, and no more
    assert mask._held == b"nano_valid_ada_7Kq2"


def test_its_repr_shows_no_form() -> None:
    assert TOKEN not in repr(StreamMask(forms(TOKEN)))


_tokens = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="*"),
    min_size=1,
    max_size=60,
)


@given(
    token=_tokens,
    pieces=st.lists(st.binary(max_size=40), max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=12),
)
def test_no_form_survives_any_text_cut_anywhere(
    token: str, pieces: list[bytes], cuts: list[int]
) -> None:
    patterns = forms(token)
    data = token.encode().join(pieces) if len(pieces) > 1 else b"".join(pieces) + token.encode()
    out = masked(data, patterns, cuts)
    for pattern in patterns:
        assert pattern not in out


@given(
    token=_tokens,
    pieces=st.lists(st.binary(max_size=40), max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=12),
)
def test_streaming_gives_what_one_replacement_of_the_whole_gives(
    token: str, pieces: list[bytes], cuts: list[int]
) -> None:
    secret = token.encode()
    data = secret.join(pieces)
    assert masked(data, [secret], cuts) == data.replace(secret, b"***")
