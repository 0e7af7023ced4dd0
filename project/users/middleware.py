"""`Authorization: Bearer <token>` authentication for API clients."""

from collections.abc import Callable

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
    HTTP is served synchronously (see project/asgi.py), so this middleware is too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token(request.headers.get("Authorization"))
        if raw is not None:
            token = live_tokens(raw=raw).first()
            request.auth_token = token  # type: ignore[attr-defined]
            request.user = token.user if token is not None else AnonymousUser()
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
