"""The current credential, confirmed by the API: what `nanoctl exec --check` hands over.

Without the check, a program handed an expired or revoked token fails later, in its own
words; with it, nanoctl says what is wrong (exit 3 or 4, as `nanoctl login`) before the
program starts.
"""

from __future__ import annotations

from nanoctl.domain.current_credential import (
    CurrentCredential,
    ResolveCredential,
    reject_if_expired,
    rejections_name,
)
from nanoctl.domain.model import Identity
from nanoctl.domain.ports import Clock, TokenValidator


class CheckCredential:
    def __init__(self, resolve: ResolveCredential, validator: TokenValidator, clock: Clock) -> None:
        self._resolve = resolve
        self._validator = validator
        self._clock = clock

    def check(self) -> CurrentCredential:
        """The current credential with what the API says of it now.

        Raises what ResolveCredential.resolve raises, TokenRejected (ExpiredToken too) when
        the API says no, ApiUnavailable when the API cannot be used.
        """
        current = self._resolve.resolve()
        credential = current.credential
        known = credential.identity
        with rejections_name(current.origin):
            fresh = self._validator.validate(credential.token, credential.api_url)
            identity = Identity(
                fresh.username or known.username, fresh.expires_at or known.expires_at
            )
            reject_if_expired(identity, self._clock)
        return CurrentCredential(credential.knowing(identity), current.origin)
