"""Channel services: ownership, normalised unique handles, idempotent subscriptions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from project.channels import services
from project.channels.models import Channel, ChannelSubscription
from project.core.errors import ErrorCode
from project.core.factories import ChannelFactory, ChannelSubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_normalises_the_handle():
    """Handles are trimmed and lower-cased, names trimmed."""
    channel = services.channel_create(owner=UserFactory(), handle=" My-Show ", name=" Show ")
    assert (channel.handle, channel.name) == ("my-show", "Show")


def test_create_losing_a_race_for_a_handle_is_a_unique_error(monkeypatch):
    """The uniqueness check can pass for two requests at once; the database index decides,
    and the loser gets the usual `unique` error instead of an IntegrityError."""
    ChannelFactory(handle="taken")
    real = Channel.validate_unique
    calls: list[object] = []

    def blind_first_check(self, exclude=None):
        calls.append(exclude)
        return None if len(calls) == 1 else real(self, exclude)

    monkeypatch.setattr(Channel, "validate_unique", blind_first_check)
    with pytest.raises(ValidationError) as raised:
        services.channel_create(owner=UserFactory(), handle="TAKEN", name="x")
    assert [e.code for e in raised.value.error_dict["handle"]] == ["unique"]
    assert Channel.objects.count() == 1


def test_update_saves_only_what_changed():
    """A partial update leaves the keys not given as they were."""
    channel = ChannelFactory(handle="a", name="A", description="D")
    updated = services.channel_update(channel=channel, actor=channel.owner, data={"name": " B "})
    updated.refresh_from_db()
    assert (updated.handle, updated.name, updated.description) == ("a", "B", "D")


def test_update_and_delete_are_for_the_owner_only():
    """Anyone else gets PermissionDenied coded FORBIDDEN, and the channel stays."""
    channel = ChannelFactory()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied) as raised:
        services.channel_update(channel=channel, actor=stranger, data={"name": "x"})
    assert raised.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(PermissionDenied):
        services.channel_delete(channel=channel, actor=stranger)
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_subscribe_twice_counts_once_and_unsubscribe_twice_uncounts_once():
    """Both are idempotent: one row at most, and the counter follows the rows."""
    channel, fan = ChannelFactory(), UserFactory()
    for _ in range(2):
        services.channel_subscribe(user=fan, channel=channel)
    channel.refresh_from_db()
    assert channel.subscriber_count == 1
    assert ChannelSubscription.objects.count() == 1
    for _ in range(2):
        services.channel_unsubscribe(user=fan, channel=channel)
    channel.refresh_from_db()
    assert channel.subscriber_count == 0
    assert not ChannelSubscription.objects.exists()


def test_unsubscribe_leaves_other_subscribers_alone():
    """Unsubscribing without a subscription changes no counter."""
    channel = ChannelFactory(subscriber_count=1)
    ChannelSubscriptionFactory(channel=channel)
    services.channel_unsubscribe(user=UserFactory(), channel=channel)
    channel.refresh_from_db()
    assert channel.subscriber_count == 1


def test_subscribing_to_ones_own_channel_is_refused():
    """OWN_CHANNEL on channelId, and no row."""
    channel = ChannelFactory()
    with pytest.raises(ValidationError) as raised:
        services.channel_subscribe(user=channel.owner, channel=channel)
    assert [e.code for e in raised.value.error_dict["channelId"]] == [ErrorCode.OWN_CHANNEL]
    assert not ChannelSubscription.objects.exists()


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda channel, user: services.channel_subscribe(user=user, channel=channel), "channelId"),
        (
            lambda channel, user: services.channel_unsubscribe(user=user, channel=channel),
            "channelId",
        ),
        (
            lambda channel, user: services.channel_update(
                channel=channel, actor=channel.owner, data={"name": "x"}
            ),
            "id",
        ),
        (lambda channel, user: services.channel_delete(channel=channel, actor=channel.owner), "id"),
    ],
    ids=["subscribe", "unsubscribe", "update", "delete"],
)
def test_a_channel_deleted_meanwhile_is_not_found(action, field):
    """Looked up, then deleted by a concurrent request: NOT_FOUND, like an unknown id."""
    channel = ChannelFactory()
    Channel.objects.filter(pk=channel.pk).delete()
    with pytest.raises(ValidationError) as raised:
        action(channel, UserFactory())
    assert [e.code for e in raised.value.error_dict[field]] == ["NOT_FOUND"]
