import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry.types import Info
from strawberry_django.relay import DjangoListConnection

from graphql_schema.context import signed_in_user
from graphql_schema.errors import ClientError
from graphql_schema.permissions import IsAuthenticated
from graphql_schema.videos.types import VideoType
from project.videos import selectors
from project.videos.models import Video

SEARCH_MAX_LENGTH = 200  # longer "queries" are pasted documents, not searches


@strawberry.type
class Query:
    video: VideoType | None = strawberry_django.node(
        description="One video by id: PUBLIC or UNLISTED, or PRIVATE to its owner."
    )
    videos: DjangoListConnection[VideoType] = strawberry_django.connection(
        description="PUBLIC videos, newest first unless ordered otherwise."
    )

    @strawberry_django.connection(
        DjangoListConnection[VideoType],
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
        extensions=[IsAuthenticated()],
        description="Newest PUBLIC videos of the channels the signed-in user subscribes to.",
    )
    def feed(self, info: Info) -> QuerySet[Video]:
        return selectors.video_feed(user_id=signed_in_user(info).pk)
