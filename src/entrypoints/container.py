"""The composition root: the only module where adapters meet use cases.

Nothing is built at import time: providers build adapters when a use case is
asked for, and the adapters import requests/cryptography/keyring only when used.
Adapters are Singletons (one per container, i.e. per run); use cases are
Factories, so an override made in a test is always honoured.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from typing import Any

from dependency_injector import containers, providers

from nanoctl.adapters.clock import SystemClock
from nanoctl.adapters.diagnostics import Silent
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.adapters.terminal.token_sources import EnvironmentTokenSource
from nanoctl.domain.model import ApiUrl
from nanoctl.entrypoints.settings import Settings


def lazy(target: str) -> Callable[..., Any]:
    """The callable ``"module:name"``, imported on first call: each command pays only
    for the adapters and use cases it builds (requests, cryptography and keyring are
    never imported by a command that does not use them)."""
    module, _, name = target.partition(":")

    def build(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(module), name)(*args, **kwargs)

    build.__qualname__ = build.__name__ = name
    return build


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    # --- the outside world ------------------------------------------------------
    environ = providers.Object(os.environ)
    diagnostics = providers.Object(Silent())
    terminal = providers.Singleton(Terminal.from_process, interactive=True, environ=environ)
    clock = providers.Singleton(SystemClock)
    api_url = providers.Singleton(ApiUrl.parse, config.api_url)

    # --- adapters -----------------------------------------------------------------
    validator = providers.Singleton(
        lazy("nanoctl.adapters.http.validator:RequestsTokenValidator"),
        user_agent=config.user_agent,
        timeout=config.http_timeout,
        deadline=config.http_deadline,
        diagnostics=diagnostics,
    )
    key_store = providers.Singleton(
        lazy("nanoctl.adapters.store.keys:choose_key_store"),
        directory=config.config_dir,
        use_keyring=config.use_keyring,
        diagnostics=diagnostics,
    )
    store = providers.Singleton(
        lazy("nanoctl.adapters.store.encrypted_store:EncryptedFileStore"),
        directory=config.config_dir,
        keys=key_store,
        diagnostics=diagnostics,
    )
    environment_token = providers.Factory(EnvironmentTokenSource, environ=environ)
    flag_token = providers.Factory(
        lazy("nanoctl.adapters.terminal.token_sources:FlagTokenSource"),
        value=None,
        terminal=terminal,
    )
    prompt_token = providers.Factory(
        lazy("nanoctl.adapters.terminal.prompt:PromptTokenSource"), terminal=terminal
    )
    confirmation = providers.Factory(
        lazy("nanoctl.adapters.terminal.confirmation:TerminalReplaceConfirmation"),
        terminal=terminal,
        clock=clock,
    )

    # --- use cases ------------------------------------------------------------------
    authenticate = providers.Factory(
        lazy("nanoctl.domain.authenticate:Authenticate"),
        flag=flag_token,
        environment=environment_token,
        prompt=prompt_token,
        validator=validator,
        store=store,
        clock=clock,
        confirmation=confirmation,
        api_url=api_url,
    )
    logout = providers.Factory(
        lazy("nanoctl.domain.logout:Logout"), store=store, environment=environment_token
    )
    resolve_credential = providers.Factory(
        lazy("nanoctl.domain.current_credential:ResolveCredential"),
        environment=environment_token,
        store=store,
        clock=clock,
        api_url=api_url,
    )
    status = providers.Factory(
        lazy("nanoctl.domain.status:Status"),
        resolve=resolve_credential,
        validator=validator,
        store=store,
        clock=clock,
    )


def build_container(settings: Settings) -> Container:
    container = Container()
    container.config.from_dict(settings.as_config())
    return container
