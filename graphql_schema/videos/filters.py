"""GraphQL filter and order inputs for videos.

Each filter's meaning comes from the domain's FilterSet (project/videos/filters.py); the
GraphQL side only parses global ids and adds AND/OR/NOT composition.
"""

from datetime import datetime

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry import auto

from graphql_schema.filtersets import filterset_q
from graphql_schema.ids import parse_global_id
from project.videos.filters import VideoFilterSet
from project.videos.models import Video


@strawberry_django.filter_type(Video, description="Which videos to list.")
class VideoFilter:
    @strawberry_django.filter_field(description="Videos of this channel (a Channel id).")
    def channel(self, value: strawberry.ID, prefix: str) -> Q:
        from graphql_schema.channels.types import ChannelType

        pk = parse_global_id(value, ChannelType, field="channel")
        return filterset_q(VideoFilterSet, "channel", pk, prefix)

    @strawberry_django.filter_field(description="The category, exactly.")
    def category(self, value: str, prefix: str) -> Q:
        return filterset_q(VideoFilterSet, "category", value, prefix)

    @strawberry_django.filter_field(description="Part of the title (case-insensitive).")
    def title_contains(self, value: str, prefix: str) -> Q:
        return filterset_q(VideoFilterSet, "title_contains", value, prefix)

    @strawberry_django.filter_field(description="Created at or after this time.")
    def created_after(self, value: datetime, prefix: str) -> Q:
        return filterset_q(VideoFilterSet, "created_after", value, prefix)

    @strawberry_django.filter_field(description="Created before this time.")
    def created_before(self, value: datetime, prefix: str) -> Q:
        return filterset_q(VideoFilterSet, "created_before", value, prefix)


@strawberry_django.order_type(Video, description="One sort key; give several in a list.")
class VideoOrder:
    created_at: auto = strawberry.field(description="By upload time.")
    views_count: auto = strawberry.field(description="By number of views.")
    like_count: auto = strawberry.field(description="By number of likes.")
    title: auto = strawberry.field(description="By title.")
