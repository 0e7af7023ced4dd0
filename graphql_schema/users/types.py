from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.context import viewer_id
from graphql_schema.ids import IntegerNodeIDs
from graphql_schema.ordering import TotalOrderConnectionField
from project.users.models import User

if TYPE_CHECKING:
    from graphql_schema.channels.types import ChannelType

ChannelRef = Annotated["ChannelType", strawberry.lazy("graphql_schema.channels.types")]


@strawberry_django.type(User, name="User", description="A person with an account.")
class UserType(IntegerNodeIDs, relay.Node):
    id: relay.NodeID[int]
    nickname: str = strawberry_django.field(description="The name others see.")
    is_business: bool = strawberry_django.field(description="A business account.")
    date_joined: strawberry.auto = strawberry_django.field(description="When the account was made.")
    channels: list[ChannelRef] = strawberry_django.field(
        description="The channels this user owns, newest first."
    )
    subscriptions: DjangoListConnection[ChannelRef] = strawberry_django.connection(
        field_name="subscribed_channels",
        field_cls=TotalOrderConnectionField,
        description="The channels this user subscribes to.",
    )

    @strawberry_django.field(
        only=["email"], description="The sign-in email: only to the user themself, else null."
    )
    def email(self, root: User, info: Info) -> str | None:
        return root.email if viewer_id(info) == root.pk else None
