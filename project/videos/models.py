import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from project.channels.models import Channel
from project.core.models import RatingValue, TimeStampedModel


def _random_name(folder: str, filename: str) -> str:
    # Never trust the client's file name: keep only the extension, which the service has
    # already set from the detected content type.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def _area(instance: "Video") -> str:
    # A PRIVATE video's files are never served plainly (see project/videos/media.py).
    return "private/" if instance.visibility == Visibility.PRIVATE else ""


def video_upload_to(instance: "Video", filename: str) -> str:
    return _random_name(f"{_area(instance)}videos", filename)


def thumbnail_upload_to(instance: "Video", filename: str) -> str:
    return _random_name(f"{_area(instance)}thumbnails", filename)


class Visibility(models.TextChoices):
    """PUBLIC is listed everywhere; UNLISTED only by id; PRIVATE only to its owner."""

    PUBLIC = "PUBLIC", "Public"
    UNLISTED = "UNLISTED", "Unlisted"
    PRIVATE = "PRIVATE", "Private"


class Video(TimeStampedModel):
    """A video of a channel.

    The counters (views, likes, dislikes, comments) are denormalised: every list shows them,
    so the services keep them exact with F() updates in the transaction of the change.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    category = models.CharField(max_length=50, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file = models.FileField(upload_to=video_upload_to, max_length=255)
    thumbnail = models.FileField(upload_to=thumbnail_upload_to, max_length=255, blank=True)
    views_count = models.PositiveBigIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    dislike_count = models.PositiveIntegerField(default=0, editable=False)
    # Every comment on the video, replies included.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Full-text search document: the title weighs more than the description.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("description", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A channel's page (owner view: every visibility), newest first.
            models.Index(fields=["channel", "-created_at"], name="video_channel_newest"),
            # Public lists: the global list, a channel's public videos and the feed
            # (channel_id IN (...) ORDER BY created_at DESC).
            models.Index(
                fields=["-created_at"],
                name="video_public_newest",
                condition=models.Q(visibility="PUBLIC"),
            ),
            models.Index(
                fields=["channel", "-created_at"],
                name="video_public_channel_newest",
                condition=models.Q(visibility="PUBLIC"),
            ),
            GinIndex(fields=["search_vector"], name="video_search"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class VideoRating(TimeStampedModel):
    """A like or a dislike; no row means no rating."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_ratings"
    )
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="ratings")
    value = models.CharField(max_length=7, choices=RatingValue.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "video"], name="one_rating_per_user_and_video")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value} video {self.video_id}"
