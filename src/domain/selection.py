"""Which profile and which API URL a run uses, and who chose each: resolved once, before any
use case, so that every use case and every message reads the same choice (SPEC §4).

- the profile: ``--profile`` > ``NANOCTL_PROFILE`` > the one profile bound to an explicit
  URL, when exactly one is > ``default``;
- the API URL: ``--api-url`` > ``NANOSERVICES_API_URL`` > the selected profile's stored URL
  > the built-in default.

(The Python API's ``profile=`` and ``api_url=`` arguments count as the options.)
"""

from __future__ import annotations

from nanoctl.domain.model import DEFAULT_API_URL, DEFAULT_PROFILE, ApiUrl, ProfileName, Value
from nanoctl.domain.origins import ApiUrlFrom, ApiUrlOrigin, ProfileFrom, ProfileNameOrigin
from nanoctl.domain.ports import Profiles
from nanoctl.domain.store_errors import StorageError


class ProfileChoice(Value):
    """A profile named by someone: --profile, NANOCTL_PROFILE or ``profile=``."""

    __slots__ = ("name", "origin")

    def __init__(self, name: ProfileName, origin: ProfileNameOrigin) -> None:
        self.name = name
        self.origin: ProfileNameOrigin = origin


class ApiUrlChoice(Value):
    """An API URL given by someone, as given (parsed when the selection is resolved)."""

    __slots__ = ("origin", "value")

    def __init__(self, value: str, origin: ApiUrlOrigin) -> None:
        self.value = value
        self.origin: ApiUrlOrigin = origin


class Selection(Value):
    """The profile and the API URL of this run, each with who chose it. ``competing``:
    several profiles are bound to the given URL and none was named; ``profile`` is then
    only a stand-in (``default``), and no stored credential may be used."""

    __slots__ = ("api_url", "api_url_from", "competing", "profile", "profile_from")

    def __init__(
        self,
        profile: ProfileName,
        profile_from: ProfileFrom,
        api_url: ApiUrl,
        api_url_from: ApiUrlFrom,
        competing: tuple[ProfileName, ...] = (),
    ) -> None:
        self.profile = profile
        self.profile_from: ProfileFrom = profile_from
        self.api_url = api_url
        self.api_url_from: ApiUrlFrom = api_url_from
        self.competing = competing

    @property
    def url_given(self) -> bool:
        """The URL was given (an option, a variable, an argument), not found or defaulted."""
        return self.api_url_from in ("option", "environment", "argument")

    @property
    def profile_named(self) -> bool:
        """The profile was named (an option, a variable, an argument)."""
        return self.profile_from in ("option", "environment", "argument")

    def profile_to_use(self) -> ProfileName:
        """The profile whose stored credential this run may read, write or remove.

        Raises SeveralProfilesForApi when the URL is bound to several and none was named.
        """
        if self.competing:
            # Here: the selection's errors only when one is raised (~0.3 ms every run else).
            from nanoctl.domain.selection_errors import SeveralProfilesForApi

            raise SeveralProfilesForApi(
                self.api_url.value, self.api_url_from, tuple(p.value for p in self.competing)
            )
        return self.profile


class SelectProfileAndApi:
    """Resolves the Selection of a run from what was given, reading the stored credentials
    only when the answer depends on them: the selected profile's (its URL, when none was
    given), and, for a given URL with no profile named, those of the profiles that may be
    bound to it (none when ``default`` is the only one: it is then chosen either way)."""

    def __init__(self, profiles: Profiles, default_url: str = DEFAULT_API_URL) -> None:
        self._profiles = profiles
        self._default_url = default_url

    def select(self, profile: ProfileChoice | None, api_url: ApiUrlChoice | None) -> Selection:
        """Raises InvalidApiUrl or InsecureApiUrl for a given URL that cannot be used."""
        url = ApiUrl.parse(api_url.value) if api_url is not None else None
        name, name_from, competing = self._profile(profile, url)
        if url is not None and api_url is not None:
            return Selection(name, name_from, url, api_url.origin, competing)
        stored = self._stored_url(name)
        if stored is not None:
            return Selection(name, name_from, stored, "profile")
        return Selection(name, name_from, ApiUrl.parse(self._default_url), "default")

    def _profile(
        self, chosen: ProfileChoice | None, url: ApiUrl | None
    ) -> tuple[ProfileName, ProfileFrom, tuple[ProfileName, ...]]:
        if chosen is not None:
            return chosen.name, chosen.origin, ()
        default = ProfileName(DEFAULT_PROFILE)
        if url is None:
            return default, "default", ()
        bound = self.bound_to(url)
        if len(bound) == 1:
            return bound[0], "api_url", ()
        return default, "default", tuple(bound) if len(bound) > 1 else ()

    def bound_to(self, url: ApiUrl) -> list[ProfileName]:
        """The profiles whose stored credential is for ``url``; one that cannot be read is
        passed over (it is reported when selected). With ``default`` the only profile
        stored, nothing is read: whether it is bound to ``url`` or not, it is the one."""
        names = self._profiles.names()
        if all(name.is_default for name in names):
            return []
        return [name for name in names if self._stored_url(name) == url]

    def _stored_url(self, name: ProfileName) -> ApiUrl | None:
        store = self._profiles.store_of(name)
        if not store.holds_credential():  # a run with nothing stored reads nothing
            return None
        try:
            stored = store.load()
        except StorageError:  # the use case reads it again and reports the fault
            return None
        return stored.api_url if stored is not None else None
