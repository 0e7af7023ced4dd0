from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.context import signed_in_user
from graphql_schema.errors import ClientError
from graphql_schema.ids import parse_global_id
from graphql_schema.ordering import TotalOrderConnectionField
from graphql_schema.permissions import IsAuthenticated
from graphql_schema.videos.types import VideoType
from project.videos import selectors
from project.videos.models import Video

SEARCH_MAX_LENGTH = 200  # longer "queries" are pasted documents, not searches


def video_by_id(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")],
) -> VideoType | None:
    # Not strawberry_django.node(): that resolves an id of any type, and a Channel's id
    # would then fail as an internal error instead of a clear BAD_USER_INPUT.
    pk = parse_global_id(id, VideoType, field="id")
    qs: QuerySet[Video] = Video.objects.filter(pk=pk)
    return qs  # type: ignore[return-value]  # the optimizer shapes it, then takes .first()


@strawberry.type
class Query:
    video: VideoType | None = strawberry_django.field(
        resolver=video_by_id,
        description="One video by id: PUBLIC or UNLISTED, or PRIVATE to its owner; null when "
        "no such video exists or the viewer may not see it.",
    )
    videos: DjangoListConnection[VideoType] = strawberry_django.connection(
        field_cls=TotalOrderConnectionField,
        description="PUBLIC videos, newest first unless ordered otherwise.",
    )

    @strawberry_django.connection(
        DjangoListConnection[VideoType],
        field_cls=TotalOrderConnectionField,
        description="Full-text search of PUBLIC videos (title weighs more than description), "
        "best match first.",
    )
    def search_videos(self, info: Info, query: str) -> QuerySet[Video]:
        text = query.strip()
        if not text:
            raise ClientError("The search query is empty.")
        if len(text) > SEARCH_MAX_LENGTH:
            raise ClientError(f"The search query is longer than {SEARCH_MAX_LENGTH} characters.")
        return selectors.video_search(text=text)

    @strawberry_django.connection(
        DjangoListConnection[VideoType],
        field_cls=TotalOrderConnectionField,
        extensions=[IsAuthenticated()],
        description="Newest PUBLIC videos of the channels the signed-in user subscribes to.",
    )
    def feed(self, info: Info) -> QuerySet[Video]:
        return selectors.video_feed(user_id=signed_in_user(info).pk)
