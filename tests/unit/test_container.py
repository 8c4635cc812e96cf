"""The composition root: every provider builds, from one Invocation, what the ports need."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dependency_injector import providers

from nanoctl.domain.authenticate import Authenticate
from nanoctl.domain.errors import InvalidTimeout
from nanoctl.domain.events import Silent
from nanoctl.domain.model import ApiUrl, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.store_errors import StoreUnsupported
from nanoctl.entrypoints.container import Container, for_invocation
from nanoctl.entrypoints.deferred import Deferred
from nanoctl.entrypoints.invocation import Invocation
from nanoctl.entrypoints.settings import Settings

if TYPE_CHECKING:
    from tests.unit.deferred_probe import Thing  # noqa: F401 - named by Deferred["Thing"]
from nanoctl.entrypoints.words.errors import explain

URL = "https://api.example.test/base"


def built(invocation: Invocation) -> Container:
    return for_invocation(invocation)


def test_every_provider_builds_the_adapter_or_use_case_it_names(isolated_home: Path) -> None:
    c = built(Invocation({}, api_url=URL))
    c.check_dependencies()
    assert c.api_url() == ApiUrl.parse(URL)
    assert c.selection().api_url == ApiUrl.parse(URL)
    assert c.selection().api_url_from == "argument"  # the Python API's api_url=
    assert repr(c.store()).startswith("RememberedStore(EncryptedFileStore(")
    kinds = {
        name: type(getattr(c, name)()).__name__
        for name in (
            "diagnostics",
            "terminal",
            "clock",
            "validator",
            "store",
            "profiles",
            "selection",
            "environment_token",
            "flag_token",
            "prompt_token",
            "confirmation",
            "authenticate",
            "logout",
            "resolve_credential",
            "status",
            "check_credential",
            "command_runner",
            "api_client",
            "call_api",
        )
    }
    assert kinds == {
        "diagnostics": "Silent",
        "terminal": "Terminal",
        "clock": "SystemClock",
        "validator": "RequestsTokenValidator",
        "store": "RememberedStore",
        "profiles": "RememberedProfiles",
        "selection": "Selection",
        "environment_token": "EnvironmentTokenSource",
        "flag_token": "FlagTokenSource",
        "prompt_token": "PromptTokenSource",
        "confirmation": "TerminalReplaceConfirmation",
        "authenticate": "Authenticate",
        "logout": "Logout",
        "resolve_credential": "ResolveCredential",
        "status": "Status",
        "check_credential": "CheckCredential",
        "command_runner": "ChildProcessRunner",
        "api_client": "RequestsApiClient",
        "call_api": "CallApi",
    }


@pytest.mark.parametrize(
    ("value", "origin"), [("flag-token-0001", TokenOrigin.FLAG), ("-", TokenOrigin.STDIN)]
)
def test_the_flag_source_reads_the_token_option_of_the_invocation(
    value: str, origin: TokenOrigin
) -> None:
    source = built(Invocation({}, token=value)).flag_token()
    assert source.origin is origin
    assert value not in repr(source)


def test_the_flag_source_reads_the_token_file_option_of_the_invocation(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("file-token-0001\n")
    path.chmod(0o600)
    source = built(Invocation({}, token_file=str(path))).flag_token()
    assert source.origin is TokenOrigin.FILE
    token = source.read()
    assert token is not None
    assert token.reveal() == "file-token-0001"


def test_the_environment_source_reads_the_invocations_environment() -> None:
    source = built(Invocation({"NANOSERVICES_TOKEN": "env-token-0001"})).environment_token()
    token = source.read()
    assert isinstance(token, Token)
    assert token.reveal() == "env-token-0001"


def test_a_library_run_is_silent_and_never_asks() -> None:
    c = built(Invocation({}))
    assert isinstance(c.diagnostics(), Silent)
    assert c.terminal().can_prompt is False


def test_a_container_serves_one_run_and_the_next_run_gets_its_own_pieces() -> None:
    c = Container()
    first = for_invocation(Invocation({}, token="first-token-01"), lambda: c)
    terminal = first.terminal()
    second = for_invocation(Invocation({}, token="-"), lambda: c)
    assert second.terminal() is not terminal
    assert second.flag_token().origin is TokenOrigin.STDIN


def test_a_bad_setting_fails_before_anything_is_built() -> None:
    with pytest.raises(InvalidTimeout) as caught:
        built(Invocation({"NANOCTL_HTTP_TIMEOUT": "soon"}))
    assert "NANOCTL_HTTP_TIMEOUT" in str(explain(caught.value))


def test_on_windows_storing_a_credential_is_refused_plainly(isolated_home: Path) -> None:
    on_windows = Container()
    settings = Settings.from_environment({}, api_url=URL, platform="win32")
    on_windows.settings.override(providers.Object(settings))
    c = for_invocation(Invocation({}), lambda: on_windows)
    store = c.store()
    assert type(store).__name__ == "UnsupportedStore"
    assert store.delete() is False
    with pytest.raises(StoreUnsupported) as caught:
        store.load()
    assert str(explain(caught.value)) == (
        "Storing a credential is not supported on Windows. Use NANOSERVICES_TOKEN or "
        "`nanoctl login --token -`; they need no stored credential."
    )
    assert isinstance(c.authenticate(), Authenticate)


def _deferred_classes() -> list[Deferred[object]]:
    found: dict[int, Deferred[object]] = {}
    provider: object
    for provider in Container().traverse():
        provides = getattr(provider, "provides", None)
        if isinstance(provides, Deferred):
            found[id(provides)] = provides
    return list(found.values())


def test_every_deferred_class_is_the_class_its_type_names() -> None:
    """A provider that names a class by its module builds that very class: the name mypy
    reads (``Deferred["Logout"]``) is the one imported, from the module given."""
    deferred = _deferred_classes()
    assert len(deferred) > 20
    for each in deferred:
        built_by = each.resolve()
        made = getattr(built_by, "__self__", None) if each.constructor else built_by
        assert isinstance(made, type), each
        assert (made.__name__, made.__module__) == (each.name, each.module), each


def test_a_deferred_class_is_imported_only_when_first_built() -> None:
    each = Deferred["Thing"]("tests.unit.deferred_probe")
    assert "tests.unit.deferred_probe" not in sys.modules
    assert each(3).size == 3
    assert "tests.unit.deferred_probe" in sys.modules
