"""What can go wrong choosing the profile and the API URL of a run, as facts: which profile,
chosen by whom, which URL, chosen by whom. Part of the one hierarchy of
``nanoctl.domain.errors``; the words are in ``nanoctl.entrypoints.words.selection``."""

from __future__ import annotations

from nanoctl.domain.errors import NotLoggedIn, UsageError
from nanoctl.domain.origins import ApiUrlFrom, ProfileFrom


class SeveralProfilesForApi(UsageError):
    """No profile was named, and ``profiles`` are all bound to the ``url`` that
    ``url_from`` gave: which stored credential to use is not nanoctl's to guess."""

    kind = "ambiguous_profile"

    def __init__(self, url: str, url_from: ApiUrlFrom, profiles: tuple[str, ...]) -> None:
        super().__init__(url, url_from, profiles)
        self.url = url
        self.url_from: ApiUrlFrom = url_from
        self.profiles = profiles


class ProfileHoldsNothing(NotLoggedIn):
    """The selected ``profile`` (chosen by ``profile_from``) holds no credential;
    ``stored`` are the profiles that do, so the words can list them and guess a typo."""

    def __init__(
        self, profile: str, profile_from: ProfileFrom, stored: tuple[str, ...] = ()
    ) -> None:
        super().__init__(profile, profile_from, stored)
        self.profile = profile
        self.profile_from: ProfileFrom = profile_from
        self.stored = stored


class ProfileInUse(NotLoggedIn):
    """A login to ``api_url`` would replace ``username``'s credential for ``stored_url`` in
    ``profile``, and nobody can be asked (``-n``, no terminal): it is kept, nothing is stored."""

    kind = "profile_in_use"

    def __init__(
        self,
        profile: str,
        username: str | None,
        stored_url: str,
        api_url: str,
        api_url_from: ApiUrlFrom,
    ) -> None:
        super().__init__(profile, stored_url, api_url)
        self.profile = profile
        self.username = username
        self.stored_url = stored_url
        self.api_url = api_url
        self.api_url_from: ApiUrlFrom = api_url_from
