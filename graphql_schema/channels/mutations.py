import strawberry
import strawberry_django
from strawberry.types import Info

from graphql_schema.channels.types import ChannelType
from graphql_schema.context import signed_in_user
from graphql_schema.ids import get_node, refetch
from graphql_schema.inputs import provided
from graphql_schema.permissions import IsAuthenticated
from project.channels import services
from project.channels.models import Channel


@strawberry.input(description="A new channel.")
class CreateChannelInput:
    handle: str = strawberry.field(description="Unique, URL-safe (letters, digits, - and _).")
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(default="", description="About the channel.")


@strawberry.input(description="Changes to a channel; leave out what stays the same.")
class UpdateChannelInput:
    id: strawberry.ID = strawberry.field(description="The channel.")
    handle: str | None = strawberry.field(default=strawberry.UNSET, description="New handle.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="New description."
    )


def _channel(info: Info, raw_id: str, field: str) -> Channel:
    return get_node(info, raw_id, ChannelType, Channel, field=field)


@strawberry.type
class Mutation:
    @strawberry_django.mutation(extensions=[IsAuthenticated()], description="Create a channel.")
    def create_channel(self, info: Info, input: CreateChannelInput) -> ChannelType:
        channel = services.channel_create(
            owner=signed_in_user(info),
            handle=input.handle,
            name=input.name,
            description=input.description,
        )
        return refetch(info, ChannelType, Channel, channel.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()], description="Change a channel (its owner only)."
    )
    def update_channel(self, info: Info, input: UpdateChannelInput) -> ChannelType:
        channel = services.channel_update(
            channel=_channel(info, input.id, "id"),
            actor=signed_in_user(info),
            data=provided(input, ["handle", "name", "description"]),
        )
        return refetch(info, ChannelType, Channel, channel.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Delete a channel with its videos (its owner only). Returns it as it was.",
    )
    def delete_channel(self, info: Info, id: strawberry.ID) -> ChannelType:
        channel = _channel(info, id, "id")
        before = refetch(info, ChannelType, Channel, channel.pk)
        services.channel_delete(channel=channel, actor=signed_in_user(info))
        return before  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Subscribe to a channel; doing it again changes nothing. "
        "Not to your own channel.",
    )
    def subscribe(self, info: Info, channel_id: strawberry.ID) -> ChannelType:
        channel = _channel(info, channel_id, "channelId")
        services.channel_subscribe(user=signed_in_user(info), channel=channel)
        return refetch(info, ChannelType, Channel, channel.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Unsubscribe from a channel; doing it again changes nothing.",
    )
    def unsubscribe(self, info: Info, channel_id: strawberry.ID) -> ChannelType:
        channel = _channel(info, channel_id, "channelId")
        services.channel_unsubscribe(user=signed_in_user(info), channel=channel)
        return refetch(info, ChannelType, Channel, channel.pk)  # type: ignore[return-value]
