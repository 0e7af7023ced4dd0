"""New comments on a video, live: `commentAdded`."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from channels.db import database_sync_to_async
from strawberry.types import Info
from strawberry_django.optimizer import optimize

from graphql_schema import live
from graphql_schema.comments.types import CommentType
from graphql_schema.ids import visible_queryset
from project.comments.models import Comment
from project.core import events


def _load(info: Info, video_pk: int, comment_pk: int) -> Comment | None:
    """The comment as a query would return it to this viewer (counters, viewer fields, nested
    lists), shaped by the optimizer for the subscription's selection. None when it is gone
    or no longer visible."""
    comments = visible_queryset(info, CommentType, Comment).filter(pk=comment_pk, video_id=video_pk)
    return optimize(comments, info).first()


async def _comments(info: Info, video_pk: int) -> AsyncGenerator[Comment, None]:
    group = events.comments_group(video_pk)
    async with live.listen(info, events.COMMENT_ADDED, group) as messages:
        async for message in messages:
            # Each subscriber reads its own copy: viewer fields and the selection differ.
            comment = await database_sync_to_async(_load)(info, video_pk, message["comment_id"])
            if comment is not None:
                yield comment


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every new comment or reply on a video, as it is posted, with the same "
        "fields a query returns."
    )
    async def comment_added(
        self,
        info: Info,
        video_id: Annotated[
            strawberry.ID, strawberry.argument(description="The video's global id.")
        ],
    ) -> AsyncGenerator[CommentType, None]:
        video_pk = await live.start_on_video(info, video_id)
        return _comments(info, video_pk)  # type: ignore[return-value]
