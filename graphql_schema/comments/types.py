from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
import strawberry_django
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.annotations import ViewerConstant
from graphql_schema.comments.fields import RepliesField
from graphql_schema.context import viewer_id
from graphql_schema.enums import Rating
from graphql_schema.ids import IntegerNodeIDs
from graphql_schema.users.types import UserType
from graphql_schema.videos.types import viewer_rating_annotation
from project.comments import selectors
from project.comments.models import Comment, CommentRating

if TYPE_CHECKING:
    from graphql_schema.videos.types import VideoType

VideoRef = Annotated["VideoType", strawberry.lazy("graphql_schema.videos.types")]


def _viewer_is_author(info: Info):
    uid = viewer_id(info)
    if uid is None:
        return ViewerConstant(False, field="viewer_can_edit")
    return ExpressionWrapper(Q(author_id=uid), output_field=BooleanField())


def _viewer_may_delete(info: Info):
    uid = viewer_id(info)
    if uid is None:
        return ViewerConstant(False, field="viewer_can_delete")
    return ExpressionWrapper(
        Q(author_id=uid) | Q(video__channel__owner_id=uid), output_field=BooleanField()
    )


NESTED_UNDER_A_VISIBLE_PARENT = frozenset({"comments", "replies"})


@strawberry_django.type(Comment, name="Comment", description="A comment on a video, or a reply.")
class CommentType(IntegerNodeIDs, relay.Node):
    id: relay.NodeID[int]
    content: str = strawberry_django.field(description="The text.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was posted.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    is_edited: bool = strawberry_django.field(description="Whether the author edited it.")
    author: UserType = strawberry_django.field(description="Who wrote it.")
    video: VideoRef = strawberry_django.field(description="The video it is on.")
    parent: Optional["CommentType"] = strawberry_django.field(
        description="The top-level comment this replies to; null for a top-level comment."
    )
    like_count: int = strawberry_django.field(description="How many users like it.")
    dislike_count: int = strawberry_django.field(description="How many users dislike it.")
    reply_count: int = strawberry_django.field(description="How many replies it has.")
    viewer_rating: Rating = strawberry_django.field(
        annotate=viewer_rating_annotation(CommentRating, "comment_id"),
        description="The signed-in user's rating; NONE when anonymous.",
    )
    viewer_can_edit: bool = strawberry_django.field(
        annotate=_viewer_is_author, description="Whether the signed-in user wrote it."
    )
    viewer_can_delete: bool = strawberry_django.field(
        annotate=_viewer_may_delete,
        description="Whether the signed-in user may delete it (its author or the channel owner).",
    )
    replies: DjangoListConnection["CommentType"] = strawberry_django.connection(
        field_cls=RepliesField, description="Replies, oldest first."
    )

    @classmethod
    def get_queryset(
        cls, queryset: QuerySet[Comment], info: Info, **kwargs: Any
    ) -> QuerySet[Comment]:
        # Under Video.comments or Comment.replies the parent already passed its own gate;
        # the join to the video would only repeat it (on every nested page).
        if info.python_name in NESTED_UNDER_A_VISIBLE_PARENT:
            return queryset
        # Comments of a video nobody may open stay hidden too, even by id.
        return selectors.comment_filter_visible(qs=queryset, user_id=viewer_id(info))
