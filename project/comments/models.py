from django.conf import settings
from django.db import models

from project.core.models import RatingValue, TimeStampedModel
from project.videos.models import Video


class Comment(TimeStampedModel):
    """A comment on a video, or a reply to one.

    Threads are one level deep, as on the big platforms: a reply to a reply is attached to the
    top-level comment of its thread (the service does that), so `parent` is always top-level.
    Like, dislike and reply counts are denormalised counters kept by the services.
    """

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    content = models.TextField(max_length=2000)
    is_edited = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    dislike_count = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["video", "-created_at"],
                name="comment_top_level_newest",
                condition=models.Q(parent__isnull=True),
            ),
            models.Index(fields=["parent", "created_at"], name="comment_replies_oldest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(content=""), name="comment_content_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on video {self.video_id}"


class CommentRating(TimeStampedModel):
    """A like or a dislike of a comment; no row means no rating."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_ratings"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="ratings")
    value = models.CharField(max_length=7, choices=RatingValue.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"], name="one_rating_per_user_and_comment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value} comment {self.comment_id}"
