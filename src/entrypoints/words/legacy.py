"""The sentence and the next step of each error of importing the old Node nanoctl's token
(login's and status's lines about its files are in those commands; the offer is in
``questions``). ``errors.explain`` uses these entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.legacy.errors import (
    LegacyFileBehindLink,
    LegacyFileNotRemoved,
    LegacyTokenRejected,
    LegacyTokenUnreadable,
    NoLegacyToken,
)
from nanoctl.entrypoints.words import TOKEN_PAGE, os_reason
from nanoctl.entrypoints.words.context import Context

if TYPE_CHECKING:
    from nanoctl.domain.errors import NanoctlError

_NEW_TOKEN = "Run {login} with a new token from " + TOKEN_PAGE


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
