"""Reads of videos, as QuerySets so the GraphQL optimizer can still shape them."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from project.channels.models import ChannelSubscription
from project.videos.models import Video, Visibility

SEARCH_CONFIG = "english"


def video_filter_listed(*, qs: QuerySet[Video]) -> QuerySet[Video]:
    """What lists, search, feed and counts show: PUBLIC videos only."""
    return qs.filter(visibility=Visibility.PUBLIC)


def video_filter_visible(*, qs: QuerySet[Video], user_id: int | None) -> QuerySet[Video]:
    """What one may open by id: PUBLIC and UNLISTED videos, and PRIVATE ones one owns."""
    visible = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
    if user_id is not None:
        visible |= Q(channel__owner_id=user_id)
    return qs.filter(visible)


def video_feed(*, user_id: int) -> QuerySet[Video]:
    """Newest videos of the channels the user subscribes to."""
    followed = ChannelSubscription.objects.filter(subscriber_id=user_id).values("channel_id")
    return Video.objects.filter(channel_id__in=followed).order_by("-created_at", "-id")


def video_search(*, text: str) -> QuerySet[Video]:
    """Full-text search over title (weight A) and description (weight B), best match first.

    websearch_to_tsquery accepts any input (quotes, "or", "-word") without a syntax error.
    """
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return (
        Video.objects.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "-created_at", "-id")
    )
