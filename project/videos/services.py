"""Videos, their ratings and views: every write lives here."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile

from project.channels.models import Channel
from project.channels.services import channel_ensure_owner
from project.core import events
from project.core.ratings import rating_set
from project.core.services import lock_row, model_update, model_validate, not_found
from project.users.models import User
from project.videos.files import IMAGE_TYPES, VIDEO_TYPES, validate_upload
from project.videos.media import media_relocate
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


@contextmanager
def _files_deleted_on_failure() -> Iterator[list[FieldFile]]:
    """Files are written to storage during save(), before the row is committed. If anything
    fails after that (the INSERT, a counter, the COMMIT), the files this block stored (the
    ones added to the yielded list) are deleted: a failed upload leaves nothing behind."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for file in stored:
            if file.name:
                file.storage.delete(file.name)
        raise


def _adjust_public_count(channel_id: int, delta: int) -> None:
    if delta:
        Channel.objects.filter(pk=channel_id).update(video_count=F("video_count") + delta)


def _check_thumbnail(thumbnail: File) -> str:
    return validate_upload(
        field="thumbnail",
        file=thumbnail,
        allowed=IMAGE_TYPES,
        max_bytes=settings.THUMBNAIL_MAX_BYTES,
    )


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
    """Publish a video on a channel the actor owns.

    Files are checked by content (never by name or content-type header) and size before
    anything is written; they are stored under random names with the extension of the type
    detected. Only PUBLIC videos count in the channel's video_count.
    """
    channel_ensure_owner(channel=channel, actor=actor)
    video_ext = validate_upload(
        field="file", file=file, allowed=VIDEO_TYPES, max_bytes=settings.VIDEO_MAX_BYTES
    )
    thumb_ext = _check_thumbnail(thumbnail) if thumbnail is not None else None
    video = Video(
        channel=channel,
        title=title.strip(),
        description=description,
        category=category.strip(),
        visibility=visibility,
        file=_named(file, video_ext),
    )
    if thumbnail is not None and thumb_ext is not None:
        video.thumbnail = _named(thumbnail, thumb_ext)  # type: ignore[assignment]
    with _files_deleted_on_failure() as stored, transaction.atomic():
        # Waits for (or finds gone) a concurrent deletion of the channel.
        lock_row(Channel.objects, channel.pk, field="channelId", no_key=True)
        model_validate(video)
        video.save()
        stored.extend(f for f in (video.file, video.thumbnail) if f)
        _adjust_public_count(channel.pk, 1 if video.is_public else 0)
    return video


def _lock_video_and_channel(video: Video) -> Video:
    """Lock the channel's row, then the video's (the lock order of every write), and return
    the video as it is now, with its channel. Gone meanwhile: NOT_FOUND on `id`."""
    channel_id = Video.objects.filter(pk=video.pk).values_list("channel_id", flat=True).first()
    if channel_id is None:
        raise not_found("id", Video)
    lock_row(Channel.objects, channel_id, field="id", no_key=True)
    return lock_row(Video.objects.select_related("channel"), video.pk, field="id")


def video_update(*, video: Video, actor: User, data: dict, thumbnail: File | None = None) -> Video:
    """Partial update (keys absent from `data` stay); a new thumbnail replaces the old one,
    whose file is deleted once the change is committed. Nothing changes if anything fails."""
    with _files_deleted_on_failure() as stored, transaction.atomic():
        video = _lock_video_and_channel(video)
        channel_ensure_owner(channel=video.channel, actor=actor)
        thumb_ext = _check_thumbnail(thumbnail) if thumbnail is not None else None
        was_public = video.is_public
        data = {k: (v.strip() if k in {"title", "category"} else v) for k, v in data.items()}
        video, _ = model_update(instance=video, fields=VIDEO_EDITABLE_FIELDS, data=data)
        if thumbnail is not None and thumb_ext is not None:
            old = video.thumbnail.name if video.thumbnail else None
            video.thumbnail = _named(thumbnail, thumb_ext)  # type: ignore[assignment]
            video.save(update_fields=["thumbnail", "updated_at"])
            stored.append(video.thumbnail)
            if old:
                transaction.on_commit(partial(video.thumbnail.storage.delete, old))
        # A PRIVATE video's files move to the private area (and back when it opens up).
        stored.extend(media_relocate(video, private=video.visibility == Visibility.PRIVATE))
        _adjust_public_count(video.channel_id, int(video.is_public) - int(was_public))
        # Live viewers re-check access (a video made PRIVATE stops streaming to others).
        transaction.on_commit(partial(events.video_stats_changed, video_id=video.pk))
    return video


@transaction.atomic
def video_delete(*, video: Video, actor: User) -> Video:
    """Delete a video, its comments and ratings; its files go once the deletion commits."""
    video = _lock_video_and_channel(video)
    channel_ensure_owner(channel=video.channel, actor=actor)
    pk = video.pk
    video_files_delete_on_commit(video)
    _adjust_public_count(video.channel_id, -1 if video.is_public else 0)
    video.delete()
    video.pk = pk
    # Live viewers learn the video is gone.
    transaction.on_commit(partial(events.video_stats_changed, video_id=pk))
    return video


@transaction.atomic
def video_record_view(*, video: Video) -> Video:
    """Count one view. A single UPDATE ... SET views_count = views_count + 1: no lost updates."""
    if not Video.objects.filter(pk=video.pk).update(views_count=F("views_count") + 1):
        raise not_found("videoId", Video)
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
        field="videoId",
    )
    if changed:
        transaction.on_commit(partial(events.video_stats_changed, video_id=video.pk))
    return video
