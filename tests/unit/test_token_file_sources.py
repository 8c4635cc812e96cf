"""The token sources that read files (--token-file, NANOSERVICES_TOKEN_FILE), on the real
filesystem: which origin, which rank, what is refused and what is only warned about."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nanoctl.adapters.terminal.token_file import MAX_TOKEN_FILE, read_token_file
from nanoctl.adapters.terminal.token_sources import EnvironmentTokenSource, FlagTokenSource
from nanoctl.domain.errors import ConflictingTokenSources, MalformedToken, TokenFileUnusable
from nanoctl.domain.events import TokenFileExposed
from nanoctl.domain.model import MAX_TOKEN_INPUT
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words.errors import explain
from tests.fakes import RecordingWarnings
from tests.unit.test_token_input import terminal

TOKEN = "file-token-0001"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "token"
    file.write_text(f"\r\n\t {TOKEN} \n")
    file.chmod(0o600)
    return file


def test_the_environment_file_is_read_trimmed_and_named_as_its_origin(path: Path) -> None:
    source = EnvironmentTokenSource({"NANOSERVICES_TOKEN_FILE": str(path)})
    assert source.origin is TokenOrigin.ENVIRONMENT_FILE
    token = source.read()
    assert token is not None
    assert token.reveal() == TOKEN


def test_the_variable_alone_keeps_its_origin() -> None:
    assert EnvironmentTokenSource({"NANOSERVICES_TOKEN": TOKEN}).origin is TokenOrigin.ENVIRONMENT
    assert EnvironmentTokenSource({}).origin is TokenOrigin.ENVIRONMENT


def test_both_variables_set_is_a_conflict(path: Path) -> None:
    source = EnvironmentTokenSource(
        {"NANOSERVICES_TOKEN": TOKEN, "NANOSERVICES_TOKEN_FILE": str(path)}
    )
    with pytest.raises(ConflictingTokenSources) as caught:
        source.read()
    assert (caught.value.first, caught.value.second) == (
        TokenOrigin.ENVIRONMENT,
        TokenOrigin.ENVIRONMENT_FILE,
    )


def test_an_empty_variable_beside_the_file_counts_as_unset(path: Path) -> None:
    """#19: an empty variable is unset (with a warning), not half of a conflict."""
    source = EnvironmentTokenSource(
        {"NANOSERVICES_TOKEN": "", "NANOSERVICES_TOKEN_FILE": str(path)}
    )
    assert source.origin is TokenOrigin.ENVIRONMENT_FILE
    token = source.read()
    assert token is not None
    assert token.reveal() == TOKEN


def test_the_flag_file_is_read_and_named_as_its_origin(path: Path) -> None:
    source = FlagTokenSource(None, terminal(), file=str(path))
    assert source.origin is TokenOrigin.FILE
    token = source.read()
    assert token is not None
    assert token.reveal() == TOKEN
    assert repr(source) == "FlagTokenSource(origin='file')"


@pytest.mark.parametrize(("value", "origin"), [(TOKEN, TokenOrigin.FLAG), ("-", TokenOrigin.STDIN)])
def test_token_and_token_file_together_conflict(
    path: Path, value: str, origin: TokenOrigin
) -> None:
    source = FlagTokenSource(value, terminal(TOKEN, tty=False), file=str(path))
    with pytest.raises(ConflictingTokenSources) as caught:
        source.read()
    assert (caught.value.first, caught.value.second) == (origin, TokenOrigin.FILE)
    assert TOKEN not in str(explain(caught.value))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o440])
def test_a_file_others_can_read_is_read_with_a_warning(path: Path, mode: int) -> None:
    path.chmod(mode)
    warnings = RecordingWarnings()
    token = read_token_file(str(path), TokenOrigin.FILE, warnings)
    assert token.reveal() == TOKEN
    [event] = warnings.events
    assert isinstance(event, TokenFileExposed)
    assert (event.path, event.mode, event.origin) == (str(path), mode, TokenOrigin.FILE)


def test_a_private_file_is_read_without_a_warning(path: Path) -> None:
    warnings = RecordingWarnings()
    read_token_file(str(path), TokenOrigin.FILE, warnings)
    assert warnings.events == []


def test_a_character_device_is_not_a_regular_file() -> None:
    with pytest.raises(TokenFileUnusable) as caught:
        read_token_file(os.devnull, TokenOrigin.ENVIRONMENT_FILE, RecordingWarnings())
    assert caught.value.problem == "not_regular"
    assert str(explain(caught.value)) == (  # #23: pipes are read now
        f"The token file {os.devnull} (named by NANOSERVICES_TOKEN_FILE) is neither a regular "
        "file nor a pipe. Write the token to a regular file, or pass it in NANOSERVICES_TOKEN."
    )


def test_a_file_under_a_regular_file_is_unreadable_with_the_os_reason(path: Path) -> None:
    below = path / "token"
    with pytest.raises(TokenFileUnusable) as caught:
        read_token_file(str(below), TokenOrigin.FILE, RecordingWarnings())
    assert caught.value.problem == "unreadable"
    assert str(explain(caught.value)) == (
        f"The token file {below} (given to --token-file) cannot be read: not a directory. "
        "Make the file readable by your user, or name another one."
    )


def test_one_byte_over_the_cap_is_too_much_input_and_not_read_whole(tmp_path: Path) -> None:
    # The cap is the one of `--token -` (#10 item 7): the words say the file is too big, not
    # that a one-character token is "longer than 4096 characters".
    big = tmp_path / "big"
    big.write_bytes(b" " * MAX_TOKEN_FILE + b"x")
    with pytest.raises(MalformedToken) as caught:
        read_token_file(str(big), TokenOrigin.FILE, RecordingWarnings())
    assert (caught.value.problem, caught.value.path) == ("too_much_input", str(big))
    assert MAX_TOKEN_FILE == MAX_TOKEN_INPUT == 1024 * 1024
    assert str(explain(caught.value)) == (
        f"The token from the file {big} (given to --token-file) is malformed: the file holds "
        "more than 1,048,576 bytes. Copy the whole token again; it is 1 to 4096 visible ASCII "
        "characters."
    )


def test_whitespace_up_to_the_cap_is_trimmed(tmp_path: Path) -> None:
    padded = tmp_path / "padded"
    padded.write_bytes(b"\n" * (MAX_TOKEN_FILE - len(TOKEN)) + TOKEN.encode())
    assert read_token_file(str(padded), TokenOrigin.FILE, RecordingWarnings()).reveal() == TOKEN


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("/run/secrets/missing", True),
        ("./missing", True),
        ("../missing", True),
        ("missing-token-Zq81xw", False),
        ("token.txt", True),  # #23: a file name's end, which no token has
        ("TOKEN.JSON", True),
        ("secret.key", True),
        ("a b.txt", False),  # not a file name a token could not be
    ],
)
def test_a_missing_file_is_named_only_when_it_looks_like_a_path(value: str, shown: bool) -> None:
    with pytest.raises(TokenFileUnusable) as caught:
        read_token_file(value, TokenOrigin.FILE, RecordingWarnings())
    assert (value in str(explain(caught.value))) is shown


def test_a_leading_tilde_is_the_home_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """#23: `~/` as .env files and systemd units write it, which no shell expanded."""
    monkeypatch.setenv("HOME", "/home/ada")
    with pytest.raises(TokenFileUnusable) as caught:
        read_token_file("~/missing", TokenOrigin.ENVIRONMENT_FILE, RecordingWarnings())
    assert caught.value.path == "/home/ada/missing"
    assert "/home/ada/missing (named by NANOSERVICES_TOKEN_FILE)" in str(explain(caught.value))


def test_an_unreadable_error_without_an_errno_still_says_so() -> None:
    error = TokenFileUnusable("/x", TokenOrigin.FILE, "unreadable", None)
    assert str(explain(error)).startswith(
        "The token file /x (given to --token-file) cannot be read: the system gave no reason."
    )


def test_the_errors_repr_never_shows_a_value_that_may_be_a_token() -> None:
    hidden = TokenFileUnusable("pasted-token-Zq81xw", TokenOrigin.FILE, "missing")
    shown = TokenFileUnusable("/run/secrets/nano", TokenOrigin.ENVIRONMENT_FILE, "missing")
    assert "pasted-token-Zq81xw" not in repr(hidden) + str(hidden)
    assert "(not shown)" in repr(hidden)
    assert "/run/secrets/nano" in repr(shown)
