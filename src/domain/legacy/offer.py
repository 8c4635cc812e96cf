"""The step an interactive login with nothing stored takes before its prompt: the old
nanoctl's token, offered for import (authenticate.BeforePrompt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.legacy.errors import LegacyTokenUnreadable
from nanoctl.domain.legacy.files import LegacyImportConfirmation, LegacyTokenStore, importable

if TYPE_CHECKING:
    from nanoctl.domain.authenticate import LoginResult
    from nanoctl.domain.legacy.importing import ImportLegacyCredential


class OfferLegacyImport:
    """Before the token prompt of an interactive login with nothing stored: a legacy file
    whose token decrypts is offered for import. One that does not decrypt is not offered
    (the prompt follows; `status` and `login --import-legacy` say why)."""

    def __init__(
        self,
        legacy: LegacyTokenStore,
        question: LegacyImportConfirmation,
        importer: ImportLegacyCredential,
    ) -> None:
        self._legacy = legacy
        self._question = question
        self._importer = importer

    def offer(self) -> LoginResult | None:
        """The import's result when accepted; None when nobody can be asked (-n, no
        terminal: then nothing is read), when there is nothing to offer or when the user
        declined (the legacy files are then untouched)."""
        if not self._question.can_ask:
            return None
        candidates = importable(self._legacy.find())
        if not candidates:
            return None
        try:
            self._legacy.read(candidates[0])
        except LegacyTokenUnreadable:
            return None
        if not self._question.confirm_import(candidates[0].path):
            return None
        return self._importer.import_credential()
