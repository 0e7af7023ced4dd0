"""Reads of comments, as QuerySets so the GraphQL optimizer can still shape them."""

from django.db.models import Q, QuerySet

from project.comments.models import Comment
from project.videos.models import Visibility


def comment_filter_visible(*, qs: QuerySet[Comment], user_id: int | None) -> QuerySet[Comment]:
    """Comments of the videos one may open (see video_filter_visible)."""
    visible = Q(video__visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
    if user_id is not None:
        visible |= Q(video__channel__owner_id=user_id)
    return qs.filter(visible)
