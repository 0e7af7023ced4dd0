"""GraphQL filter and order inputs for channels.

Each filter's meaning comes from the domain's FilterSet (project/channels/filters.py), so the
API, the admin and scripts agree; the GraphQL side only adds AND/OR/NOT composition.
"""

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry import auto

from graphql_schema.filtersets import filterset_q
from project.channels.filters import ChannelFilterSet
from project.channels.models import Channel


@strawberry_django.filter_type(Channel, description="Which channels to list.")
class ChannelFilter:
    @strawberry_django.filter_field(description="The handle, exactly (case-insensitive).")
    def handle(self, value: str, prefix: str) -> Q:
        return filterset_q(ChannelFilterSet, "handle", value, prefix)

    @strawberry_django.filter_field(description="Part of the name (case-insensitive).")
    def name_contains(self, value: str, prefix: str) -> Q:
        return filterset_q(ChannelFilterSet, "name_contains", value, prefix)


@strawberry_django.order_type(Channel, description="One sort key; give several in a list.")
class ChannelOrder:
    created_at: auto = strawberry.field(description="By creation time.")
    subscriber_count: auto = strawberry.field(description="By number of subscribers.")
    name: auto = strawberry.field(description="By name.")
