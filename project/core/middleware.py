"""CSRF protects cookie sessions; requests that carry no session need no such check."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def needs_csrf_check(request: HttpRequest) -> bool:
    """A forged cross-site request rides on the victim's session cookie. Without one there is
    nothing to forge, and a JSON body cannot be sent cross-site without a CORS preflight, which
    only the configured origins pass. Form-encoded and multipart bodies (which any web page can
    post) are always checked."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    content_type = request.content_type or ""
    return content_type != "application/json"


class SessionlessJsonCsrfMiddleware:
    """Skip the CSRF check for session-less JSON requests (API clients, scripts, curl)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not needs_csrf_check(request):
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
