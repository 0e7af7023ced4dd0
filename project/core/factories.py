"""factory-boy factories, shared by the tests and the demo seed command."""

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from project.channels.models import Channel, ChannelSubscription
from project.comments.models import Comment, CommentRating
from project.core.models import RatingValue
from project.users.models import User
from project.videos.models import Video, VideoRating, Visibility

DEFAULT_PASSWORD = "correct-horse-battery-staple"
# Hashing is deliberately slow; hash the shared test password once, with a fixed salt.
_PASSWORD_HASH: dict[str, str] = {}


def hashed_default_password() -> str:
    if "hash" not in _PASSWORD_HASH:
        _PASSWORD_HASH["hash"] = make_password(DEFAULT_PASSWORD, salt="videoplatformdemo")
    return _PASSWORD_HASH["hash"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    nickname = factory.Faker("user_name")
    password = factory.LazyFunction(hashed_default_password)


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel

    owner = factory.SubFactory(UserFactory)
    handle = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Faker("company")
    description = factory.Faker("sentence")


class VideoFactory(DjangoModelFactory):
    class Meta:
        model = Video

    channel = factory.SubFactory(ChannelFactory)
    title = factory.Faker("sentence", nb_words=5)
    description = factory.Faker("paragraph", nb_sentences=2)
    category = factory.Iterator(["music", "gaming", "education", "travel", "science"])
    visibility = Visibility.PUBLIC
    file = factory.Sequence(lambda n: f"videos/demo-{n}.mp4")


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    video = factory.SubFactory(VideoFactory)
    author = factory.SubFactory(UserFactory)
    parent = None
    content = factory.Faker("sentence")


class VideoRatingFactory(DjangoModelFactory):
    class Meta:
        model = VideoRating

    user = factory.SubFactory(UserFactory)
    video = factory.SubFactory(VideoFactory)
    value = RatingValue.LIKE


class CommentRatingFactory(DjangoModelFactory):
    class Meta:
        model = CommentRating

    user = factory.SubFactory(UserFactory)
    comment = factory.SubFactory(CommentFactory)
    value = RatingValue.LIKE


class ChannelSubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = ChannelSubscription

    subscriber = factory.SubFactory(UserFactory)
    channel = factory.SubFactory(ChannelFactory)
