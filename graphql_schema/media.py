"""Absolute URLs for stored files."""

from django.db.models.fields.files import FieldFile
from strawberry.types import Info

from project.videos.media import is_private_name, signed_media_url


def absolute_file_url(info: Info, file: FieldFile | None) -> str | None:
    """Plain URL for public media; a signed, expiring link for a PRIVATE video's files."""
    if not file or not file.name:
        return None
    url = signed_media_url(file.name) if is_private_name(file.name) else file.url
    request = info.context["request"]
    build = getattr(request, "build_absolute_uri", None)
    return build(url) if build is not None else url
