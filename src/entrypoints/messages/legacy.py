"""The words of importing the old Node nanoctl's token: the offer, what login and status
print about its files, and the sentences of the legacy errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.legacy.errors import (
    LegacyFileBehindLink,
    LegacyFileNotRemoved,
    LegacyTokenRejected,
    LegacyTokenUnreadable,
    NoLegacyToken,
)
from nanoctl.entrypoints.messages import TOKEN_PAGE, esc, os_reason
from nanoctl.entrypoints.messages.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.errors import NanoctlError
    from nanoctl.domain.legacy.files import KeptReason, LegacyFile, LegacyImport

UNSAFE = (
    "anyone who could read them could rebuild their key from this machine's host name and "
    "your user name"
)
_NEW_TOKEN = "Run {login} with a new token from " + TOKEN_PAGE


def import_question(path: str) -> str:
    """Asked before the token prompt when the old nanoctl left a token (default yes)."""
    return f"Found a token saved by the old nanoctl at {path}; import it? [Y/n] "


def imported_lines(imported: LegacyImport, *, stored: bool) -> list[str]:
    """Before the usual login lines: where the token came from."""
    if stored:
        return [f"Imported the token saved by the old nanoctl at {esc(imported.source)}."]
    if imported.removed:
        return [
            f"The token saved by the old nanoctl at {esc(imported.source)} is already "
            "nanoctl's stored credential."
        ]
    return []


def cleanup_lines(imported: LegacyImport, *, kept_credential: bool) -> list[str]:
    """After the login lines: which legacy files went, and why; which stayed."""
    lines: list[str] = []
    if imported.removed:
        paths = ", ".join(esc(path) for path in imported.removed)
        lines.append(
            f"Removed the old nanoctl's copies of the token: {paths}; they were unsafe: {UNSAFE}."
        )
    elif kept_credential:
        lines.append(f"The old nanoctl's token file {esc(imported.source)} was left as it was.")
    for kept in imported.kept:
        why = _KEPT_BECAUSE[kept.reason].format(link=esc(kept.link or ""))
        lines.append(f"Kept {esc(kept.path)}: {why}.")
    return lines


_KEPT_BECAUSE: dict[KeptReason, str] = {
    "other_token": "it holds another token",
    "unreadable": "it cannot be read",
    "changed": "it was rewritten during the import and no longer holds the imported token",
    "behind_link": (
        "it is reached through the symbolic link {link}, which nanoctl does not follow to "
        "destroy what it points to"
    ),
}


def not_removed_warning(path: str, errno_number: int | None) -> str:
    reason = os_reason(errno_number) if errno_number is not None else "not a regular file"
    return (
        f"could not remove the old nanoctl's token file {path} ({reason}); "
        f"it is unsafe: delete it yourself (`rm {path}`)."
    )


def status_line(files: list[LegacyFile], context: Context) -> str:
    """The one line `status` adds when the old nanoctl left a token on disk."""
    shown = ", ".join(esc(_place(file)) for file in files)
    run = context.nanoctl("login", "--import-legacy")
    return f"  Old nanoctl:  an unsafe token file at {shown}; run {run} to import it"


def status_note(files: list[LegacyFile], context: Context) -> str:
    """The same, on stderr, when status fails because nothing is logged in."""
    run = context.nanoctl("login", "--import-legacy")
    return (
        f"the old nanoctl saved a token at {', '.join(_place(file) for file in files)}; "
        f"run {run} to import it and remove the unsafe copy."
    )


def _place(file: LegacyFile) -> str:
    if file.link is None:
        return file.path
    return f"{file.path} (through the symbolic link {file.link})"


# --- errors: (cause, next step), filled with the facts and phrases() ------------------------

SENTENCES: dict[type[NanoctlError], tuple[str, str]] = {
    NoLegacyToken: ("{what}", _NEW_TOKEN + "."),  # {login}: aimed at the selected profile
    LegacyTokenUnreadable: ("{what}", "{next}"),
    LegacyTokenRejected: (
        "The API rejected the token saved by the old nanoctl in {path} ({why}); the file was kept.",
        f"Delete it (`rm {{path}}`) and run {{login}} with a new token from {TOKEN_PAGE}.",
    ),
    LegacyFileNotRemoved: ("Could not remove {path}.", "Delete it yourself (`rm {path}`)."),
    LegacyFileBehindLink: (
        "The old nanoctl's token file {path} is reached through the symbolic link {link}; "
        "nanoctl does not import it, as the import destroys the file it reads and will not "
        "do that at the end of a link.",
        "Check where the link points (`ls -l {link}`): to import the token, put the real "
        "directory or file in place of the link and run {import_legacy} again; else delete "
        f"the old file and run {{login}} with a new token from {TOKEN_PAGE}.",
    ),
}

_REJECTIONS = {
    "invalid_token": "invalid",
    "inactive_token": "no longer active",
    "expired_token": "expired",
    "forbidden_token": "it lacks permission to log in",
}
_UNREADABLE = {
    "undecryptable": (
        "does not decrypt: its key is made from the host name and the user name, and one of "
        "them changed since it was written"
    ),
    "malformed": "is malformed: it is not the old client's iv:tag:ciphertext format",
    "not_a_token": "decrypts, but holds no valid token",
    "unreadable": "cannot be read: {reason}",
}


def phrases(error: NanoctlError, context: Context) -> dict[str, str]:
    """The words a legacy error's sentence needs beyond its facts."""
    if isinstance(error, NoLegacyToken):
        if error.empty:
            what = (
                f"The old nanoctl's token file {', '.join(error.empty)} is empty (it creates "
                "an empty one whenever it runs): there is no token to import."
            )
        else:
            what = f"No token saved by the old nanoctl was found ({', '.join(error.searched)})."
        return {"what": what}
    if isinstance(error, LegacyTokenUnreadable):
        problem = _UNREADABLE[error.problem].format(reason=os_reason(error.errno))
        login = context.nanoctl("login")
        fix = (
            f"Make it readable by your user, or run {login} with a new token"
            if error.problem == "unreadable"
            else f"{_NEW_TOKEN.format(login=login)}, then delete the old file (`rm {error.path}`)"
        )
        return {
            "what": f"The old nanoctl's token file {error.path} {problem}.",
            "next": f"{fix}.",
        }
    if isinstance(error, LegacyTokenRejected):
        return {"why": _REJECTIONS.get(error.reason, "rejected")}
    return {}
