"""The -v and -vvv lines and the warnings of what the adapters report (the commands' own
-v lines are in their modules)."""

from __future__ import annotations

from nanoctl.domain import events
from nanoctl.domain.origins import TokenOrigin
from nanoctl.entrypoints.words import source, token_file
from nanoctl.entrypoints.words.errors import explain
from nanoctl.entrypoints.words.storage import keyring_fault


def source_line(origin: TokenOrigin) -> str:
    """With -v: where the token in use came from."""
    return f"token source: {source(origin)}"


def token_file_exposed(path: str, mode: int, origin: TokenOrigin) -> str:
    """The warning for a token file others can read (not a refusal: Kubernetes mounts
    secrets 0644)."""
    return (
        f"the token file {token_file(path, origin)} can be read by other users "
        f"(mode {mode:04o}); `chmod 600` it if you can."
    )


def note(event: events.Event) -> str:  # noqa: PLR0911, PLR0912 - one case per event
    """The -v (or -vvv) line, or the warning, for an adapter's event."""
    match event:
        case events.TokenFound():
            return source_line(event.origin)
        case events.TokenFileExposed():
            return token_file_exposed(event.path, event.mode, event.origin)
        case events.Retrying():
            return (
                f"{explain(event.error).cause} Retrying in {event.delay:.1f} s "
                f"(attempt {event.attempt + 1} of {event.max_attempts})."
            )
        case events.RequestSent(attempt=1):
            return f"{event.method} {event.url}"
        case events.RequestSent():
            return f"{event.method} {event.url} (attempt {event.attempt} of {event.max_attempts})"
        case events.AnswerArrived():
            reason = f" {event.reason}" if event.reason else ""
            return f"HTTP {event.status}{reason} in {event.milliseconds} ms"
        case events.NoAnswer():
            return f"! no answer after {event.milliseconds} ms: {explain(event.error).cause}"
        case events.CredentialSaved():
            return (
                f"Saved the encrypted credential to {event.path}; "
                f"its key is in {event.key_location}."
            )
        case events.CredentialRead():
            return f"Read the credential from {event.path}; its key is in {event.key_location}."
        case events.CredentialRemoved(key_removed=True):
            return f"Removed the credential {event.path} and its key."
        case events.CredentialRemoved():
            return f"Removed the credential {event.path}; its key was not removed."
        case events.LeftoverKeyRemoved():
            return f"Removed a leftover encryption key; {event.path} did not exist."
        case events.PreviousKeyKept():
            return (
                f"The previous key stays in {event.key_location}; it unlocks nothing now "
                "and `nanoctl logout` removes it when the keyring is on."
            )
        case events.KeyKeptInKeyring():
            return f"The encryption key is kept in {event.key_location}."
        case events.KeyringNotUsed():
            return (
                f"The OS keyring cannot keep the encryption key ({keyring_fault(event.fault)}); "
                f"using the key file {event.fallback} instead."
            )
        case events.KeyringKeyLeft():
            return (
                f"Could not remove the encryption key from {event.key_location} "
                f"({keyring_fault(event.fault)}); without the credential file it unlocks nothing."
            )
    return repr(event)  # pragma: no cover - every event is worded above
