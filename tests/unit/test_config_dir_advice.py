"""The advice for an exposed store (#10 item 9): `chmod` only for what is nanoctl's own; a
shared directory (like /tmp) or another program's gets another NANOCTL_CONFIG_DIR, since
closing it would lock its other users out."""

from __future__ import annotations

import pytest

from nanoctl.adapters.store import CREDENTIAL_FILE
from nanoctl.adapters.store.encrypted_store import LOCK_FILE
from nanoctl.adapters.store.keys import KEY_FILE
from nanoctl.adapters.store.private_directories import OWN_NAMES
from nanoctl.domain.store_errors import DirectoryOrigin, ExposedToOthers, ForeignOwner
from nanoctl.entrypoints.words.errors import explain

REFUSED = "nanoctl refuses to use it, like ssh refuses an exposed private key."
ELSEWHERE = (
    "Leave it as it is and choose another NANOCTL_CONFIG_DIR, for nanoctl alone, e.g. "
    "`export NANOCTL_CONFIG_DIR=$HOME/.config/nanoctl` (nanoctl creates it, private)."
)


@pytest.mark.parametrize(
    ("mode", "origin", "want_cause", "want_next"),
    [
        pytest.param(
            0o1777,
            "shared",
            f"/tmp is a shared directory (mode 1777, like /tmp); {REFUSED}",
            ELSEWHERE,
            id="shared",
        ),
        pytest.param(
            0o755,
            "other",
            f"/tmp is accessible to other users (mode 755) and holds files that are not "
            f"nanoctl's; {REFUSED}",
            ELSEWHERE,
            id="other",
        ),
        pytest.param(
            0o755,
            "own",
            f"/tmp is accessible to other users (mode 755); {REFUSED}",
            "Run `chmod 700 /tmp`.",
            id="own",
        ),
    ],
)
def test_an_exposed_directory_is_chmodded_only_when_it_is_nanoctls_own(
    mode: int, origin: DirectoryOrigin, want_cause: str, want_next: str
) -> None:
    explanation = explain(ExposedToOthers("/tmp", mode, directory=True, origin=origin))

    assert (explanation.cause, explanation.next_step) == (want_cause, want_next)


@pytest.mark.parametrize("origin", ["shared", "other"])
def test_a_shared_or_foreign_directory_of_another_owner_is_not_to_be_chowned(
    origin: DirectoryOrigin,
) -> None:
    explanation = explain(ForeignOwner("/tmp", 0, directory=True, origin=origin))

    assert str(explanation) == (
        f"/tmp belongs to another user (uid 0); nanoctl only trusts its own files. {ELSEWHERE}"
    )


def test_our_own_directory_of_another_owner_may_be_chowned() -> None:
    explanation = explain(ForeignOwner("/srv/nanoctl", 0, directory=True, origin="own"))

    assert explanation.next_step == (
        "Run `chown -R $(id -u) /srv/nanoctl` if it is really yours, or point "
        "NANOCTL_CONFIG_DIR at a directory of your own."
    )


def test_every_file_the_store_writes_counts_as_its_own() -> None:
    """Otherwise nanoctl's own directory would be taken for another program's."""
    assert {CREDENTIAL_FILE, KEY_FILE, LOCK_FILE, "profiles"} <= OWN_NAMES
