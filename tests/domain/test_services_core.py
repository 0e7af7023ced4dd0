"""Shared service helpers: validation with text limits, partial updates, ratings."""

import pytest
from django.core.exceptions import ValidationError

from project.core.factories import ChannelFactory, CommentFactory, UserFactory, VideoFactory
from project.core.ratings import rating_set
from project.core.services import model_update, model_validate
from project.videos.models import Video, VideoRating

pytestmark = pytest.mark.django_db


def test_model_validate_enforces_text_field_limits_django_leaves_to_forms():
    """Django checks max_length on CharFields only; TextField limits are checked here,
    with Django's `max_length` code, alongside the other errors."""
    comment = CommentFactory.build(content="x" * 2001)
    comment.video, comment.author = VideoFactory(), UserFactory()
    with pytest.raises(ValidationError) as raised:
        model_validate(comment)
    assert [e.code for e in raised.value.error_dict["content"]] == ["max_length"]
    comment.content = "x" * 2000
    model_validate(comment)


def test_model_validate_reports_text_limits_with_other_errors():
    """A bad handle and an overlong description are reported together."""
    channel = ChannelFactory.build(owner=UserFactory(), handle="bad handle", description="d" * 5001)
    with pytest.raises(ValidationError) as raised:
        model_validate(channel)
    assert set(raised.value.error_dict) == {"handle", "description"}


def test_model_update_skips_the_write_when_nothing_changed(django_assert_num_queries):
    """Setting a field to its current value issues no query at all."""
    channel = ChannelFactory(name="Same")
    with django_assert_num_queries(0):
        _, changed = model_update(instance=channel, fields=["name"], data={"name": "Same"})
    assert changed is False


def _rate(user, video, value):
    return rating_set(
        rating_model=VideoRating,
        target_model=Video,
        target_field="video_id",
        target_pk=video.pk,
        user=user,
        rating=value,
        field="videoId",
    )


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["LIKE"], (1, 0)),
        (["LIKE", "LIKE"], (1, 0)),
        (["LIKE", "DISLIKE"], (0, 1)),
        (["DISLIKE", "LIKE", None], (0, 0)),
        ([None], (0, 0)),
    ],
)
def test_rating_set_keeps_counters_equal_to_the_rows(steps, expected):
    """Any sequence of ratings by one user leaves the counters equal to the rows."""
    video, user = VideoFactory(), UserFactory()
    for value in steps:
        _rate(user, video, value)
    video.refresh_from_db()
    assert (video.like_count, video.dislike_count) == expected
    rows = VideoRating.objects.filter(video=video)
    assert (rows.filter(value="LIKE").count(), rows.filter(value="DISLIKE").count()) == expected


def test_rating_set_reports_whether_anything_changed():
    """Repeating a rating (or clearing nothing) is reported as no change."""
    video, user = VideoFactory(), UserFactory()
    assert _rate(user, video, "LIKE") is True
    assert _rate(user, video, "LIKE") is False
    assert _rate(user, video, None) is True
    assert _rate(user, video, None) is False


def test_rating_a_target_deleted_meanwhile_is_not_found_on_its_field():
    """The video was looked up, then deleted by someone else before the rating: NOT_FOUND
    on the argument that named it, like an unknown id, and no rating row."""
    video, user = VideoFactory(), UserFactory()
    Video.objects.filter(pk=video.pk).delete()
    with pytest.raises(ValidationError) as raised:
        _rate(user, video, "LIKE")
    assert [e.code for e in raised.value.error_dict["videoId"]] == ["NOT_FOUND"]
    assert not VideoRating.objects.exists()
