"""Channels and channel subscriptions: every write lives here."""

from django.db import transaction
from django.db.models import F

from project.channels.models import Channel, ChannelSubscription
from project.core.errors import ErrorCode, Forbidden, field_error
from project.core.services import lock_row, model_save, model_update, model_validate
from project.users.models import User

CHANNEL_EDITABLE_FIELDS = ["handle", "name", "description"]


def channel_ensure_owner(*, channel: Channel, actor: User) -> None:
    if channel.owner_id != actor.pk:
        raise Forbidden("Only the channel's owner may do this.")


@transaction.atomic
def channel_create(*, owner: User, handle: str, name: str, description: str = "") -> Channel:
    """Create a channel owned by `owner`.

    The handle is trimmed and lower-cased, so it is unique regardless of case; being a slug,
    it is URL-safe (ASCII letters, digits, - and _).
    """
    channel = Channel(
        owner=owner, handle=handle.strip().lower(), name=name.strip(), description=description
    )
    model_validate(channel)
    model_save(channel)
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, actor: User, data: dict) -> Channel:
    """Partial update: only the keys present in `data` change."""
    channel_ensure_owner(channel=channel, actor=actor)
    channel = lock_row(Channel.objects, channel.pk, field="id", no_key=True)
    data = dict(data)
    if "handle" in data:
        data["handle"] = data["handle"].strip().lower()
    if "name" in data:
        data["name"] = data["name"].strip()
    channel, _ = model_update(instance=channel, fields=CHANNEL_EDITABLE_FIELDS, data=data)
    return channel


@transaction.atomic
def channel_delete(*, channel: Channel, actor: User) -> Channel:
    """Delete a channel with its videos; returns the (now unsaved) channel with its old id.

    The channel's row, then its videos' rows are locked first (the lock order of every
    write: channel, video, comment), so a video uploaded or a comment posted meanwhile
    either lands before (and is deleted with the channel, files included) or finds the
    channel gone.
    """
    from project.videos.services import video_files_delete_on_commit

    channel_ensure_owner(channel=channel, actor=actor)
    channel = lock_row(Channel.objects, channel.pk, field="id")
    pk = channel.pk
    for video in channel.videos.select_for_update().order_by("pk").only("file", "thumbnail"):
        video_files_delete_on_commit(video)
    channel.delete()
    channel.pk = pk
    return channel


def _lock(channel: Channel) -> Channel:
    """Lock the channel's row: concurrent (un)subscribes then run one after another, which
    keeps subscriber_count exact. A channel deleted meanwhile is NOT_FOUND."""
    return lock_row(Channel.objects, channel.pk, field="channelId", no_key=True)


@transaction.atomic
def channel_subscribe(*, user: User, channel: Channel) -> Channel:
    """Follow a channel; doing it twice changes nothing. Not allowed on your own channel."""
    locked = _lock(channel)
    if locked.owner_id == user.pk:
        raise field_error(
            "channelId", "You cannot subscribe to your own channel.", ErrorCode.OWN_CHANNEL
        )
    _, created = ChannelSubscription.objects.get_or_create(subscriber=user, channel=locked)
    if created:
        Channel.objects.filter(pk=locked.pk).update(subscriber_count=F("subscriber_count") + 1)
    return channel


@transaction.atomic
def channel_unsubscribe(*, user: User, channel: Channel) -> Channel:
    """Stop following a channel; doing it twice changes nothing."""
    _lock(channel)
    deleted, _ = ChannelSubscription.objects.filter(subscriber=user, channel=channel).delete()
    if deleted:
        Channel.objects.filter(pk=channel.pk).update(subscriber_count=F("subscriber_count") - 1)
    return channel
