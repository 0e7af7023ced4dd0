from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.annotations import ViewerConstant
from graphql_schema.channels.filters import ChannelFilter, ChannelOrder
from graphql_schema.context import viewer_id
from graphql_schema.ids import IntegerNodeIDs
from graphql_schema.ordering import TotalOrderConnectionField
from graphql_schema.users.types import UserType
from project.channels.models import Channel, ChannelSubscription

if TYPE_CHECKING:
    from graphql_schema.videos.types import VideoType

VideoRef = Annotated["VideoType", strawberry.lazy("graphql_schema.videos.types")]


def _viewer_is_subscribed(info: Info):
    uid = viewer_id(info)
    if uid is None:
        return ViewerConstant(False, field="viewer_is_subscribed")
    return Exists(ChannelSubscription.objects.filter(channel_id=OuterRef("pk"), subscriber_id=uid))


def _viewer_owns(info: Info):
    uid = viewer_id(info)
    if uid is None:
        return ViewerConstant(False, field="viewer_can_edit")
    return ExpressionWrapper(Q(owner_id=uid), output_field=BooleanField())


@strawberry_django.type(
    Channel,
    name="Channel",
    filters=ChannelFilter,
    ordering=ChannelOrder,
    description="A creator's channel, with its videos.",
)
class ChannelType(IntegerNodeIDs, relay.Node):
    id: relay.NodeID[int]
    handle: str = strawberry_django.field(description="Unique, URL-safe, lower-case name.")
    name: str = strawberry_django.field(description="Display name.")
    description: str = strawberry_django.field(description="About the channel.")
    created_at: strawberry.auto = strawberry_django.field(description="When it was created.")
    owner: UserType = strawberry_django.field(description="Who owns the channel.")
    subscriber_count: int = strawberry_django.field(description="How many users subscribe.")
    video_count: int = strawberry_django.field(description="How many PUBLIC videos it has.")
    viewer_is_subscribed: bool = strawberry_django.field(
        annotate=_viewer_is_subscribed,
        description="Whether the signed-in user subscribes; false when anonymous.",
    )
    viewer_can_edit: bool = strawberry_django.field(
        annotate=_viewer_owns,
        description="Whether the signed-in user owns it (may edit or delete it).",
    )
    videos: DjangoListConnection[VideoRef] = strawberry_django.connection(
        field_cls=TotalOrderConnectionField,
        description="The channel's PUBLIC videos, newest first unless ordered otherwise.",
    )
