"""Connection fields over comments that shape their rows before pagination.

They stay plain relation fields (no resolver), so the optimizer still prefetches them for a
whole page of parents in one query (ROW_NUMBER() windows); `get_queryset` runs inside that
prefetch too, with the field's arguments.
"""

from typing import Any

from django.db.models import QuerySet
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.info import Info
from strawberry_django.arguments import argument
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import is_optimized_by_prefetching

from graphql_schema.enums import CommentSort

SORT_ORDER = {
    CommentSort.NEWEST: ("-created_at", "-id"),
    CommentSort.TOP: ("-like_count", "-created_at", "-id"),
}


class TopLevelCommentsField(StrawberryDjangoField):
    """`Video.comments`: top-level comments only, ordered by the `sort` argument."""

    @property  # type: ignore[override]
    def arguments(self) -> list[StrawberryArgument]:
        args = StrawberryDjangoField.arguments.fget(self)  # type: ignore[attr-defined]
        if not any(a.python_name == "sort" for a in args):
            sort = argument("sort", CommentSort, default=CommentSort.NEWEST)
            sort.description = "NEWEST first, or TOP (most liked, then newest)."
            args = [*args, sort]
        return args

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        StrawberryDjangoField.arguments.fset(self, value)  # type: ignore[attr-defined]

    def get_queryset(self, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:  # type: ignore[override]
        sort = kwargs.pop("sort", CommentSort.NEWEST)
        if not is_optimized_by_prefetching(queryset):
            queryset = queryset.filter(parent__isnull=True).order_by(*SORT_ORDER[sort])
        return super().get_queryset(queryset, info, **kwargs)


class RepliesField(StrawberryDjangoField):
    """`Comment.replies`: oldest first, so a thread reads as a conversation."""

    def get_queryset(self, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:  # type: ignore[override]
        if not is_optimized_by_prefetching(queryset):
            queryset = queryset.order_by("created_at", "id")
        return super().get_queryset(queryset, info, **kwargs)
