import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.channels.types import ChannelType
from graphql_schema.errors import ClientError
from graphql_schema.ids import parse_global_id
from graphql_schema.ordering import TotalOrderConnectionField
from project.channels.models import Channel


@strawberry.type
class Query:
    channels: DjangoListConnection[ChannelType] = strawberry_django.connection(
        field_cls=TotalOrderConnectionField,
        description="All channels, newest first unless ordered otherwise.",
    )

    @strawberry_django.field(description="One channel, by exactly one of its id or its handle.")
    def channel(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        handle: str | None = None,
    ) -> ChannelType | None:
        if (id is None) == (handle is None):
            raise ClientError("Give exactly one of `id` and `handle`.")
        qs: QuerySet[Channel] = Channel.objects.all()
        if id is not None:
            qs = qs.filter(pk=parse_global_id(id, ChannelType, field="id"))
        else:
            qs = qs.filter(handle=(handle or "").strip().lower())
        return qs  # type: ignore[return-value]  # the optimizer shapes it, then takes .first()
