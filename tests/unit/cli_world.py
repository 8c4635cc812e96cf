"""The commands through cleo's ApplicationTester, on a container whose adapters are fakes:
the world tests/unit/conftest.py's ``cli`` fixture gives each command test."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

from cleo.testers.application_tester import ApplicationTester
from dependency_injector import providers

from nanoctl.adapters.terminal.terminal import Terminal
from nanoctl.adapters.terminal.token_sources import EnvironmentTokenSource
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.model import Identity
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.cli.app import NanoctlApplication
from nanoctl.entrypoints.container import Container
from nanoctl.entrypoints.settings import Settings
from tests.fakes import (
    FakeClock,
    FakeCommandRunner,
    FakeReplaceConfirmation,
    FakeSecretStore,
    FakeTokenSource,
    FakeTokenValidator,
)
from tests.unit.builders import ADA, NOW

API = "https://api.example.test/base"


@dataclass
class Cli:
    container: Container
    validator: FakeTokenValidator
    store: FakeSecretStore
    prompt: FakeTokenSource
    environ: dict[str, str]
    runner: FakeCommandRunner

    def run(self, args: str) -> tuple[int, str, str]:
        app = NanoctlApplication(container=lambda: self.container)
        app.auto_exits(False)
        tester = ApplicationTester(app)
        code = tester.execute(args, interactive=False)
        return code, tester.io.fetch_output(), tester.io.fetch_error()

    def stdout_is_a_terminal(self) -> None:
        terminal = Terminal(
            stdin=io.StringIO(),
            stderr=io.StringIO(),
            stdin_isatty=True,
            interactive=True,
            ci=False,
            stdout_isatty=True,
        )
        self.container.terminal.override(providers.Object(terminal))


def build_cli() -> Cli:
    container = Container()
    container.settings.override(providers.Object(Settings.from_environment({}, api_url=API)))
    validator = FakeTokenValidator(
        {
            "good-token-0001": ADA,
            "soon-token-0001": Identity("ada", NOW + timedelta(days=2)),
            "down-token-0001": ApiUnreachable(API, "refused"),
        }
    )
    store = FakeSecretStore()
    prompt = FakeTokenSource(TokenOrigin.PROMPT, "good-token-0001")
    environ: dict[str, str] = {}
    runner = FakeCommandRunner()
    container.validator.override(providers.Object(validator))
    container.store.override(providers.Object(store))
    container.clock.override(providers.Object(FakeClock()))
    container.environment_token.override(providers.Factory(EnvironmentTokenSource, environ))
    container.prompt_token.override(providers.Object(prompt))
    container.confirmation.override(providers.Object(FakeReplaceConfirmation(False)))
    container.command_runner.override(providers.Object(runner))
    return Cli(container, validator, store, prompt, environ, runner)
