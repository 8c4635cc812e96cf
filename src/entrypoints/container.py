"""The composition root: the one place where anything is built, and the one module of the
entrypoints that imports adapters.

Every provider of ``Container`` names the class it builds, from one ``Invocation`` (what
this run was given), when first asked for; nothing is built at import time. A class of a
module that only some runs use is named by its import path (``Deferred``) and imported when
first built, so each command loads what it uses and no more: `logout` no HTTP adapter,
`login --token` no prompt and no legacy import, `status --offline` no HTTP adapter. The few
values computed from the run (the selection, which store, which diagnostics) are
functions in run_values.py.

Adapters are Singletons (one per container, i.e. per run); use cases are Factories, so an
override made in a test is always honoured. What only some runs of a use case need is built
only when used: the interactive part of a login is given to it as a provider (``.provider``,
a call that builds it), the validator of `status` as ``ValidatorWhenAsked``. Commands and
the Python API only call these providers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nanoctl.entrypoints.deferred import Deferred, ValidatorWhenAsked
from nanoctl.entrypoints.di import containers, providers
from nanoctl.entrypoints.invocation import Invocation
from nanoctl.entrypoints.run_values import (
    api_url_of,
    diagnostics_of,
    home_of,
    selection_of,
    store_of,
)
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.context import RunTokens
from nanoctl.entrypoints.words.questions import TOKEN_PROMPT, ReplaceQuestion, import_question

if TYPE_CHECKING:
    # What the Deferred providers build, named for mypy (``Deferred["Logout"]``, which ruff
    # does not read as a use); each is imported when first built.
    from nanoctl.adapters.clock import SystemClock  # noqa: F401
    from nanoctl.adapters.http.api_client import RequestsApiClient  # noqa: F401
    from nanoctl.adapters.http.retries import RetryPolicy  # noqa: F401
    from nanoctl.adapters.http.sending_rules import SendingRules  # noqa: F401
    from nanoctl.adapters.http.transport import HttpLimits  # noqa: F401
    from nanoctl.adapters.http.validator import RequestsTokenValidator  # noqa: F401
    from nanoctl.adapters.legacy.token_files import LegacyTokenFiles  # noqa: F401
    from nanoctl.adapters.process.runner import ChildProcessRunner  # noqa: F401
    from nanoctl.adapters.store.announced_store import AnnouncedStore  # noqa: F401
    from nanoctl.adapters.store.directory_stores import DirectoryStores  # noqa: F401
    from nanoctl.adapters.store.profile_directories import ProfileDirectories  # noqa: F401
    from nanoctl.adapters.store.remembered_store import RememberedProfiles  # noqa: F401
    from nanoctl.adapters.terminal.confirmation import (  # noqa: F401
        TerminalReplaceConfirmation,
    )
    from nanoctl.adapters.terminal.legacy_question import (  # noqa: F401
        TerminalLegacyImportConfirmation,
    )
    from nanoctl.adapters.terminal.prompt import PromptTokenSource  # noqa: F401
    from nanoctl.adapters.terminal.terminal import Terminal  # noqa: F401
    from nanoctl.adapters.terminal.token_sources import (  # noqa: F401
        AnnouncedTokenSource,
        EnvironmentTokenSource,
        FlagTokenSource,
    )
    from nanoctl.domain.authenticate import (  # noqa: F401
        Authenticate,
        InteractiveLogin,
        TokenSources,
    )
    from nanoctl.domain.call_api import CallApi  # noqa: F401
    from nanoctl.domain.check_credential import CheckCredential  # noqa: F401
    from nanoctl.domain.current_credential import ResolveCredential  # noqa: F401
    from nanoctl.domain.legacy.importing import ImportLegacyCredential  # noqa: F401
    from nanoctl.domain.legacy.offer import OfferLegacyImport  # noqa: F401
    from nanoctl.domain.legacy.status import LegacyTokensLeft  # noqa: F401
    from nanoctl.domain.logout import Logout, LogoutEverywhere  # noqa: F401
    from nanoctl.domain.replacing import Destination  # noqa: F401
    from nanoctl.domain.status import Status, StatusOfProfiles  # noqa: F401
    from nanoctl.entrypoints.cli.progress import CheckingLine  # noqa: F401


class Container(containers.DeclarativeContainer):
    invocation = providers.Dependency(instance_of=Invocation)

    # --- the outside world -----------------------------------------------------------------
    settings = providers.Singleton(Settings.of_invocation, invocation)
    run_tokens = providers.Singleton(
        RunTokens, invocation.provided.environ, invocation.provided.token
    )
    diagnostics = providers.Singleton(diagnostics_of, invocation, run_tokens)
    terminal = providers.Singleton(
        Deferred["Terminal"]("nanoctl.adapters.terminal.terminal", "from_process"),
        interactive=invocation.provided.interactive,
        environ=invocation.provided.environ,
        agent=settings.provided.agent.variable,
    )
    clock = providers.Singleton(Deferred["SystemClock"]("nanoctl.adapters.clock"))

    # --- adapters --------------------------------------------------------------------------
    http_limits = providers.Factory(
        Deferred["HttpLimits"]("nanoctl.adapters.http.transport"),
        timeout=settings.provided.http_timeout,
        deadline=settings.provided.http_deadline,
    )
    retries = providers.Factory(Deferred["RetryPolicy"]("nanoctl.adapters.http.retries"))
    # how every request is sent: a login's check, `nanoctl api` and api.session() alike
    sending_rules = providers.Singleton(
        Deferred["SendingRules"]("nanoctl.adapters.http.sending_rules"),
        settings.provided.user_agent,
        limits=http_limits,
        retries=retries,
        diagnostics=diagnostics,
    )
    http_validator = providers.Singleton(
        Deferred["RequestsTokenValidator"]("nanoctl.adapters.http.validator"), sending_rules
    )
    # on a watched terminal, saying which API it asks while it asks (cli/progress.py)
    validator = providers.Singleton(
        Deferred["CheckingLine"]("nanoctl.entrypoints.cli.progress", "for_run"),
        http_validator,
        invocation,
        run_tokens,
    )
    # `nanoctl api` and api.session() (issue #24)
    api_client = providers.Singleton(
        Deferred["RequestsApiClient"]("nanoctl.adapters.http.api_client"), sending_rules
    )
    validator_when_asked = providers.Factory(ValidatorWhenAsked, validator.provider)
    # Every profile's store, each built once per run: what the selection reads, the use
    # case finds again, unread.
    profiles = providers.Singleton(
        Deferred["RememberedProfiles"]("nanoctl.adapters.store.remembered_store"),
        providers.Factory(
            Deferred["ProfileDirectories"]("nanoctl.adapters.store.profile_directories"),
            settings.provided.config_dir,
            providers.Factory(
                Deferred["DirectoryStores"]("nanoctl.adapters.store.directory_stores"),
                settings.provided.platform,
                settings.provided.use_keyring,
                diagnostics,
            ),
        ),
    )
    selection = providers.Singleton(selection_of, settings, profiles)
    store = providers.Singleton(store_of, selection, profiles)
    api_url = providers.Singleton(api_url_of, selection)
    environment_token = providers.Factory(
        Deferred["EnvironmentTokenSource"]("nanoctl.adapters.terminal.token_sources"),
        invocation.provided.environ,
        diagnostics,
    )
    flag_token = providers.Factory(
        Deferred["FlagTokenSource"]("nanoctl.adapters.terminal.token_sources"),
        value=invocation.provided.token,
        terminal=terminal,
        file=invocation.provided.token_file,
        warnings=diagnostics,
    )
    prompt_token = providers.Factory(
        Deferred["PromptTokenSource"]("nanoctl.adapters.terminal.prompt"), terminal, TOKEN_PROMPT
    )
    confirmation = providers.Factory(
        Deferred["TerminalReplaceConfirmation"]("nanoctl.adapters.terminal.confirmation"),
        terminal,
        providers.Factory(ReplaceQuestion, selection, run_tokens),
        clock,
    )
    command_runner = providers.Singleton(
        Deferred["ChildProcessRunner"]("nanoctl.adapters.process.runner"),
        invocation.provided.environ,
    )

    # What the use cases read, announced: each source says with -v which one gave the
    # token, and the run's tokens learn it (never shown as a name or a URL).
    announced_environment_token = providers.Factory(
        Deferred["AnnouncedTokenSource"]("nanoctl.adapters.terminal.token_sources"),
        environment_token,
        diagnostics,
        run_tokens.provided.add,
    )
    announced_store = providers.Factory(
        Deferred["AnnouncedStore"]("nanoctl.adapters.store.announced_store"),
        store,
        diagnostics,
        run_tokens.provided.add,
    )

    # --- the old Node nanoctl's token files (issue #14) ----------------------------------------
    legacy_token_store = providers.Singleton(
        Deferred["LegacyTokenFiles"]("nanoctl.adapters.legacy.token_files"),
        providers.Callable(home_of, invocation),
    )
    import_legacy = providers.Factory(
        Deferred["ImportLegacyCredential"]("nanoctl.domain.legacy.importing"),
        legacy_token_store,
        providers.Factory(Deferred["Destination"]("nanoctl.domain.replacing"), store, confirmation),
        validator,
        clock,
        selection,
    )
    before_prompt = providers.Factory(
        Deferred["OfferLegacyImport"]("nanoctl.domain.legacy.offer"),
        legacy_token_store,
        providers.Factory(
            Deferred["TerminalLegacyImportConfirmation"](
                "nanoctl.adapters.terminal.legacy_question"
            ),
            terminal,
            import_question,
        ),
        import_legacy,
    )
    legacy_tokens_left = providers.Factory(
        Deferred["LegacyTokensLeft"]("nanoctl.domain.legacy.status"), legacy_token_store
    )

    # --- use cases -------------------------------------------------------------------------
    authenticate = providers.Factory(
        Deferred["Authenticate"]("nanoctl.domain.authenticate"),
        sources=providers.Factory(
            Deferred["TokenSources"]("nanoctl.domain.authenticate"),
            flag=providers.Factory(
                Deferred["AnnouncedTokenSource"]("nanoctl.adapters.terminal.token_sources"),
                source=flag_token,
                diagnostics=diagnostics,
                seen=run_tokens.provided.add,
            ),
            environment=announced_environment_token,
        ),
        # built only by a login that no source gave a token to
        interactive=providers.Factory(
            Deferred["InteractiveLogin"]("nanoctl.domain.authenticate"),
            providers.Factory(
                Deferred["AnnouncedTokenSource"]("nanoctl.adapters.terminal.token_sources"),
                prompt_token,
                diagnostics,
                run_tokens.provided.add,
            ),
            confirmation,
            store,
            before_prompt,
        ).provider,
        validator=validator,
        clock=clock,
        selection=selection,
    )
    logout = providers.Factory(
        Deferred["Logout"]("nanoctl.domain.logout"), store, environment_token, selection, profiles
    )
    logout_everywhere = providers.Factory(
        Deferred["LogoutEverywhere"]("nanoctl.domain.logout"),
        profiles,
        environment_token,
        providers.Callable(str, settings.provided.config_dir),
    )
    resolve_credential = providers.Factory(
        Deferred["ResolveCredential"]("nanoctl.domain.current_credential"),
        announced_environment_token,
        announced_store,
        clock,
        selection,
        profiles=profiles,
    )
    status = providers.Factory(
        Deferred["Status"]("nanoctl.domain.status"),
        resolve_credential,
        validator_when_asked,
        store,
        clock,
    )
    status_of_profiles = providers.Factory(
        Deferred["StatusOfProfiles"]("nanoctl.domain.status"),
        profiles,
        validator_when_asked,
        clock,
        environment_token,
    )
    check_credential = providers.Factory(
        Deferred["CheckCredential"]("nanoctl.domain.check_credential"),
        resolve_credential,
        validator,
        clock,
    )
    call_api = providers.Factory(
        Deferred["CallApi"]("nanoctl.domain.call_api"), resolve_credential, api_client, selection
    )


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
