"""Uploaded files are identified by their bytes, never by their name or content-type header."""

import puremagic
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat

from project.core.errors import ErrorCode

# MIME type -> the extension we store it under.
VIDEO_TYPES = {"video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov"}
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
}
SNIFF_BYTES = 8192  # every signature we accept sits in the first few bytes


def detect_type(file: File, allowed: dict[str, str]) -> str | None:
    """The allowed MIME type the file's content matches, or None."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not head:  # an empty upload; puremagic raises ValueError for it
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        if match.mime_type in allowed:
            return match.mime_type
    return None


def validate_upload(*, field: str, file: File, allowed: dict[str, str], max_bytes: int) -> str:
    """Check size and content; returns the extension to store the file under."""
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            {
                field: ValidationError(
                    f"The file is larger than {filesizeformat(max_bytes)}.",
                    code=ErrorCode.FILE_TOO_LARGE,
                )
            }
        )
    mime = detect_type(file, allowed)
    if mime is None:
        kinds = ", ".join(sorted(ext.lstrip(".") for ext in allowed.values()))
        raise ValidationError(
            {
                field: ValidationError(
                    f"Unsupported file type: the content is not one of {kinds}.",
                    code=ErrorCode.UNSUPPORTED_FILE_TYPE,
                )
            }
        )
    return allowed[mime]
