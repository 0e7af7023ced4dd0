"""Connection fields whose order is total, so pages never overlap or skip rows.

Connections page with OFFSET (`arrayconnection:N` cursors). A client ordering such as
`[{viewsCount: DESC}]` leaves ties (most videos have the same few view counts) in whatever
order PostgreSQL finds them, which may differ between the query for page 1 and the one for
page 2: a row shows up twice and another never. Ending every ORDER BY with the primary key
(newest first, like the default order) makes each position in the list well defined.
"""

from typing import Any

from django.db.models import F, OrderBy, QuerySet
from strawberry.types.info import Info
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import is_optimized_by_prefetching

PK_NAMES = frozenset({"pk", "id"})


def _key_name(item: Any) -> str | None:
    expression = item.expression if isinstance(item, OrderBy) else item
    if isinstance(expression, F):
        return getattr(expression, "name", None)
    if isinstance(expression, str):
        return expression.lstrip("-")
    return None


def with_pk_tiebreak(queryset: QuerySet) -> QuerySet:
    """`queryset`, with the pk (descending) added as the last sort key unless already there."""
    query = queryset.query
    order = list(query.order_by)
    if not order and query.default_ordering:
        order = list(query.get_meta().ordering or ())
    if not order or any(_key_name(item) in PK_NAMES for item in order):
        return queryset
    return queryset.order_by(*order, "-pk")


class TotalOrderConnectionField(StrawberryDjangoField):
    """A connection field (plain or with a resolver) whose rows are totally ordered."""

    def get_queryset(self, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:  # type: ignore[override]
        queryset = super().get_queryset(queryset, info, **kwargs)
        # A prefetched page is already ordered (the optimizer ran this method while building
        # the prefetch); re-ordering it would drop its rows and query again.
        if is_optimized_by_prefetching(queryset):
            return queryset
        return with_pk_tiebreak(queryset)
