"""Where a video's files live, and signed links to the private ones.

PUBLIC and UNLISTED media sit under MEDIA_ROOT and are served plainly (cacheable) at MEDIA_URL.
A PRIVATE video's files sit under `private/`, which is never served plainly: only through a
signed, expiring link checked by the app, which then lets nginx send the bytes
(X-Accel-Redirect to an internal location) or, in development, sends them itself.
"""

import logging
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse

logger = logging.getLogger(__name__)

PRIVATE_DIR = "private/"
SIGNING_SALT = "videos.private-media"
MEDIA_FIELDS = ("file", "thumbnail")


def is_private_name(name: str) -> bool:
    return name.startswith(PRIVATE_DIR)


def _target_name(name: str, *, private: bool) -> str:
    return PRIVATE_DIR + name if private else name.removeprefix(PRIVATE_DIR)


def media_relocate(video, *, private: bool) -> list[FieldFile]:
    """Move the video's files into (or out of) the private area. Call inside the transaction
    that changes the visibility: the old copies are deleted once it commits; the new ones are
    returned so the caller can delete them if it fails."""
    moved: list[FieldFile] = []
    for field in MEDIA_FIELDS:
        stored: FieldFile = getattr(video, field)
        old_name = stored.name if stored else None
        if not old_name or is_private_name(old_name) == private:
            continue
        if not stored.storage.exists(old_name):
            logger.warning("video %s: %s is missing from storage; not moved", video.pk, old_name)
            continue
        with stored.storage.open(old_name, "rb") as content:
            new_name = stored.storage.save(_target_name(old_name, private=private), content)
        setattr(video, field, new_name)
        transaction.on_commit(partial(stored.storage.delete, old_name))
        moved.append(getattr(video, field))
    if moved:
        video.save(update_fields=[*MEDIA_FIELDS, "updated_at"])
    return moved


def signed_media_url(name: str) -> str:
    """A link to a private file that works for PRIVATE_MEDIA_URL_TTL seconds."""
    token = signing.TimestampSigner(salt=SIGNING_SALT).sign(name)
    return f"{reverse('private-media')}?{urlencode({'t': token})}"


def media_name_from_token(token: str) -> str:
    """The private file a link names; raises signing.BadSignature (or SignatureExpired)."""
    signer = signing.TimestampSigner(salt=SIGNING_SALT)
    name = signer.unsign(token, max_age=settings.PRIVATE_MEDIA_URL_TTL)
    if not is_private_name(name) or ".." in name.split("/"):
        raise signing.BadSignature("not a private media file")
    return name
