"""The composition root: the one place where anything is built.

Settings, the terminal, the diagnostics, the token sources, the adapters and the use cases
are providers of ``Container``, built from one ``Invocation`` (what this run was given)
when first asked for; nothing is built at import time. Adapters are Singletons (one per
container, i.e. per run); use cases are Factories, so an override made in a test is always
honoured. Commands and the Python API only call these providers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from nanoctl.adapters.clock import SystemClock
from nanoctl.adapters.diagnostics import Diagnostics, Silent, Warnings
from nanoctl.adapters.store.announced_store import AnnouncedStore
from nanoctl.adapters.store.unsupported import UnsupportedStore
from nanoctl.adapters.terminal.confirmation import TerminalReplaceConfirmation
from nanoctl.adapters.terminal.prompt import PromptTokenSource
from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.adapters.terminal.token_sources import (
    AnnouncedTokenSource,
    EnvironmentTokenSource,
    FlagTokenSource,
)
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import ApiUrl, Credential
from nanoctl.domain.ports import (
    ApiClient,
    Clock,
    CommandRunner,
    Profiles,
    ReplaceConfirmation,
    SecretStore,
    TokenSource,
    TokenValidator,
)
from nanoctl.domain.selection import Selection, SelectProfileAndApi
from nanoctl.entrypoints.invocation import Invocation
from nanoctl.entrypoints.io_diagnostics import IoDiagnostics
from nanoctl.entrypoints.messages.commands import TOKEN_PROMPT, replace_question
from nanoctl.entrypoints.messages.context import Context, RunTokens
from nanoctl.entrypoints.settings import Settings

if TYPE_CHECKING:  # the use cases are imported when built, below
    from nanoctl.adapters.http.api_client import RequestsApiClient
    from nanoctl.adapters.store.store_directory import StoreDirectory
    from nanoctl.domain.authenticate import Authenticate, InteractiveLogin, TokenSources
    from nanoctl.domain.call_api import CallApi
    from nanoctl.domain.check_credential import CheckCredential
    from nanoctl.domain.current_credential import ResolveCredential
    from nanoctl.domain.import_legacy import ImportLegacyCredential, OfferLegacyImport
    from nanoctl.domain.legacy import LegacyTokenStore
    from nanoctl.domain.logout import Logout, LogoutEverywhere
    from nanoctl.domain.status import Status, StatusOfProfiles


# --- how each piece is made from the others ------------------------------------------------


def _settings(invocation: Invocation) -> Settings:
    return Settings.from_environment(
        invocation.environ,
        api_url=invocation.api_url,
        profile=invocation.profile,
        given_as="option" if invocation.io is not None else "argument",
    )


def _run_tokens(invocation: Invocation) -> RunTokens:
    return RunTokens(invocation.environ, invocation.token)


def _diagnostics(invocation: Invocation, tokens: RunTokens) -> Silent | IoDiagnostics:
    """Diagnostics (-v) and Warnings in one: the adapters' reports for this run."""
    if invocation.io is None:
        return Silent()
    return IoDiagnostics(invocation.io, lambda: tuple(tokens))


def _terminal(invocation: Invocation) -> Terminal:
    return Terminal.from_process(interactive=invocation.interactive, environ=invocation.environ)


def _validator(settings: Settings, diagnostics: Diagnostics) -> TokenValidator:
    # Imported here: the HTTP adapter's modules cost ~2 ms that logout never needs.
    from nanoctl.adapters.http.retries import RetryPolicy
    from nanoctl.adapters.http.transport import HttpLimits
    from nanoctl.adapters.http.validator import RequestsTokenValidator

    return RequestsTokenValidator(
        settings.user_agent,
        limits=HttpLimits(timeout=settings.http_timeout, deadline=settings.http_deadline),
        retries=RetryPolicy(),
        diagnostics=diagnostics,
    )


def _store_in(
    settings: Settings, diagnostics: Diagnostics
) -> Callable[[StoreDirectory], SecretStore]:
    """How the store of one profile's directory is built."""

    def store_in(directory: StoreDirectory) -> SecretStore:
        if not settings.stores_credentials:
            return UnsupportedStore(directory.path, settings.platform)
        # Imported here: the store needs fcntl and dir_fd, which Windows does not have.
        from nanoctl.adapters.store.encrypted_store import EncryptedFileStore
        from nanoctl.adapters.store.keyring_keys import choose_key_store
        from nanoctl.adapters.store.remembered_store import RememberedStore

        keys = choose_key_store(directory, settings.use_keyring, diagnostics)
        return RememberedStore(EncryptedFileStore(directory, keys, diagnostics))

    return store_in


def _profiles(settings: Settings, diagnostics: Diagnostics) -> Profiles:
    """Every profile's store, each built once per run: what the selection reads, the use
    case finds again, unread."""
    from nanoctl.adapters.store.profile_directories import ProfileDirectories
    from nanoctl.adapters.store.remembered_store import RememberedProfiles

    return RememberedProfiles(
        ProfileDirectories(settings.config_dir, _store_in(settings, diagnostics))
    )


def _selection(settings: Settings, profiles: Profiles) -> Selection:
    """The profile and API URL of this run, and who chose each: resolved once."""
    return SelectProfileAndApi(profiles).select(settings.profile_choice, settings.api_url_choice)


def _store(selection: Selection, profiles: Profiles) -> SecretStore:
    """The selected profile's store."""
    return profiles.store_of(selection.profile)


def _api_url(selection: Selection) -> ApiUrl:
    return selection.api_url


def _confirmation(
    terminal: Terminal, selection: Selection, clock: Clock, tokens: RunTokens
) -> TerminalReplaceConfirmation:
    """The question before a login replaces the selected profile's credential."""

    def question(current: Credential, now: datetime) -> str:
        context = Context.of(selection, "login", tuple(tokens))
        return replace_question(current, now, selection, context)

    return TerminalReplaceConfirmation(terminal, question, clock)


def _environment_token(invocation: Invocation, warnings: Warnings) -> EnvironmentTokenSource:
    return EnvironmentTokenSource(invocation.environ, warnings)


def _api_client(settings: Settings, diagnostics: Diagnostics) -> RequestsApiClient:
    """`nanoctl api`'s requests and ``api.session()``: the validator's limits and retries."""
    # Imported here: the HTTP adapter's modules cost ~2 ms that logout never needs.
    from nanoctl.adapters.http.api_client import RequestsApiClient
    from nanoctl.adapters.http.retries import RetryPolicy
    from nanoctl.adapters.http.transport import HttpLimits

    return RequestsApiClient(
        settings.user_agent,
        limits=HttpLimits(timeout=settings.http_timeout, deadline=settings.http_deadline),
        retries=RetryPolicy(),
        diagnostics=diagnostics,
    )


def _call_api(resolve: ResolveCredential, client: ApiClient, selection: Selection) -> CallApi:
    from nanoctl.domain.call_api import CallApi  # api only

    return CallApi(resolve, client, selection)


def _command_runner(invocation: Invocation) -> CommandRunner:
    # Imported here: only exec runs a program.
    from nanoctl.adapters.process.runner import ChildProcessRunner

    return ChildProcessRunner(invocation.environ)


# Each use case's module is imported when the use case is first built: a command builds one,
# and importing all four costs every command ~2.5 ms (benchmarks/startup.py: logout).


class Watched:
    """What the use cases read, watched: each source says with -v which one gave the token
    (AnnouncedTokenSource; AnnouncedStore for the stored credential the current one falls
    back to), and the run's tokens learn it (RunTokens: never shown as a name or a URL)."""

    __slots__ = ("_diagnostics", "_tokens")

    def __init__(self, diagnostics: Diagnostics, tokens: RunTokens) -> None:
        self._diagnostics = diagnostics
        self._tokens = tokens

    def source(self, source: TokenSource) -> TokenSource:
        return AnnouncedTokenSource(source, self._diagnostics, self._tokens.add)

    def store(self, store: SecretStore) -> SecretStore:
        return AnnouncedStore(store, self._diagnostics, self._tokens.add)


def _token_sources(flag: TokenSource, environment: TokenSource, watched: Watched) -> TokenSources:
    from nanoctl.domain.authenticate import TokenSources  # login only

    return TokenSources(watched.source(flag), watched.source(environment))


def _interactive_login(
    prompt: TokenSource,
    confirmation: ReplaceConfirmation,
    store: SecretStore,
    watched: Watched,
    legacy_offer: OfferLegacyImport | None = None,
) -> InteractiveLogin:
    from nanoctl.domain.authenticate import InteractiveLogin  # login only

    return InteractiveLogin(watched.source(prompt), confirmation, store, legacy_offer)


def _authenticate(
    sources: TokenSources,
    interactive: InteractiveLogin,
    validator: TokenValidator,
    clock: Clock,
    selection: Selection,
) -> Authenticate:
    from nanoctl.domain.authenticate import Authenticate  # login only

    return Authenticate(sources, interactive, validator, clock, selection)


def _logout(
    store: SecretStore, environment: TokenSource, selection: Selection, profiles: Profiles
) -> Logout:
    from nanoctl.domain.logout import Logout  # logout only

    return Logout(store, environment, selection, profiles)


def _logout_everywhere(
    profiles: Profiles, environment: TokenSource, settings: Settings
) -> LogoutEverywhere:
    from nanoctl.domain.logout import LogoutEverywhere  # logout --all only

    return LogoutEverywhere(profiles, environment, str(settings.config_dir))


def _resolve_credential(
    environment: TokenSource,
    store: SecretStore,
    clock: Clock,
    selection: Selection,
    watched: Watched,
    profiles: Profiles,
) -> ResolveCredential:
    from nanoctl.domain.current_credential import ResolveCredential  # status and the API

    return ResolveCredential(
        watched.source(environment), watched.store(store), clock, selection, profiles=profiles
    )


def _status(
    resolve: ResolveCredential, validator: TokenValidator, store: SecretStore, clock: Clock
) -> Status:
    from nanoctl.domain.status import Status  # status only

    return Status(resolve, validator, store, clock)


def _status_of_profiles(
    profiles: Profiles, validator: TokenValidator, clock: Clock, environment: TokenSource
) -> StatusOfProfiles:
    from nanoctl.domain.status import StatusOfProfiles  # status --all only

    return StatusOfProfiles(profiles, validator, clock, environment)


def _check_credential(
    resolve: ResolveCredential, validator: TokenValidator, clock: Clock
) -> CheckCredential:
    from nanoctl.domain.check_credential import CheckCredential  # exec --check only

    return CheckCredential(resolve, validator, clock)


# --- the old Node nanoctl's token files (issue #14) ----------------------------------------


def _legacy_token_store(invocation: Invocation) -> LegacyTokenStore:
    from nanoctl.adapters.legacy.token_files import LegacyTokenFiles  # login and status

    home = invocation.environ.get("HOME")
    return LegacyTokenFiles(Path(home) if home else Path.home())


def _import_legacy(
    legacy: LegacyTokenStore,
    store: SecretStore,
    confirmation: ReplaceConfirmation,
    validator: TokenValidator,
    clock: Clock,
    selection: Selection,
) -> ImportLegacyCredential:
    from nanoctl.domain.import_legacy import ImportLegacyCredential  # login only

    return ImportLegacyCredential(legacy, store, confirmation, validator, clock, selection)


def _legacy_offer(
    terminal: Terminal, legacy: LegacyTokenStore, importer: ImportLegacyCredential
) -> OfferLegacyImport | None:
    """None where nobody can be asked (-n, no terminal): nothing is read to offer."""
    if not terminal.can_prompt:
        return None
    from nanoctl.adapters.terminal.legacy_question import TerminalLegacyImportConfirmation
    from nanoctl.domain.import_legacy import OfferLegacyImport
    from nanoctl.entrypoints.messages.legacy import import_question

    question = TerminalLegacyImportConfirmation(terminal, import_question)
    return OfferLegacyImport(legacy, question, importer)


class Container(containers.DeclarativeContainer):
    invocation = providers.Dependency(instance_of=Invocation)

    # --- the outside world ---------------------------------------------------------------
    settings = providers.Singleton(_settings, invocation)
    run_tokens = providers.Singleton(_run_tokens, invocation)
    diagnostics = providers.Singleton(_diagnostics, invocation, run_tokens)
    terminal = providers.Singleton(_terminal, invocation)
    clock = providers.Singleton(SystemClock)

    # --- adapters --------------------------------------------------------------------------
    validator = providers.Singleton(_validator, settings, diagnostics)
    profiles = providers.Singleton(_profiles, settings, diagnostics)
    selection = providers.Singleton(_selection, settings, profiles)
    watched = providers.Singleton(Watched, diagnostics, run_tokens)
    store = providers.Singleton(_store, selection, profiles)
    api_url = providers.Singleton(_api_url, selection)
    environment_token = providers.Factory(_environment_token, invocation, diagnostics)
    flag_token = providers.Factory(
        FlagTokenSource,
        value=invocation.provided.token,
        terminal=terminal,
        file=invocation.provided.token_file,
        warnings=diagnostics,
    )
    command_runner = providers.Singleton(_command_runner, invocation)
    prompt_token = providers.Factory(PromptTokenSource, terminal, TOKEN_PROMPT)
    confirmation = providers.Factory(_confirmation, terminal, selection, clock, run_tokens)

    # --- use cases ---------------------------------------------------------------------------
    # the old Node nanoctl's token files (issue #14)
    legacy_token_store = providers.Singleton(_legacy_token_store, invocation)
    import_legacy = providers.Factory(
        _import_legacy,
        legacy=legacy_token_store,
        store=store,
        confirmation=confirmation,
        validator=validator,
        clock=clock,
        selection=selection,
    )
    legacy_offer = providers.Factory(
        _legacy_offer, terminal=terminal, legacy=legacy_token_store, importer=import_legacy
    )

    authenticate = providers.Factory(
        _authenticate,
        sources=providers.Factory(
            _token_sources, flag=flag_token, environment=environment_token, watched=watched
        ),
        interactive=providers.Factory(
            _interactive_login,
            prompt=prompt_token,
            confirmation=confirmation,
            store=store,
            watched=watched,
            legacy_offer=legacy_offer,
        ),
        validator=validator,
        clock=clock,
        selection=selection,
    )
    logout = providers.Factory(
        _logout,
        store=store,
        environment=environment_token,
        selection=selection,
        profiles=profiles,
    )
    logout_everywhere = providers.Factory(
        _logout_everywhere, profiles=profiles, environment=environment_token, settings=settings
    )
    resolve_credential = providers.Factory(
        _resolve_credential,
        environment=environment_token,
        store=store,
        clock=clock,
        selection=selection,
        watched=watched,
        profiles=profiles,
    )
    status = providers.Factory(
        _status, resolve=resolve_credential, validator=validator, store=store, clock=clock
    )
    status_of_profiles = providers.Factory(
        _status_of_profiles,
        profiles=profiles,
        validator=validator,
        clock=clock,
        environment=environment_token,
    )
    check_credential = providers.Factory(
        _check_credential, resolve=resolve_credential, validator=validator, clock=clock
    )
    # `nanoctl api` and api.session() (issue #24)
    api_client = providers.Singleton(_api_client, settings, diagnostics)
    call_api = providers.Factory(
        _call_api, resolve=resolve_credential, client=api_client, selection=selection
    )


def words_of(container: Container, command: str | None = None) -> Context:
    """What this run's sentences may say: its selection (None when it cannot be resolved:
    then its failure is what is being said), the command, the tokens met so far."""
    secrets = tuple(container.run_tokens())
    try:
        return Context.of(container.selection(), command, secrets)
    except NanoctlError:
        chosen = container.settings().profile_choice
        if chosen is None:
            return Context(command=command, secrets=secrets)
        return Context(chosen.name, chosen.origin, command=command, secrets=secrets)


def for_invocation(
    invocation: Invocation, container: Callable[[], Container] = Container
) -> Container:
    """``container()`` (a fresh Container, or one a test has overridden) for this run.

    A container serves one run: what an earlier run built (its io, its terminal) is
    dropped. The settings are read at once: a bad NANOCTL_HTTP_TIMEOUT fails any command
    before it does anything.
    """
    built = container()
    built.reset_singletons()
    built.invocation.reset_override()
    built.invocation.override(providers.Object(invocation))
    built.settings()
    return built
