"""Status: who is authenticated, with which token, against which API, until when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.current_credential import (
    CurrentCredential,
    ResolveCredential,
    environment_token_set,
    rejections_name,
)
from nanoctl.domain.errors import ExpiredToken, NanoctlError, NotLoggedIn, TokenRejected
from nanoctl.domain.model import ApiUrl, Credential, Expiry, Identity, ProfileName, Value
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import Clock, Profiles, SecretStore, TokenSource, TokenValidator

T = TypeVar("T")


@dataclass(frozen=True)
class StatusReport:
    """What is known of the credential found, and whether it can be used."""

    origin: TokenOrigin
    identity: Identity
    expiry: Expiry
    api_url: ApiUrl
    token_hint: str
    validated: bool
    """True when the API confirmed the token just now (never with --offline)."""
    location: str | None
    """The credential file, when the token is the stored one."""
    key_location: str | None
    saved_at: datetime | None
    shadowed: str | None = None
    """Where a stored credential is that the environment token is used instead of."""
    problem: TokenRejected | ApiUnavailable | None = None
    """Why it cannot be used: the API rejected it, or it expired (exit 3), or the API could
    not be asked (exit 4). None: it can."""


class Status:
    def __init__(
        self,
        resolve: ResolveCredential,
        validator: TokenValidator,
        store: SecretStore,
        clock: Clock,
    ) -> None:
        self._resolve = resolve
        self._validator = validator
        self._store = store
        self._clock = clock

    def check(self, *, offline: bool = False) -> StatusReport:
        """The report on the credential found, with its ``problem`` when it cannot be used
        (what was known before asking the API is kept). Raises what
        ResolveCredential.find raises when there is no credential to report on."""
        current = self._resolve.find()
        stored = current.origin is TokenOrigin.STORED
        # The environment token wins; a stored credential it hides is worth a mention.
        shadowed = not stored and self._store.holds_credential()
        return report_on(
            current,
            self._store if stored else None,
            judged(current, self._validator, self._clock, offline=offline),
            shadowed=self._store.location if shadowed else None,
        )


class Judgement:
    """What the API (or, offline, the stored expiry) says of a credential."""

    __slots__ = ("expiry", "identity", "problem", "validated")

    def __init__(
        self,
        identity: Identity,
        expiry: Expiry,
        *,
        validated: bool,
        problem: TokenRejected | ApiUnavailable | None = None,
    ) -> None:
        self.identity = identity
        self.expiry = expiry
        self.validated = validated
        self.problem = problem


def judged(
    current: CurrentCredential, validator: TokenValidator, clock: Clock, *, offline: bool
) -> Judgement:
    """A stored credential known to have expired is judged without asking the API; else
    the API is asked unless ``offline``. Never raises what the API says: it is the
    judgement's ``problem``."""
    credential = current.credential
    identity = credential.identity
    expiry = Expiry(identity.expires_at, clock.now())
    if current.origin is TokenOrigin.STORED and expiry.expired:
        expired = ExpiredToken(identity.username, expiry.expires_at, origin=TokenOrigin.STORED)
        return Judgement(identity, expiry, validated=False, problem=expired)
    if offline:
        return Judgement(identity, expiry, validated=False)
    try:
        with rejections_name(current.origin):
            fresh = validator.validate(credential.token, credential.api_url)
    except (TokenRejected, ApiUnavailable) as problem:
        return Judgement(identity, expiry, validated=False, problem=problem)
    identity = Identity(
        fresh.username or identity.username, fresh.expires_at or identity.expires_at
    )
    expiry = Expiry(identity.expires_at, clock.now())
    if expiry.expired:
        expired = ExpiredToken(identity.username, expiry.expires_at, origin=current.origin)
        return Judgement(identity, expiry, validated=False, problem=expired)
    return Judgement(identity, expiry, validated=True)


def report_on(
    current: CurrentCredential,
    store: SecretStore | None,
    judgement: Judgement,
    *,
    shadowed: str | None = None,
) -> StatusReport:
    """The report on ``current``; ``store`` is where it is stored (None: not stored)."""
    credential = current.credential
    return StatusReport(
        origin=current.origin,
        identity=judgement.identity,
        expiry=judgement.expiry,
        api_url=credential.api_url,
        token_hint=credential.token.masked(),
        validated=judgement.validated,
        location=store.location if store is not None else None,
        key_location=store.key_location if store is not None else None,
        saved_at=credential.saved_at,
        shadowed=shadowed,
        problem=judgement.problem,
    )


class ProfileStatus(Value):
    """One profile in `status --all`: its report (what is known of its credential, with
    the problem that keeps it from use, if any), or the fault that kept it from being read;
    ``error``: why it cannot be used, the report's problem or the fault reading it;
    ``api_url``: the URL the profile is bound to, when its credential could be read."""

    __slots__ = ("profile", "report", "error", "api_url")  # noqa: RUF023 - as its repr shows

    def __init__(
        self,
        profile: ProfileName,
        report: StatusReport | None,
        error: NanoctlError | None = None,
        api_url: ApiUrl | None = None,
    ) -> None:
        self.profile = profile
        self.report = report
        self.error = error
        self.api_url = api_url


class ProfilesStatus(Value):
    """Every stored profile's status; ``environment_token_set``: NANOSERVICES_TOKEN (or its
    file, ``environment_origin``) is set, so commands use it, not these credentials."""

    __slots__ = ("profiles", "environment_token_set", "environment_origin")  # noqa: RUF023

    def __init__(
        self,
        profiles: tuple[ProfileStatus, ...],
        environment_token_set: bool,
        environment_origin: TokenOrigin = TokenOrigin.ENVIRONMENT,
    ) -> None:
        self.profiles = profiles
        self.environment_token_set = environment_token_set
        self.environment_origin = environment_origin


class StatusOfProfiles:
    """`status --all`: every stored profile, each checked against the API it is bound to.
    A profile whose credential cannot be read or is rejected is reported as such; the
    others are still checked. The credentials are read one after another (a keyring may
    ask for an unlock), then the APIs are asked all at once, so APIs that hang cost about
    one deadline in all, not one each."""

    def __init__(
        self,
        profiles: Profiles,
        validator: TokenValidator,
        clock: Clock,
        environment: TokenSource,
    ) -> None:
        self._profiles = profiles
        self._validator = validator
        self._clock = clock
        self._environment = environment

    def check(self, *, offline: bool = False) -> ProfilesStatus:
        read = [self._read(name) for name in self._profiles.names()]
        checks = [self._checker(entry, offline) for entry in read]
        return ProfilesStatus(
            tuple([check() for check in checks] if offline else at_once(checks)),
            environment_token_set(self._environment),
            self._environment.origin,
        )

    def _read(
        self, name: ProfileName
    ) -> tuple[ProfileName, SecretStore, Credential | NanoctlError]:
        store = self._profiles.store_of(name)
        try:
            stored = store.load()
        except NanoctlError as error:
            return name, store, error
        return name, store, stored if stored is not None else NotLoggedIn()  # removed meanwhile

    def _checker(
        self, entry: tuple[ProfileName, SecretStore, Credential | NanoctlError], offline: bool
    ) -> Callable[[], ProfileStatus]:
        name, store, stored = entry

        def check() -> ProfileStatus:
            if isinstance(stored, NanoctlError):
                return ProfileStatus(name, None, stored)
            current = CurrentCredential(stored, TokenOrigin.STORED)
            judgement = judged(current, self._validator, self._clock, offline=offline)
            report = report_on(current, store, judgement)
            return ProfileStatus(name, report, report.problem, stored.api_url)

        return check


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """The results of ``calls``, in order, each run in a thread of its own so that their
    waits overlap (a single call runs here). The threads are daemons: a Ctrl-C ends the run
    at once, without waiting for an API that hangs."""
    if len(calls) <= 1:
        return [call() for call in calls]
    # Here: threads only for a run that checks several profiles.
    import threading

    results: dict[int, T] = {}
    failures: list[BaseException | None] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except BaseException as failure:  # re-raised below, in this thread
            failures[index] = failure

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for failure in failures:
        if failure is not None:
            raise failure
    return [results[index] for index in range(len(calls))]
