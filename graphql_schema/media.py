"""Absolute URLs for stored files."""

from django.db.models.fields.files import FieldFile
from strawberry.types import Info


def absolute_file_url(info: Info, file: FieldFile | None) -> str | None:
    if not file:
        return None
    url = file.url
    request = info.context["request"]
    build = getattr(request, "build_absolute_uri", None)
    return build(url) if build is not None else url
