"""Plain attribute fields resolve without Strawberry's per-field machinery.

Most fields on a page are a column or an annotation the optimizer has already loaded onto the
row. Strawberry resolves each one through a wrapper that builds an Info object, converts
arguments, runs the field's extension chain and strawberry-django's attribute lookup; with
about a thousand fields per page, that is a large share of a request. A field that is nothing
but an attribute read (no resolver, no arguments, no extensions) gets a graphql-core resolver
that reads the attribute directly; a foreign key is read from the row's relation cache when
the optimizer filled it; node ids are encoded directly too.
Values are serialised by the same scalar and enum types as before, so responses are the same.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from graphql import GraphQLObjectType
from strawberry import relay
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.utils.typing import get_django_definition

BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(root: Any, info: Any) -> Any:
        return getattr(root, name)

    return resolve


def _cached_relation(model_field: Any, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """A foreign key the optimizer already joined or prefetched is read from the row's cache;
    otherwise the field resolves as before (through the related type's get_queryset)."""

    def resolve(root: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return model_field.get_cached_value(root)
        except KeyError:
            return fallback(root, info, **kwargs)

    return resolve


def _global_id(type_name: str) -> Callable[..., Any]:
    def resolve(root: Any, info: Any) -> str:
        return relay.to_base64(type_name, root.pk)

    return resolve


def _simple_field(field: Any) -> tuple[str, Any] | None:
    """("annotation", name), ("column", attname) or ("foreign key", model field) for a field
    that only reads what the optimizer loaded; None for anything else."""
    definition = get_django_definition(getattr(field, "origin", None))
    if not isinstance(field, StrawberryDjangoField) or definition is None:
        return None
    if field.base_resolver is not None or field.extensions or field.permission_classes:
        return None
    if field.arguments or field.is_list or field.is_connection:
        return None
    if field.store.annotate:
        return "annotation", field.python_name  # annotated under the field's own name
    try:
        model_field = definition.model._meta.get_field(field.django_name or field.python_name)
    except FieldDoesNotExist:
        return None
    if model_field.many_to_one and model_field.concrete:
        return "foreign key", model_field
    if model_field.is_relation or not model_field.concrete:
        return None
    if model_field.get_internal_type() in {"FileField", "ImageField"}:
        return None  # Django wraps these in FieldFile objects
    return "column", model_field.attname


def install_fast_resolvers(graphql_schema: Any) -> int:
    """Swap in direct resolvers for plain fields of node types; returns how many."""
    swapped = 0
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or "Node" not in {
            i.name for i in type_.interfaces
        }:
            continue
        for name, gql_field in type_.fields.items():
            field = (gql_field.extensions or {}).get(BACKREF)
            if name == "id" and isinstance(getattr(field, "type", None), type):
                gql_field.resolve = _global_id(type_.name)
                swapped += 1
            elif (simple := _simple_field(field)) is not None:
                kind, target = simple
                if kind == "foreign key":
                    gql_field.resolve = _cached_relation(target, gql_field.resolve)
                else:
                    gql_field.resolve = _attribute(target)
                swapped += 1
    return swapped
