from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.annotations import ViewerConstant
from graphql_schema.channels.types import ChannelType
from graphql_schema.comments.fields import TopLevelCommentsField
from graphql_schema.context import viewer_id
from graphql_schema.enums import Rating, Visibility
from graphql_schema.ids import IntegerNodeIDs
from graphql_schema.media import absolute_file_url
from graphql_schema.videos.filters import VideoFilter, VideoOrder
from project.videos import selectors
from project.videos.models import Video, VideoRating

if TYPE_CHECKING:
    from graphql_schema.comments.types import CommentType

CommentRef = Annotated["CommentType", strawberry.lazy("graphql_schema.comments.types")]


def viewer_rating_annotation(rating_model: Any, target_field: str):
    """An annotation with the signed-in user's rating of each row ("NONE" when anonymous),
    computed in the same SQL query as the rows themselves."""

    def annotate(info: Info):
        uid = viewer_id(info)
        if uid is None:
            return ViewerConstant(Rating.NONE.value, field="viewer_rating")
        rating = rating_model.objects.filter(**{target_field: OuterRef("pk")}, user_id=uid)
        return Coalesce(Subquery(rating.values("value")[:1]), Value(Rating.NONE.value))

    return annotate


def is_list_field(info: Info) -> bool:
    """Whether rows are being listed (a connection) rather than fetched by id."""
    return_type = info.return_type
    return isinstance(return_type, type) and issubclass(return_type, relay.Connection)


def _viewer_owns_video(info: Info):
    uid = viewer_id(info)
    if uid is None:
        return ViewerConstant(False, field="viewer_can_edit")
    return ExpressionWrapper(Q(channel__owner_id=uid), output_field=BooleanField())


@strawberry_django.type(
    Video,
    name="Video",
    filters=VideoFilter,
    ordering=VideoOrder,
    description="A video of a channel.",
)
class VideoType(IntegerNodeIDs, relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry_django.field(description="Title.")
    description: str = strawberry_django.field(description="Description.")
    category: str = strawberry_django.field(description="Category (free text, may be empty).")
    visibility: Visibility = strawberry_django.field(description="Who can see the video.")
    created_at: strawberry.auto = strawberry_django.field(description="Upload time.")
    updated_at: strawberry.auto = strawberry_django.field(description="Last change.")
    views_count: int = strawberry_django.field(description="How many times it was viewed.")
    like_count: int = strawberry_django.field(description="How many users like it.")
    dislike_count: int = strawberry_django.field(description="How many users dislike it.")
    comment_count: int = strawberry_django.field(description="All its comments, replies included.")
    channel: ChannelType = strawberry_django.field(description="The channel it belongs to.")
    viewer_rating: Rating = strawberry_django.field(
        annotate=viewer_rating_annotation(VideoRating, "video_id"),
        description="The signed-in user's rating; NONE when anonymous.",
    )
    viewer_can_edit: bool = strawberry_django.field(
        annotate=_viewer_owns_video,
        description="Whether the signed-in user owns the video's channel.",
    )
    comments: DjangoListConnection[CommentRef] = strawberry_django.connection(
        field_cls=TopLevelCommentsField,
        description="Top-level comments (replies are under each comment).",
    )

    @strawberry_django.field(only=["file"], description="Absolute URL of the video file.")
    def file_url(self, root: Video, info: Info) -> str | None:
        return absolute_file_url(info, root.file)

    @strawberry_django.field(only=["thumbnail"], description="Absolute URL of the thumbnail.")
    def thumbnail_url(self, root: Video, info: Info) -> str | None:
        return absolute_file_url(info, root.thumbnail)

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Video], info: Info, **kwargs: Any) -> QuerySet[Video]:
        # The one visibility gate: lists show PUBLIC only; by id, UNLISTED too, and PRIVATE
        # to its owner. Nested lists and node(id:) lookups pass through here as well.
        if is_list_field(info):
            return selectors.video_filter_listed(qs=queryset)
        return selectors.video_filter_visible(qs=queryset, user_id=viewer_id(info))
