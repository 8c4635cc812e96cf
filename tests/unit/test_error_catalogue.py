"""docs/errors.md, the catalogue of every error users can meet (its kind, exit code and
sentences), is what tools/error_catalogue.py writes today, and leaves no error class out."""

from __future__ import annotations

from pathlib import Path

import pytest

import error_catalogue
from nanoctl.domain import (
    api_errors,
    command_line_errors,
    errors,
    handover_errors,
    request_errors,
    selection_errors,
    store_errors,
)
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.legacy import errors as legacy_errors

MODULES = (
    api_errors,
    command_line_errors,
    errors,
    handover_errors,
    request_errors,
    selection_errors,
    store_errors,
    legacy_errors,
)


def every_error_class() -> set[type[NanoctlError]]:
    """Every class of the one hierarchy, from every module of domain errors."""
    return {
        value
        for module in MODULES
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, NanoctlError)
    }


def test_the_committed_catalogue_is_the_one_the_words_write_today() -> None:
    written = error_catalogue.CATALOGUE.read_text(encoding="utf-8")
    assert written == error_catalogue.render(), (
        "docs/errors.md is stale: run `python tools/error_catalogue.py` and commit it"
    )


def test_every_error_class_has_an_example_in_the_catalogue() -> None:
    shown = {type(error) for error, _ in error_catalogue.examples()}
    assert sorted(c.__name__ for c in every_error_class() - shown) == []


def test_the_catalogue_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the guard: `--check` exits 1 when the file differs, 0 once rewritten."""
    stale = tmp_path / "errors.md"
    stale.write_text("an old catalogue\n", encoding="utf-8")
    monkeypatch.setattr(error_catalogue, "CATALOGUE", stale)
    assert error_catalogue.main(["--check"]) == 1
    assert error_catalogue.main([]) == 0
    assert error_catalogue.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == error_catalogue.render()
