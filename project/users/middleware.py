"""`Authorization: Bearer <token>` authentication for API clients."""

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from project.users.services import live_tokens

BEARER = "bearer "


def bearer_token(header: str | None) -> str | None:
    if header and header[: len(BEARER)].lower() == BEARER:
        return header[len(BEARER) :].strip() or None
    return None


class BearerTokenMiddleware:
    """Authenticate a request by its bearer token instead of the session.

    A request that carries a bearer header never uses the session cookie, so it cannot be
    a cross-site forgery: CSRF checks are skipped for it. An unknown, expired or revoked
    token leaves the request anonymous (protected operations then answer UNAUTHENTICATED).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        raw = bearer_token(request.headers.get("Authorization"))
        if raw is not None:
            self._apply(request, live_tokens(raw=raw).first())
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token(request.headers.get("Authorization"))
        if raw is not None:
            self._apply(request, await live_tokens(raw=raw).afirst())
        return await self.get_response(request)

    @staticmethod
    def _apply(request: HttpRequest, token) -> None:
        user = token.user if token is not None else AnonymousUser()
        request.auth_token = token  # type: ignore[attr-defined]
        request.user = user
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]

        async def auser():
            return user

        request.auser = auser  # type: ignore[attr-defined]
