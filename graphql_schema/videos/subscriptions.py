"""Live counters of a video: `videoStats`."""

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Annotated

import strawberry
from channels.db import database_sync_to_async
from strawberry import relay
from strawberry.types import Info

from graphql_schema import live
from graphql_schema.errors import ClientError
from graphql_schema.ids import type_name
from graphql_schema.videos.types import VideoType
from project.core import events
from project.core.errors import ErrorCode
from project.videos.models import Video

# After a change, wait this long and send one fresh read for everything that changed
# meanwhile: a viral video's stream of views reaches each client at most ~3 times a second.
COALESCE_SECONDS = 0.3
COUNTERS = ("views_count", "like_count", "dislike_count", "comment_count")


@strawberry.type(description="A video's counters at one moment (the videoStats subscription).")
class VideoStats:
    video_id: strawberry.ID = strawberry.field(description="The video's global id.")
    views_count: int = strawberry.field(description="How many times it was viewed.")
    like_count: int = strawberry.field(description="How many users like it.")
    dislike_count: int = strawberry.field(description="How many users dislike it.")
    comment_count: int = strawberry.field(description="All its comments, replies included.")


@dataclass(frozen=True)
class Snapshot:
    visibility: str
    counters: tuple[int, ...]


def _read_snapshot(pk: int) -> Snapshot | None:
    row = Video.objects.filter(pk=pk).values_list("visibility", *COUNTERS).first()
    return None if row is None else Snapshot(visibility=row[0], counters=tuple(row[1:]))


# Counters are the same for every viewer: one read per video and burst serves every
# subscriber of this process (visibility is checked per subscriber).
snapshots: live.SharedReads[int, Snapshot | None] = live.SharedReads(
    database_sync_to_async(_read_snapshot)
)


async def _stats(info: Info, pk: int) -> AsyncGenerator[VideoStats, None]:
    video_id = strawberry.ID(str(relay.GlobalID(type_name(VideoType), str(pk))))
    async with live.changes(info, events.VIDEO_STATS_CHANGED, events.stats_group(pk)) as changed:
        # The group is joined: the first read already counts anything announced from now on.
        seen, visibility, sent = changed.last_seen, None, None
        while True:
            snapshot = await snapshots.read(pk, not_before=seen)
            if snapshot is None:
                raise ClientError("The video was deleted.", ErrorCode.NOT_FOUND)
            # Visibility changed: the viewer passes the type's gate again, or stops here.
            if (
                visibility is not None
                and snapshot.visibility != visibility
                and not await database_sync_to_async(live.video_is_visible)(info, pk)
            ):
                raise ClientError("No Video with this id exists.", ErrorCode.NOT_FOUND)
            visibility = snapshot.visibility
            if snapshot.counters != sent:
                sent = snapshot.counters
                yield VideoStats(video_id=video_id, **dict(zip(COUNTERS, sent, strict=True)))
            seen = await changed.next_burst(COALESCE_SECONDS)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="A video's counters: their current values at once, then new values "
        "whenever views, likes, dislikes or comments change (a burst of changes arrives as "
        "one event)."
    )
    async def video_stats(
        self,
        info: Info,
        video_id: Annotated[
            strawberry.ID, strawberry.argument(description="The video's global id.")
        ],
    ) -> AsyncGenerator[VideoStats, None]:
        pk = await live.start_on_video(info, video_id)
        return _stats(info, pk)
