"""The leak sweep itself must catch a planted token, or it proves nothing."""

from __future__ import annotations

from pathlib import Path

from tests import leaks


def test_sweep_finds_a_token_in_output_and_in_nested_files(tmp_path: Path) -> None:
    token = "nano_planted_token_Zx81"
    assert leaks.find_in_text(["ok", f"prefix {token} suffix"], [token]) == [token]
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "file.bin").write_bytes(b"\x00" + token.encode() + b"\x00")
    (tmp_path / "clean.txt").write_text("nothing here")
    assert leaks.find_in_files(tmp_path, [token]) == [(nested / "file.bin", token)]


def test_reference_tokens_are_known_to_the_sweep() -> None:
    import reference_server

    assert reference_server.VALID in leaks.known_tokens()
