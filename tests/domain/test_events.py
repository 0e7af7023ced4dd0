"""Live events leave after commit, through the channel layer: a committed write is announced
to its video's groups, a rolled-back one never is, and a dead layer never fails a write.

Each test runs against the in-memory layer and against Redis (skipped when no Redis answers
on 127.0.0.1:6379; a failure in CI)."""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from project.comments.models import Comment
from project.comments.services import comment_add
from project.core import events
from project.core.factories import UserFactory, VideoFactory
from project.videos.services import video_rate, video_record_view

pytestmark = pytest.mark.django_db

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 9  # test databases of their own; the prefix below keeps runs apart
QUIET = 0.5  # seconds of silence that show a message does not come


class Boom(Exception):
    pass


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def redis_layer(port: int = REDIS_PORT) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [f"redis://{REDIS_HOST}:{port}/{REDIS_DB}"],
                "prefix": f"test-events-{uuid.uuid4().hex[:8]}:",
            },
        }
    }


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings) -> Iterator[Any]:
    """The channel layer the services publish to (Channels rebuilds it on a settings change)."""
    if request.param == "redis":
        if not redis_answers():
            if os.environ.get("CI"):
                pytest.fail("Redis is not running on 127.0.0.1:6379")
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CHANNEL_LAYERS = redis_layer()
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    yield layer
    async_to_sync(layer.flush)()


def join(layer: Any, group: str) -> str:
    """A new channel in `group`, as a subscriber's consumer would be."""
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def receive(layer: Any, channel: str, timeout: float = 5.0) -> dict | None:
    """The next message on `channel`, or None when none comes within `timeout`."""

    async def wait() -> dict | None:
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout)
        except TimeoutError:
            return None

    return async_to_sync(wait)()


def test_a_committed_comment_is_announced_to_its_video_groups(
    layer, django_capture_on_commit_callbacks
):
    video, author = VideoFactory(), UserFactory()
    comments = join(layer, events.comments_group(video.pk))
    stats = join(layer, events.stats_group(video.pk))
    elsewhere = join(layer, events.comments_group(VideoFactory().pk))

    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(author=author, video=video, content="Hello")

    assert receive(layer, comments) == {
        "type": events.COMMENT_ADDED,
        "video_id": video.pk,
        "comment_id": comment.pk,
    }
    assert receive(layer, stats) == {"type": events.VIDEO_STATS_CHANGED, "video_id": video.pk}
    assert receive(layer, elsewhere, timeout=QUIET) is None


def test_a_rolled_back_comment_is_never_announced(layer, django_capture_on_commit_callbacks):
    video, author = VideoFactory(), UserFactory()
    comments = join(layer, events.comments_group(video.pk))
    stats = join(layer, events.stats_group(video.pk))

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        comment_add(author=author, video=video, content="Never posted")
        raise Boom

    assert callbacks == []
    assert not Comment.objects.exists()
    assert receive(layer, comments, timeout=QUIET) is None
    assert receive(layer, stats, timeout=QUIET) is None


def test_views_and_ratings_announce_stats_only(layer, django_capture_on_commit_callbacks):
    video, fan = VideoFactory(), UserFactory()
    comments = join(layer, events.comments_group(video.pk))
    stats = join(layer, events.stats_group(video.pk))

    with django_capture_on_commit_callbacks(execute=True):
        video_record_view(video=video)
    assert receive(layer, stats) == {"type": events.VIDEO_STATS_CHANGED, "video_id": video.pk}
    with django_capture_on_commit_callbacks(execute=True):
        video_rate(user=fan, video=video, rating="LIKE")
    assert receive(layer, stats) == {"type": events.VIDEO_STATS_CHANGED, "video_id": video.pk}
    with django_capture_on_commit_callbacks(execute=True):
        video_rate(user=fan, video=video, rating="LIKE")  # no change: nothing to announce
    assert receive(layer, stats, timeout=QUIET) is None
    assert receive(layer, comments, timeout=QUIET) is None


def test_an_unreachable_layer_does_not_fail_the_write(
    settings, django_capture_on_commit_callbacks, caplog
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens here once the socket is closed
    settings.CHANNEL_LAYERS = redis_layer(port=closed_port)
    video, author = VideoFactory(), UserFactory()

    with (
        caplog.at_level(logging.WARNING, logger="project.core.events"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment = comment_add(author=author, video=video, content="Still posted")

    assert Comment.objects.filter(pk=comment.pk).exists()
    assert f"live event comment.added to {events.comments_group(video.pk)}" in caplog.text
