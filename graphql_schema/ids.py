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
