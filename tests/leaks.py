"""The leak sweep: every token a test uses must never show up in output or files.

Tokens are known from the reference server's catalogue plus anything a test
registers. tests/conftest.py scans each test's captured output (pytest's capture
sections, which include every subprocess output the harness echoes) and every file
under its temporary HOME, and fails the run on a hit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

_registered: set[str] = set()


def register(*tokens: str) -> None:
    _registered.update(t for t in tokens if len(t) >= 8)


def known_tokens() -> set[str]:
    import reference_server

    return set(reference_server.TOKENS.values()) | _registered


def find_in_text(texts: Iterable[str], tokens: Iterable[str]) -> list[str]:
    tokens = list(tokens)
    return sorted({t for text in texts for t in tokens if t in text})


def find_in_files(root: Path, tokens: Iterable[str]) -> list[tuple[Path, str]]:
    needles = [(t, t.encode()) for t in tokens]
    hits: list[tuple[Path, str]] = []
    if not root.exists():
        return hits
    for path in root.rglob("*"):
        try:
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
        except OSError:
            continue
        hits.extend((path, t) for t, raw in needles if raw in data)
    return hits
