"""The words of the selection (which profile, which API URL, who chose each): its -v lines,
the sentences of its errors, and the advice about the API URL that depends on who chose it.

``errors.explain`` uses SENTENCES and phrases(); every name and URL goes through the
context, so one equal to a token of the run is never shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanoctl.domain.errors import CredentialForOtherApi
from nanoctl.domain.model import DEFAULT_PROFILE
from nanoctl.domain.selection_errors import ProfileHoldsNothing, ProfileInUse, SeveralProfilesForApi
from nanoctl.entrypoints.words.context import Context, profile_origin, url_origin

if TYPE_CHECKING:
    from nanoctl.domain.errors import NanoctlError
    from nanoctl.domain.origins import ApiUrlFrom, ProfileFrom
    from nanoctl.domain.selection import Selection

SENTENCES: dict[type[NanoctlError], tuple[str, str]] = {
    CredentialForOtherApi: (
        "The stored credential of profile {profile}{chosen} is for {stored_url}, "
        "not {current_url} ({url_chosen}); it was not sent.",
        "{ways_out}",
    ),
    ProfileHoldsNothing: ("{what}", "{next}"),
    ProfileInUse: (
        "Profile {profile} holds {whose} for {stored_url}; logging in to "
        "{api_url} ({url_chosen}) would replace it, and nanoctl replaces a credential only on "
        "a yes at a terminal. Nothing was stored.",
        "To keep both, log in again with --profile NAME (a new profile); to replace it, "
        "run {logout} first.",
    ),
    SeveralProfilesForApi: (
        "Profiles {listed} are all logged in to {url} ({url_chosen}); nanoctl will not "
        "guess which one to use.",
        "Name one with --profile ({choices}).",
    ),
}


def phrases(error: NanoctlError, context: Context) -> dict[str, str]:
    if isinstance(error, CredentialForOtherApi):
        return _other_api(error, context)
    if isinstance(error, ProfileHoldsNothing):
        return _holds_nothing(error, context)
    if isinstance(error, ProfileInUse):
        return {
            "whose": (
                f"the credential of {context.shown(error.username)}"
                if error.username
                else "a credential (its user unknown)"
            ),
            "url_chosen": url_origin(error.api_url_from),
        }
    if isinstance(error, SeveralProfilesForApi):
        names = [context.shown(name) for name in error.profiles]
        return {
            "listed": _listed(names),
            "url_chosen": url_origin(error.url_from),
            "choices": " or ".join(f"--profile {name}" for name in names),
        }
    return {}  # pragma: no cover - every error of SENTENCES is worded above


def _other_api(error: CredentialForOtherApi, context: Context) -> dict[str, str]:
    """The ways out of a mismatch: drop or unset what chose the URL, use the profile bound
    to it, or log in there in a new profile."""
    profile = context.shown(error.profile)
    current = context.shown(error.current_url)
    ways = []
    drop = _DROP.get(error.url_from)
    if drop is not None:
        ways.append(f"{drop} to use the API profile {profile} is bound to")
    if error.bound_profile is not None:
        ways.append(f"use --profile {context.shown(error.bound_profile)} (logged in there)")
    ways.append(
        f"log in there in a new profile (`nanoctl login --api-url {current} --profile NAME`)"
    )
    ways_out = ", or ".join([", ".join(ways[:-1]), ways[-1]]) if len(ways) > 1 else ways[0]
    chosen = "" if error.profile_from == "default" else f" ({profile_origin(error.profile_from)})"
    return {
        "chosen": chosen,
        "url_chosen": url_origin(error.url_from),
        "ways_out": f"{ways_out[:1].upper()}{ways_out[1:]}.",
    }


_DROP: dict[ApiUrlFrom, str] = {
    "option": "drop --api-url",
    "environment": "unset NANOSERVICES_API_URL",
    "argument": "drop the api_url= argument",
}


def _holds_nothing(error: ProfileHoldsNothing, context: Context) -> dict[str, str]:
    """A profile that holds nothing, named with the stored ones and the closest of them
    (`Profile devv (from NANOCTL_PROFILE) holds no credential. Stored profiles: default,
    dev. Did you mean dev?`): a typo is not mistaken for "not logged in", and the login
    that would create a profile says so."""
    login = context.nanoctl("login")
    unnamed = error.profile_from == "default"
    if unnamed and not error.stored:
        return {
            "what": "You are not logged in.",
            "next": f"Run {login}, or set NANOSERVICES_TOKEN.",
        }
    profile = context.shown(error.profile)
    chosen = "" if unnamed else f" ({profile_origin(error.profile_from)})"
    listed = stored_profiles(error.profile, error.profile_from, error.stored, context)
    what = f"Profile {profile}{chosen} holds no credential.{listed or ' No profile is stored.'}"
    if unnamed:
        example = context.shown(error.stored[0])
        next_step = (
            f"Name one with --profile (e.g. --profile {example}), run {login} to log in to "
            f"profile {profile}, or set NANOSERVICES_TOKEN."
        )
    elif error.profile == DEFAULT_PROFILE:
        next_step = f"Run {login} to log in to it, or set NANOSERVICES_TOKEN."
    else:
        next_step = (
            f"To create profile {profile} and log in to it, run {login}; or set NANOSERVICES_TOKEN."
        )
    return {"what": what, "next": next_step}


def stored_profiles(
    profile: str, chosen_by: ProfileFrom, stored: tuple[str, ...], context: Context
) -> str:
    """What follows a profile that holds nothing: the stored ones (`Stored profiles:
    default, dev.`) and, for a name someone gave, the closest (`Did you mean dev?`);
    "" when none is stored."""
    if not stored:
        return ""
    words = f" Stored profiles: {', '.join(context.shown(name) for name in stored)}."
    if chosen_by == "default":
        return words
    # Here: difflib only when a named profile holds nothing.
    from difflib import get_close_matches

    meant = get_close_matches(profile, list(stored), n=1, cutoff=0.6)
    return words + (f" Did you mean {context.shown(meant[0])}?" if meant else "")


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- the API URL, by who chose it ----------------------------------------------------------


def url_setting(context: Context) -> str:
    """What sets the API URL in use, to check: the option, the variable, the argument, or
    the URL the profile is bound to (under `status --all`, the only one there is)."""
    return {
        "option": "the URL given to --api-url",
        "argument": "the api_url= argument",
        "profile": f"the URL profile {context.profile_shown} is bound to",
    }.get(context.api_url_from or "default", "NANOSERVICES_API_URL")


def check_network(context: Context) -> str:
    """The next step of an API that could not be reached."""
    if context.api_url_from == "profile" or context.every_profile:
        return f"Check your network; it is the URL profile {context.profile_shown} is bound to."
    return "Check your network; NANOSERVICES_API_URL or --api-url sets the API URL."


def offline_hint(context: Context) -> str:
    """After the advice of an API that could not be used, for `status`: what works offline."""
    if context.command not in ("status", "whoami") or context.every_profile:
        return ""
    return f" {context.nanoctl('status', '--offline')} shows what is known without asking the API."


# --- -v --------------------------------------------------------------------------------------


def profile_line(selection: Selection, context: Context) -> str | None:
    """With -v: the selected profile and who selected it; None for the default one,
    selected by nobody."""
    if selection.profile_from == "default":
        return None
    chosen = profile_origin(selection.profile_from)
    return f"profile: {context.shown(selection.profile.value)} ({chosen})"


def api_url_line(selection: Selection, context: Context) -> str:
    """With -v: the API a command talks to, and who chose it."""
    if selection.api_url_from == "profile":
        chosen = f"profile {context.shown(selection.profile.value)} is bound to it"
    else:
        chosen = url_origin(selection.api_url_from)
    return f"API URL: {context.shown(selection.api_url.value)} ({chosen})"
