"""Videos, their ratings and views: every write lives here."""

from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F

from project.channels.models import Channel
from project.channels.services import channel_ensure_owner
from project.core import events
from project.core.ratings import rating_set
from project.core.services import model_update
from project.users.models import User
from project.videos.files import IMAGE_TYPES, VIDEO_TYPES, validate_upload
from project.videos.models import Video, VideoRating, Visibility

VIDEO_EDITABLE_FIELDS = ["title", "description", "category", "visibility"]


def _named(file: File, extension: str) -> File:
    # The storage name is random (upload_to); only the detected extension survives.
    file.name = f"upload{extension}"
    return file


def video_files_delete_on_commit(video: Video) -> None:
    """Remove the stored files once the deletion is committed (a rollback keeps them)."""
    for stored in (video.file, video.thumbnail):
        if stored and stored.name:
            transaction.on_commit(partial(stored.storage.delete, stored.name))


def _adjust_public_count(channel_id: int, delta: int) -> None:
    if delta:
        Channel.objects.filter(pk=channel_id).update(video_count=F("video_count") + delta)


@transaction.atomic
def video_create(
    *,
    actor: User,
    channel: Channel,
    title: str,
    file: File,
    description: str = "",
    category: str = "",
    visibility: str = Visibility.PUBLIC,
    thumbnail: File | None = None,
) -> Video:
    """Publish a video on a channel the actor owns. Files are checked by content and size."""
    channel_ensure_owner(channel=channel, actor=actor)
    video_ext = validate_upload(
        field="file", file=file, allowed=VIDEO_TYPES, max_bytes=settings.VIDEO_MAX_BYTES
    )
    video = Video(
        channel=channel,
        title=title.strip(),
        description=description,
        category=category.strip(),
        visibility=visibility,
        file=_named(file, video_ext),
    )
    if thumbnail is not None:
        thumb_ext = validate_upload(
            field="thumbnail",
            file=thumbnail,
            allowed=IMAGE_TYPES,
            max_bytes=settings.THUMBNAIL_MAX_BYTES,
        )
        video.thumbnail = _named(thumbnail, thumb_ext)
    video.full_clean()
    video.save()
    _adjust_public_count(channel.pk, 1 if video.is_public else 0)
    return video


@transaction.atomic
def video_update(*, video: Video, actor: User, data: dict, thumbnail: File | None = None) -> Video:
    """Partial update; a new thumbnail replaces (and deletes) the old one."""
    video = Video.objects.select_for_update().select_related("channel").get(pk=video.pk)
    channel_ensure_owner(channel=video.channel, actor=actor)
    was_public = video.is_public
    data = {k: (v.strip() if k in {"title", "category"} else v) for k, v in data.items()}
    video, _ = model_update(instance=video, fields=VIDEO_EDITABLE_FIELDS, data=data)
    if thumbnail is not None:
        ext = validate_upload(
            field="thumbnail",
            file=thumbnail,
            allowed=IMAGE_TYPES,
            max_bytes=settings.THUMBNAIL_MAX_BYTES,
        )
        old = video.thumbnail.name if video.thumbnail else None
        video.thumbnail = _named(thumbnail, ext)
        video.save(update_fields=["thumbnail", "updated_at"])
        if old:
            transaction.on_commit(partial(video.thumbnail.storage.delete, old))
    _adjust_public_count(video.channel_id, int(video.is_public) - int(was_public))
    return video


@transaction.atomic
def video_delete(*, video: Video, actor: User) -> Video:
    """Delete a video, its comments and ratings; its files go once the deletion commits."""
    video = Video.objects.select_for_update().select_related("channel").get(pk=video.pk)
    channel_ensure_owner(channel=video.channel, actor=actor)
    pk = video.pk
    video_files_delete_on_commit(video)
    _adjust_public_count(video.channel_id, -1 if video.is_public else 0)
    video.delete()
    video.pk = pk
    return video


@transaction.atomic
def video_record_view(*, video: Video) -> Video:
    """Count one view. A single UPDATE ... SET views_count = views_count + 1: no lost updates."""
    Video.objects.filter(pk=video.pk).update(views_count=F("views_count") + 1)
    transaction.on_commit(partial(events.video_stats_changed, video_id=video.pk))
    return video


@transaction.atomic
def video_rate(*, user: User, video: Video, rating: str | None) -> Video:
    """Set the user's rating (LIKE, DISLIKE, or None to clear it). Idempotent."""
    changed = rating_set(
        rating_model=VideoRating,
        target_model=Video,
        target_field="video_id",
        target_pk=video.pk,
        user=user,
        rating=rating,
    )
    if changed:
        transaction.on_commit(partial(events.video_stats_changed, video_id=video.pk))
    return video
