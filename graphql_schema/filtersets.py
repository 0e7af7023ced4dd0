"""The bridge from a domain FilterSet to strawberry-django filter fields.

A FilterSet filters a whole queryset, which cannot take part in AND/OR/NOT or in nested
filters. Each of its filters is only a field, a lookup and a form field, though; this turns
one of them into a Q object (with the nested prefix), after cleaning the value with its form
field, so the FilterSet stays the one definition of what a filter means.
"""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q

from graphql_schema.errors import ClientError


def filterset_q(filterset: type[django_filters.FilterSet], name: str, value: Any, prefix: str) -> Q:
    flt = filterset.base_filters[name]
    try:
        cleaned = flt.field.clean(value)
    except ValidationError as e:
        raise ClientError(f"Filter '{name}': {' '.join(e.messages)}") from e
    return Q(**{f"{prefix}{flt.field_name}__{flt.lookup_expr}": cleaned})
