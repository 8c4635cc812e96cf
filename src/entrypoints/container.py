"""The composition root: the only module where adapters meet use cases.

Nothing is built at import time: providers build adapters when a use case is
asked for, and the adapters import requests/cryptography/keyring only when used.
Adapters are Singletons (one per container, i.e. per run); use cases are
Factories, so an override made in a test is always honoured.
"""

from __future__ import annotations

import os

from dependency_injector import containers, providers

from adapters.clock import SystemClock
from adapters.confirmation import TerminalReplaceConfirmation
from adapters.diagnostics import Silent
from adapters.encrypted_store import EncryptedFileStore
from adapters.http_validator import RequestsTokenValidator
from adapters.key_store import choose_key_store
from adapters.prompt import PromptTokenSource
from adapters.terminal import Terminal
from adapters.token_sources import EnvironmentTokenSource, FlagTokenSource
from domain.authenticate import Authenticate
from domain.current_credential import ResolveCredential
from domain.logout import Logout
from domain.model import ApiUrl
from domain.status import Status
from entrypoints.settings import Settings


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
        RequestsTokenValidator,
        user_agent=config.user_agent,
        timeout=config.http_timeout,
        deadline=config.http_deadline,
        diagnostics=diagnostics,
    )
    key_store = providers.Singleton(
        choose_key_store,
        directory=config.config_dir,
        use_keyring=config.use_keyring,
        diagnostics=diagnostics,
    )
    store = providers.Singleton(
        EncryptedFileStore,
        directory=config.config_dir,
        keys=key_store,
        diagnostics=diagnostics,
    )
    environment_token = providers.Factory(EnvironmentTokenSource, environ=environ)
    flag_token = providers.Factory(FlagTokenSource, value=None, terminal=terminal)
    prompt_token = providers.Factory(PromptTokenSource, terminal=terminal)
    confirmation = providers.Factory(TerminalReplaceConfirmation, terminal=terminal, clock=clock)

    # --- use cases ------------------------------------------------------------------
    authenticate = providers.Factory(
        Authenticate,
        flag=flag_token,
        environment=environment_token,
        prompt=prompt_token,
        validator=validator,
        store=store,
        clock=clock,
        confirmation=confirmation,
        api_url=api_url,
    )
    logout = providers.Factory(Logout, store=store, environment=environment_token)
    resolve_credential = providers.Factory(
        ResolveCredential,
        environment=environment_token,
        store=store,
        clock=clock,
        api_url=api_url,
    )
    status = providers.Factory(
        Status, resolve=resolve_credential, validator=validator, store=store, clock=clock
    )


def build_container(settings: Settings) -> Container:
    container = Container()
    container.config.from_dict(settings.as_config())
    return container
