"""Live events for GraphQL subscriptions, sent through the Channels layer.

Services call these from `transaction.on_commit`, so a rolled-back write is never announced.
A missing or broken layer (Redis down) must never fail the write: it is logged and dropped.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

COMMENT_ADDED = "comment.added"
VIDEO_STATS_CHANGED = "video.stats"


def video_group(video_id: int) -> str:
    return f"video_{video_id}"


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
    _send(video_group(video_id), {"type": COMMENT_ADDED, "comment_id": comment_id})


def video_stats_changed(*, video_id: int) -> None:
    _send(video_group(video_id), {"type": VIDEO_STATS_CHANGED, "video_id": video_id})
