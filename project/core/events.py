"""Live events for GraphQL subscriptions, sent through the Channels layer.

Services call these from `transaction.on_commit`, so a rolled-back write is never announced,
and a subscriber that reads the database after receiving an event sees the write.
A missing or broken layer (Redis down) must never fail the write: it is logged and dropped.

Each kind of event has its own group per video, so a subscriber to a video's comments is
not sent every view of a popular video, only what it listens to. Messages carry ids, never
data: each subscriber reads what its viewer may see, shaped by its own selection.
With Redis (REDIS_URL) the layer fans events out to every process; without it, the
in-memory layer reaches subscribers of the same process only.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Message types; Channels consumers hand a message to the listeners of its "type".
COMMENT_ADDED = "comment.added"
VIDEO_STATS_CHANGED = "video.stats"


def comments_group(video_id: int) -> str:
    """Subscribers to the new comments (and replies) of one video."""
    return f"video-{video_id}.comments"


def stats_group(video_id: int) -> str:
    """Subscribers to the counters (views, likes, dislikes, comments) of one video."""
    return f"video-{video_id}.stats"


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning(
            "live event %s to %s was not delivered", message["type"], group, exc_info=True
        )


def comment_added(*, video_id: int, comment_id: int) -> None:
    """A comment or a reply on the video was committed."""
    _send(
        comments_group(video_id),
        {"type": COMMENT_ADDED, "video_id": video_id, "comment_id": comment_id},
    )


def video_stats_changed(*, video_id: int) -> None:
    """One of the video's counters changed (committed). Subscribers coalesce bursts."""
    _send(stats_group(video_id), {"type": VIDEO_STATS_CHANGED, "video_id": video_id})
