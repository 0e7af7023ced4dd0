"""Pieces every domain shares."""

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    # A default rather than auto_now_add, so bulk loads (seed data, imports) can set it.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RatingValue(models.TextChoices):
    """A user's rating of a video or a comment. No row at all means "no rating" (NONE)."""

    LIKE = "LIKE", "Like"
    DISLIKE = "DISLIKE", "Dislike"
