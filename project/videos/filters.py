"""What each video filter means, for the API, the admin and scripts alike."""

import django_filters

from project.videos.models import Video


class VideoFilterSet(django_filters.FilterSet):
    channel = django_filters.NumberFilter(field_name="channel_id", lookup_expr="exact")
    category = django_filters.CharFilter(field_name="category", lookup_expr="exact", max_length=50)
    title_contains = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", max_length=200
    )
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Video
        fields: list[str] = []
