"""The lines of `nanoctl login` about the old Node nanoctl's token files (--import-legacy,
and the offer before the prompt): where the token came from, which copies went and why,
which stayed; and their JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.entrypoints.words import esc, os_reason

if TYPE_CHECKING:
    from nanoctl.domain.legacy.files import KeptReason, LegacyImport

UNSAFE = (
    "anyone who could read them could rebuild their key from this machine's host name and "
    "your user name"
)


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


def legacy_json(imported: LegacyImport) -> dict[str, object]:
    return {
        "source": imported.source,
        "removed": list(imported.removed),
        "kept": [{"path": kept.path, "reason": kept.reason} for kept in imported.kept],
        "not_removed": [gone.path for gone in imported.not_removed],
    }
