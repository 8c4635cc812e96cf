"""A rejected token is named by where it came from, with the next step that fixes it there:
a stale NANOSERVICES_TOKEN is updated or unset (in CI: its secret), not logged in again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nanoctl.domain import errors
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words.errors import explain

PAGE = "https://atomic.deskree.com/auth/access/token"
NEW = f"Create a new token on {PAGE}"
ORIGINS = {
    "flag": TokenOrigin.FLAG,
    "stdin": TokenOrigin.STDIN,
    "env": TokenOrigin.ENVIRONMENT,
    "file": TokenOrigin.FILE,
    "env file": TokenOrigin.ENVIRONMENT_FILE,
    "prompt": TokenOrigin.PROMPT,
    "stored": TokenOrigin.STORED,
    "unknown": None,
}


@pytest.mark.parametrize(
    ("origin", "want"),
    [
        (
            "env",
            "The API rejected the token in NANOSERVICES_TOKEN as invalid. "
            f"{NEW} and update NANOSERVICES_TOKEN, or unset it.",
        ),
        (
            "flag",
            "The API rejected the token from the --token option as invalid. "
            f"{NEW} and log in again.",
        ),
        (
            "stdin",
            "The API rejected the token from standard input (--token -) as invalid. "
            f"{NEW} and log in again.",
        ),
        (
            "file",
            "The API rejected the token in the file given to --token-file as invalid. "
            f"{NEW} and write it to that file.",
        ),
        (
            "env file",
            "The API rejected the token in the file named by NANOSERVICES_TOKEN_FILE as invalid. "
            f"{NEW} and write it to that file, or unset NANOSERVICES_TOKEN_FILE.",
        ),
        ("prompt", f"The API rejected the token you entered as invalid. {NEW} and log in again."),
        (
            "stored",
            "The API rejected the stored token as invalid. "
            f"{NEW} and run `nanoctl login` to replace the stored one.",
        ),
        ("unknown", f"The API rejected the token as invalid. {NEW} and log in again."),
    ],
)
def test_an_invalid_token_is_named_by_its_source(origin: str, want: str) -> None:
    assert str(explain(errors.InvalidToken(origin=ORIGINS[origin]))) == want


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_in_ci_a_stale_environment_token_points_at_the_ci_secret(
    monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    assert str(explain(errors.InvalidToken(origin=TokenOrigin.ENVIRONMENT))) == (
        "The API rejected the token in NANOSERVICES_TOKEN as invalid. "
        f"{NEW} and update the CI secret that sets NANOSERVICES_TOKEN."
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_stale_environment_file_points_at_the_ci_secret(
    monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    assert str(explain(errors.InvalidToken(origin=TokenOrigin.ENVIRONMENT_FILE))) == (
        "The API rejected the token in the file named by NANOSERVICES_TOKEN_FILE as invalid. "
        f"{NEW} and update the CI secret written to the file NANOSERVICES_TOKEN_FILE names."
    )


@pytest.mark.parametrize("origin", [TokenOrigin.FLAG, TokenOrigin.FILE, TokenOrigin.STORED])
def test_in_ci_a_token_not_from_the_environment_keeps_its_own_fix(
    monkeypatch: pytest.MonkeyPatch, origin: TokenOrigin
) -> None:
    monkeypatch.setenv("CI", "true")
    assert "CI secret" not in str(explain(errors.InvalidToken(origin=origin)))


@pytest.mark.parametrize(
    ("error", "want"),
    [
        (
            errors.InactiveToken(origin=TokenOrigin.ENVIRONMENT),
            "The token in NANOSERVICES_TOKEN is no longer active (revoked or expired). "
            f"{NEW} and update NANOSERVICES_TOKEN, or unset it.",
        ),
        (
            errors.ForbiddenToken(origin=TokenOrigin.ENVIRONMENT),
            "The token in NANOSERVICES_TOKEN is valid but lacks permission to log in "
            f"(HTTP 403). Create a token with access to the platform on {PAGE} "
            "and update NANOSERVICES_TOKEN, or unset it.",
        ),
        (
            errors.ExpiredToken(
                "ada", datetime(2026, 11, 26, tzinfo=UTC), origin=TokenOrigin.STORED
            ),
            "The stored token for ada expired on 2026-11-26. "
            f"{NEW} and run `nanoctl login` to replace the stored one.",
        ),
        (
            errors.ForbiddenToken(origin=TokenOrigin.ENVIRONMENT_FILE),
            "The token in the file named by NANOSERVICES_TOKEN_FILE is valid but lacks "
            f"permission to log in (HTTP 403). Create a token with access to the platform on "
            f"{PAGE} and write it to that file, or unset NANOSERVICES_TOKEN_FILE.",
        ),
        (
            errors.ExpiredToken(None, None, origin=TokenOrigin.FLAG),
            "The token from the --token option expired on an unknown date. "
            f"{NEW} and log in again.",
        ),
    ],
)
def test_every_rejection_names_its_source(error: errors.TokenRejected, want: str) -> None:
    assert str(explain(error)) == want
