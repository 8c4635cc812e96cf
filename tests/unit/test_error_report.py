"""The error boundary: exit codes, one line, and nothing foreign rendered."""

from __future__ import annotations

import pytest

from nanoctl.domain import api_errors, errors
from nanoctl.domain import store_errors as storage
from nanoctl.entrypoints.cli.boundary import as_domain_error, safe_traceback
from nanoctl.entrypoints.cli.exit_codes import exit_code_of
from nanoctl.entrypoints.cli.main import normalize_argv
from nanoctl.entrypoints.words.errors import explain


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.MalformedToken("empty", None), 2),
        (errors.NoTokenAvailable(ci=False), 2),
        (errors.InsecureApiUrl("http://x"), 2),
        (errors.NotLoggedIn(), 1),
        (errors.CredentialForOtherApi("https://a", "https://b"), 1),
        (errors.InvalidToken(), 3),
        (errors.InactiveToken(), 3),
        (errors.ExpiredToken(None, None), 3),
        (errors.ForbiddenToken(), 3),
        (api_errors.ApiUnreachable("https://x", "refused"), 4),
        (api_errors.TlsFailure("https://x"), 4),
        (api_errors.RateLimited("https://x", 3600), 4),
        (api_errors.ServerError("https://x", 500), 4),
        (api_errors.NotJson("https://x"), 4),
        (storage.StorageError("x"), 5),
        (storage.DamagedCredential("x", "empty"), 5),
        (storage.ExposedToOthers("x", 0o644, directory=False), 5),
        (storage.StoreWriteFailed("x", "credential", "save", 28), 5),
        (errors.Cancelled(), 130),
        (errors.InternalError("ValueError"), 1),
    ],
)
def test_every_error_maps_to_its_documented_exit_code(
    error: errors.NanoctlError, code: int
) -> None:
    assert exit_code_of(error) == code
    assert "\n" not in str(error)
    words = explain(error)
    assert "\n" not in str(words)
    assert words.next_step or isinstance(error, errors.Cancelled)


def test_foreign_exception_text_is_never_rendered() -> None:
    secret = "nano_secret_in_a_foreign_message"
    try:
        try:
            raise ValueError(f"Invalid header value b'Bearer {secret}\\n'")
        except ValueError as inner:
            raise RuntimeError(secret) from inner
    except RuntimeError as error:
        rendered = as_domain_error(error)
        assert secret not in str(rendered)
        assert secret not in str(explain(rendered))
        assert "RuntimeError" in str(explain(rendered))
        trace = safe_traceback(error)
    assert secret not in trace
    assert "ValueError" in trace
    assert "test_error_report.py" in trace


def test_cleo_usage_errors_do_not_echo_what_looks_like_a_token() -> None:
    from cleo.exceptions import CleoCommandNotFoundError, CleoRuntimeError

    pasted = "nano_valid_ada_7Kq2xR9mZ4"
    for error in (
        CleoRuntimeError(f'No arguments expected for "login" command, got "{pasted}"'),
        CleoCommandNotFoundError(pasted, ["login", "logout"]),
    ):
        rendered = as_domain_error(error)
        assert isinstance(rendered, errors.UsageError)
        assert pasted not in str(rendered)
        assert pasted not in str(explain(rendered))
    typo = as_domain_error(CleoCommandNotFoundError("logn", ["login"]))
    assert '"logn"' in str(explain(typo))


@pytest.mark.parametrize(
    ("argv", "want"),
    [
        (["login", "--token", "-"], ["login", "--token=-"]),
        (["login", "-t", "-"], ["login", "--token=-"]),
        (["login", "-t-"], ["login", "--token=-"]),
        (["login", "--token=-"], ["login", "--token=-"]),
        (["login", "--token", "abc"], ["login", "--token", "abc"]),
        (["login", "--", "--token", "-"], ["login", "--", "--token", "-"]),
    ],
)
def test_argv_normalisation(argv: list[str], want: list[str]) -> None:
    assert normalize_argv(argv) == want
