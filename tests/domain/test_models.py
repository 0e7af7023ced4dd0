"""Invariants the database itself enforces, even for writes that bypass the services."""

import pytest
from django.db import IntegrityError, transaction

from project.channels.models import Channel, ChannelSubscription
from project.comments.models import CommentRating
from project.core.factories import (
    ChannelFactory,
    CommentFactory,
    UserFactory,
    VideoFactory,
)
from project.core.models import RatingValue
from project.users.models import User
from project.videos.models import VideoRating

pytestmark = pytest.mark.django_db


def raises_integrity(fn) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_duplicate_email_in_another_case_is_rejected_by_the_database():
    UserFactory(email="ana@example.com")
    # Stored upper-case it breaks the lower-case check; lower-cased it hits the unique index.
    raises_integrity(lambda: User.objects.bulk_create([User(email="ANA@example.com")]))
    raises_integrity(lambda: User.objects.bulk_create([User(email="ana@example.com")]))


def test_duplicate_handle_in_any_case_is_rejected_by_the_database():
    channel = ChannelFactory(handle="music")
    raises_integrity(
        lambda: Channel.objects.bulk_create([Channel(owner=channel.owner, handle="Music")])
    )
    raises_integrity(
        lambda: Channel.objects.bulk_create([Channel(owner=channel.owner, handle="music")])
    )


def test_second_rating_by_the_same_user_is_rejected_by_the_database():
    user, video = UserFactory(), VideoFactory()
    VideoRating.objects.create(user=user, video=video, value=RatingValue.LIKE)
    raises_integrity(
        lambda: VideoRating.objects.create(user=user, video=video, value=RatingValue.DISLIKE)
    )

    comment = CommentFactory()
    CommentRating.objects.create(user=user, comment=comment, value=RatingValue.LIKE)
    raises_integrity(
        lambda: CommentRating.objects.create(user=user, comment=comment, value=RatingValue.LIKE)
    )


def test_second_subscription_to_the_same_channel_is_rejected_by_the_database():
    user, channel = UserFactory(), ChannelFactory()
    ChannelSubscription.objects.create(subscriber=user, channel=channel)
    raises_integrity(lambda: ChannelSubscription.objects.create(subscriber=user, channel=channel))


def test_empty_comment_is_rejected_by_the_database():
    raises_integrity(lambda: CommentFactory(content=""))
