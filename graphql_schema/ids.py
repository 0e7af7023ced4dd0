"""Global ids in mutation inputs and filters.

Inputs are declared as plain `ID` (the SDL is the same as relay's GlobalID) and parsed here,
so a malformed id, an id of another type and an unknown id each come back as a field error
with a clear code instead of a top-level coercion error.
"""

from typing import Any, TypeVar

from django.db import models
from strawberry import relay
from strawberry.types import Info
from strawberry_django.optimizer import optimize
from strawberry_django.queryset import run_type_get_queryset
from strawberry_django.relay import resolve_model_node, resolve_model_nodes
from strawberry_django.resolvers import django_resolver

from graphql_schema.errors import ClientError
from project.core.errors import ErrorCode, field_error

M = TypeVar("M", bound=models.Model)


def type_name(node_type: Any) -> str:
    return node_type.__strawberry_definition__.name


def parse_global_id(raw: str, node_type: Any, *, field: str) -> int:
    """The pk inside a global id of `node_type`; a field error otherwise."""
    name = type_name(node_type)
    try:
        gid = relay.GlobalID.from_id(raw)
        pk = int(gid.node_id)
    except ValueError:
        raise field_error(field, f"'{raw}' is not a valid {name} id.", "invalid") from None
    if gid.type_name != name:
        raise field_error(field, f"Expected a {name} id, got a {gid.type_name} id.", "invalid")
    return pk


def _checked_node_id(node_type: Any, node_id: Any) -> Any:
    try:
        int(node_id)
    except (TypeError, ValueError):
        raise ClientError(f"'{node_id}' is not a valid {type_name(node_type)} id.") from None
    return node_id


# What strawberry-django installs on a Node type that defines neither method (its type.py).
_resolve_model_node: Any = django_resolver(resolve_model_node)
_resolve_model_nodes: Any = django_resolver(resolve_model_nodes)


class IntegerNodeIDs:
    """Mixin for Node types keyed by an integer pk.

    `node(id:)` and `nodes(ids:)` hand the id inside a well-formed global id straight to the
    ORM; one whose payload is not a number ("Video:abc") would fail there as an internal
    error. This makes it a BAD_USER_INPUT error and otherwise resolves exactly as
    strawberry-django does (through the type's get_queryset, with the optimizer).
    """

    @classmethod
    def resolve_node(cls, node_id: str, *, info: Info | None = None, required: bool = False):
        return _resolve_model_node(
            cls, _checked_node_id(cls, node_id), info=info, required=required
        )

    @classmethod
    def resolve_nodes(
        cls, *, info: Info | None = None, node_ids: Any = None, required: bool = False
    ):
        if node_ids is not None:
            node_ids = [_checked_node_id(cls, i) for i in node_ids]
        return _resolve_model_nodes(cls, info=info, node_ids=node_ids, required=required)


def visible_queryset(info: Info, node_type: Any, model: type[M]) -> models.QuerySet[M]:
    """The rows of `model` the viewer may see, by the type's own get_queryset."""
    return run_type_get_queryset(model._default_manager.all(), node_type, info)


def get_node(info: Info, raw: str, node_type: Any, model: type[M], *, field: str) -> M:
    """The object a global id names, if the viewer may see it; NOT_FOUND otherwise."""
    pk = parse_global_id(raw, node_type, field=field)
    obj = visible_queryset(info, node_type, model).filter(pk=pk).first()
    if obj is None:
        raise field_error(
            field, f"No {type_name(node_type)} with this id exists.", ErrorCode.NOT_FOUND
        )
    return obj


def refetch(info: Info, node_type: Any, model: type[M], pk: int) -> M:
    """Load an object again the way a query would (counters, viewer fields, nested lists),
    shaped by the optimizer for the selection of the mutation's payload."""
    return optimize(visible_queryset(info, node_type, model).filter(pk=pk), info).get()
