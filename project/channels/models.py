from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from project.core.models import TimeStampedModel


class Channel(TimeStampedModel):
    """A creator's channel. One user may own several.

    `subscriber_count` and `video_count` (PUBLIC videos) are denormalised counters: every list of
    channels shows them, so they are kept exact by the services with F() updates inside the
    same transaction as the change, instead of being counted on each read.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels"
    )
    handle = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=5000, blank=True)
    subscriber_count = models.PositiveIntegerField(default=0, editable=False)
    video_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Handles are stored lower-cased, which makes the unique index case-insensitive.
            models.CheckConstraint(
                condition=models.Q(handle=Lower("handle")), name="channel_handle_lowercase"
            ),
        ]
        indexes = [models.Index(fields=["-created_at"], name="channel_newest")]

    def __str__(self) -> str:
        return f"@{self.handle}"


class ChannelSubscription(models.Model):
    """A user following a channel (not a GraphQL subscription)."""

    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_subscriptions"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "channel"], name="one_subscription_per_user_and_channel"
            ),
            # "Not to your own channel" spans two tables, so a CHECK cannot express it;
            # channel_subscribe() enforces it under a row lock.
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} -> {self.channel_id}"
