"""The values the container computes from what a run was given (its ``Invocation``): the
selection, which store, which diagnostics. Functions, not classes: each is a provider's
recipe, kept apart so the composition root stays one screenful of providers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nanoctl.domain.events import Silent
from nanoctl.domain.selection import Selection, SelectProfileAndApi
from nanoctl.entrypoints.invocation import Invocation
from nanoctl.entrypoints.settings import Settings
from nanoctl.entrypoints.words.context import RunTokens

if TYPE_CHECKING:
    from nanoctl.domain.model import ApiUrl
    from nanoctl.domain.ports import Profiles, SecretStore
    from nanoctl.entrypoints.cli.diagnostics import IoDiagnostics


def diagnostics_of(invocation: Invocation, tokens: RunTokens) -> Silent | IoDiagnostics:
    """Diagnostics (-v) and Warnings in one: on the command line's io, or silent (a library)."""
    if invocation.io is None:
        return Silent()
    from nanoctl.entrypoints.cli.diagnostics import IoDiagnostics

    return IoDiagnostics(invocation.io, tokens)


def selection_of(settings: Settings, profiles: Profiles) -> Selection:
    """The profile and API URL of this run, and who chose each: resolved once."""
    return SelectProfileAndApi(profiles).select(settings.profile_choice, settings.api_url_choice)


def store_of(selection: Selection, profiles: Profiles) -> SecretStore:
    """The selected profile's store."""
    return profiles.store_of(selection.profile)


def api_url_of(selection: Selection) -> ApiUrl:
    return selection.api_url


def home_of(invocation: Invocation) -> Path:
    home = invocation.environ.get("HOME")
    return Path(home) if home else Path.home()
