"""Which typed words a message may repeat: names yes, anything that could be a token no."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_server
from nanoctl.entrypoints.words.shown import shown


@pytest.mark.parametrize(
    "word",
    ["logn", "whoami2", "Status", "--json2", "--Json", "-x", "--api_url", "--no-ansi", "x"],
)
def test_a_command_or_option_name_is_shown(word: str) -> None:
    assert shown(word)


@pytest.mark.parametrize(
    "word",
    [
        *reference_server.TOKENS.values(),
        "abc123XYZ",
        "--Abc123",
        "a" * 17,
        "---json",
        "has space",
        "tökén",
        "2fa",
        "",
        "-",
    ],
)
def test_a_word_that_could_be_a_token_is_not(word: str) -> None:
    assert not shown(word)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=16))
def test_no_name_longer_than_16_characters_is_ever_shown(rest: str) -> None:
    assert not shown("a" + rest)
    assert not shown("--a" + rest)
