"""What each channel filter means, for the API, the admin and scripts alike."""

import django_filters

from project.channels.models import Channel


class ChannelFilterSet(django_filters.FilterSet):
    handle = django_filters.CharFilter(field_name="handle", lookup_expr="iexact", max_length=50)
    name_contains = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100
    )

    class Meta:
        model = Channel
        fields: list[str] = []
