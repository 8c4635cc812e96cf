"""`nanoctl login --import-legacy`: the old Node nanoctl's token into nanoctl's store, then
the weak copies destroyed.

The old client's "encryption" is obfuscation (its key is rebuilt from the host name and the
user name), so its files must go, but only once the token is safely in nanoctl's store:
killed at any point, the token is in the store, in the legacy file, or in both.
"""

from __future__ import annotations

from nanoctl.domain.authenticate import LoginResult
from nanoctl.domain.current_credential import reject_if_expired, rejections_name
from nanoctl.domain.errors import TokenRejected
from nanoctl.domain.legacy.errors import (
    LegacyFileBehindLink,
    LegacyFileNotRemoved,
    LegacyTokenRejected,
    LegacyTokenUnreadable,
    NoLegacyToken,
)
from nanoctl.domain.legacy.files import (
    KeptLegacyFile,
    LegacyFile,
    LegacyImport,
    LegacyTokenStore,
    NotRemovedLegacyFile,
    OpenedLegacyFile,
    holding_tokens,
    importable,
)
from nanoctl.domain.model import Credential, Expiry, Token
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import Clock, TokenValidator
from nanoctl.domain.replacing import Destination, may_replace
from nanoctl.domain.selection import Selection


class ImportLegacyCredential:
    """`nanoctl login --import-legacy`: the newest non-empty legacy file's token, validated
    like any login and stored with the usual already-logged-in question (never asked with
    -n: the stored credential is kept, and one for another API is never replaced), then
    every legacy copy of it destroyed."""

    def __init__(
        self,
        legacy: LegacyTokenStore,
        destination: Destination,
        validator: TokenValidator,
        clock: Clock,
        selection: Selection,
    ) -> None:
        self._legacy = legacy
        self._store = destination.store
        self._confirmation = destination.confirmation
        self._validator = validator
        self._clock = clock
        self._selection = selection
        self._api_url = selection.api_url

    def import_credential(self) -> LoginResult:
        """Raises NoLegacyToken, LegacyTokenUnreadable, LegacyTokenRejected, ApiUnavailable
        or StorageError; a legacy file is destroyed only after the token was stored."""
        files = self._legacy.find()
        candidates = holding_tokens(files)
        if not candidates:
            empty = tuple(f.path for f in files if f.empty)
            raise NoLegacyToken(self._legacy.locations, empty)
        sources = importable(candidates)
        if not sources:
            raise LegacyFileBehindLink(candidates[0].path, candidates[0].link or "")
        with self._legacy.open(sources[0]) as opened:
            return self._import(opened, sources[0], candidates)

    def _import(
        self, opened: OpenedLegacyFile, source: LegacyFile, candidates: list[LegacyFile]
    ) -> LoginResult:
        token = opened.token
        # Read the store first: one we cannot read is reported, never overwritten.
        self._selection.profile_to_use()
        current = self._store.load()
        now = self._clock.now()
        replaced = None
        if current is not None:
            expiry = Expiry(current.identity.expires_at, now)
            if current.api_url == self._api_url and current.token == token:
                # already imported (say, by a run killed before cleanup)
                destroyed = self._destroy_copies(token, opened, source, candidates)
                return LoginResult(
                    TokenOrigin.LEGACY,
                    current.identity,
                    expiry,
                    self._api_url,
                    stored=False,
                    kept=True,
                    legacy=destroyed,
                )
            replaced = may_replace(current, self._selection, self._confirmation, self._clock)
            if replaced is None:
                asked = self._confirmation.can_ask
                return LoginResult.kept_one(
                    current, self._clock, LegacyImport(source.path), declined=asked
                )
        try:
            with rejections_name(TokenOrigin.LEGACY):
                identity = self._validator.validate(token, self._api_url)
                expiry = reject_if_expired(identity, self._clock)
        except TokenRejected as rejected:
            raise LegacyTokenRejected(source.path, rejected.kind) from None
        self._store.save(Credential(token, self._api_url, identity, saved_at=now))
        destroyed = self._destroy_copies(token, opened, source, candidates)
        return LoginResult(
            TokenOrigin.LEGACY,
            identity,
            expiry,
            self._api_url,
            stored=True,
            legacy=destroyed,
            replaced=replaced,
        )

    def _destroy_copies(
        self,
        token: Token,
        opened: OpenedLegacyFile,
        source: LegacyFile,
        candidates: list[LegacyFile],
    ) -> LegacyImport:
        """Destroy ``source`` (``opened`` since it was read) and every other file still
        holding ``token``; keep the rest, saying why."""
        done = _Cleanup(source.path)
        done.destroy(opened, source, token)
        for file in candidates:
            if file is source:
                continue
            if file.link is not None:
                done.kept.append(KeptLegacyFile(file.path, "behind_link", file.link))
                continue
            try:
                with self._legacy.open(file) as other:
                    if other.token != token:
                        done.kept.append(KeptLegacyFile(file.path, "other_token"))
                    else:
                        done.destroy(other, file, token)
            except LegacyTokenUnreadable:
                done.kept.append(KeptLegacyFile(file.path, "unreadable"))
        return done.result()


class _Cleanup:
    """What destroying the legacy copies did, file by file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.removed: list[str] = []
        self.kept: list[KeptLegacyFile] = []
        self.not_removed: list[NotRemovedLegacyFile] = []

    def destroy(self, opened: OpenedLegacyFile, file: LegacyFile, token: Token) -> None:
        try:
            destroyed = opened.destroy_if_holding(token)
        except LegacyFileNotRemoved as failed:
            self.not_removed.append(NotRemovedLegacyFile(failed.path, failed.errno))
            return
        if destroyed:
            self.removed.append(file.path)
        else:  # rewritten meanwhile: what it holds now may be stored nowhere else
            self.kept.append(KeptLegacyFile(file.path, "changed"))

    def result(self) -> LegacyImport:
        return LegacyImport(
            self.source, tuple(self.removed), tuple(self.kept), tuple(self.not_removed)
        )
