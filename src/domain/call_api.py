"""`nanoctl api`: a request to the selected API with the current credential, and what its
answer's status means.

The request is checked first (where it goes: nothing leaves for a URL outside the API),
then the credential is found as every command finds it (NANOSERVICES_TOKEN or its file,
else the selected profile's), then the request is sent. The answer comes back whatever its
status, so its body can be shown; ``ApiCall.failure()`` says how the run ends: a success,
the token rejected (3), the API unusable (4), or another status (1).
"""

from __future__ import annotations

from nanoctl.domain.api_errors import RateLimited, RedirectNotFollowed, ServerError
from nanoctl.domain.api_request import ApiRequest
from nanoctl.domain.current_credential import CurrentCredential, ResolveCredential
from nanoctl.domain.errors import InvalidToken, NanoctlError
from nanoctl.domain.model import Credential, Token, Value
from nanoctl.domain.origins import TokenOrigin
from nanoctl.domain.ports import ApiAnswer, ApiClient
from nanoctl.domain.request_errors import ForbiddenRequest, UnsuccessfulStatus
from nanoctl.domain.selection import Selection
from nanoctl.domain.url_scope import redirect_location

NOT_MODIFIED = 304


class ApiCall(Value):
    """A request sent to ``url`` and its ``answer``, with the ``current`` credential it
    carried (its token to mask in what is shown, and where that came from: the next step
    of a rejection); ``api_url`` is the API the errors name."""

    __slots__ = ("answer", "api_url", "current", "request", "url")

    def __init__(
        self,
        request: ApiRequest,
        url: str,
        answer: ApiAnswer,
        current: CurrentCredential,
        api_url: str,
    ) -> None:
        self.request = request
        self.url = url
        self.answer = answer
        self.current = current
        self.api_url = api_url

    @property
    def credential(self) -> Credential:
        return self.current.credential

    @property
    def origin(self) -> TokenOrigin:
        return self.current.origin

    @property
    def token(self) -> Token:
        return self.credential.token

    @property
    def redirected(self) -> bool:
        """A redirect, which is not followed: its body is not the answer asked for. (A 304
        Not Modified is not one: it answers a conditional request, and has no body.)"""
        return 300 <= self.answer.status <= 399 and self.answer.status != NOT_MODIFIED

    def failure(self) -> NanoctlError | None:  # noqa: PLR0911 - one case per kind of status
        """How the status ends the run: None for a 2xx (and a 304); InvalidToken (401) or
        ForbiddenRequest (403) naming the token's source; RateLimited (429), ServerError
        (5xx) or RedirectNotFollowed (3xx, naming only where it points) as the API being
        unusable; UnsuccessfulStatus for any other."""
        status = self.answer.status
        request = self.request
        if 200 <= status <= 299 or status == NOT_MODIFIED:
            return None
        if self.redirected:
            target, parseable = redirect_origin(self.url, _header(self.answer, "Location"))
            return RedirectNotFollowed(self.api_url, status, target, parseable)
        if status == 401:
            return InvalidToken(origin=self.origin)
        if status == 403:
            return ForbiddenRequest(request.method, request.shown_path, origin=self.origin)
        if status == 429:
            return RateLimited(self.api_url, self.answer.retry_after)
        if 500 <= status <= 599:
            return ServerError(self.api_url, status)
        return UnsuccessfulStatus(status, request.method, request.shown_path, self.api_url)


class CallApi:
    """Sends a request made for the user to the selection's API with the current credential."""

    def __init__(self, resolve: ResolveCredential, client: ApiClient, selection: Selection) -> None:
        self._resolve = resolve
        self._client = client
        self._selection = selection

    def call(self, request: ApiRequest) -> ApiCall:
        """The request sent, its answer's head received.

        Raises UrlOutsideApi before anything is read or sent; what ResolveCredential.resolve
        raises (not logged in, expired, another API's credential, a damaged store);
        ApiUnavailable when no answer came; InputUnusable for a body file that cannot be read.
        """
        api_url = self._selection.api_url
        url = request.url_under(api_url)
        current = self._resolve.resolve()
        answer = self._client.send(request, url, current.credential)
        return ApiCall(request, url, answer, current, api_url.value)


def redirect_origin(url: str, location: str | None) -> tuple[str | None, bool]:
    """Where a redirect from ``url`` points, as its origin only (scheme, host, port): its
    path and query may carry a token. None for no Location; False for one unreadable."""
    if not location:
        return None, True
    where = redirect_location(url, location)
    if where is None:
        return None, False
    return "".join(c if "!" <= c <= "~" else "?" for c in where[0])[:200], True


def _header(answer: ApiAnswer, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in answer.headers if key.lower() == wanted), None)
