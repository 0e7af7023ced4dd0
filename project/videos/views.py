from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET
from django.views.static import serve

from project.videos.media import is_private_name, media_name_from_token


@require_GET
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Development only (SERVE_MEDIA): what nginx serves at MEDIA_URL in production.
    private/ is never served plainly, only through signed links."""
    if is_private_name(path):
        raise Http404("No such file.")
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


@require_GET
def private_media(request: HttpRequest) -> HttpResponseBase:
    """Serve a PRIVATE video's file to whoever holds a valid, unexpired signed link."""
    try:
        name = media_name_from_token(request.GET.get("t", ""))
    except signing.SignatureExpired:
        return HttpResponse("This link has expired.", status=403, content_type="text/plain")
    except signing.BadSignature:
        raise Http404("No such file.") from None
    if not default_storage.exists(name):
        raise Http404("No such file.")
    if settings.MEDIA_X_ACCEL_REDIRECT:
        # nginx sends the bytes from its internal location; the app only decided who may.
        response: HttpResponseBase = HttpResponse()
        response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX + name
        del response["Content-Type"]
    else:
        response = FileResponse(default_storage.open(name, "rb"))
    response["Cache-Control"] = "private, no-store"
    return response
