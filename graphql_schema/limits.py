"""Query cost: refuse, before any SQL runs, a document that would list too many nodes.

Each connection may return up to its page size (`first`/`last`, else the default maximum) for
every node of its parent connection, so page sizes multiply down the tree (GitHub's node
limit idea). A document's cost is the sum, over its innermost connections, of the product of
the page sizes on the way down to them; `nodes(ids:)` costs one per id.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from graphql_schema.errors import BAD_USER_INPUT

PAGE_ARGS = ("first", "last")
TOO_COSTLY = "QUERY_TOO_COSTLY"


class LimitExceeded(Exception):
    def __init__(self, message: str, code: str, **details: int) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def _is_connection(type_: Any) -> bool:
    named = get_named_type(type_)
    return isinstance(named, GraphQLObjectType) and "pageInfo" in named.fields


class CostCounter:
    def __init__(self, schema: GraphQLSchema, fragments: dict, variables: dict, default_page: int):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page

    def _arg(self, node: FieldNode, name: str) -> Any:
        for arg in node.arguments or ():
            if arg.name.value == name:
                if isinstance(arg.value, VariableNode):
                    return self.variables.get(arg.value.name.value)
                return value_from_ast_untyped(arg.value, self.variables)
        return None

    def _fields(
        self, selection_set: SelectionSetNode | None, seen: frozenset
    ) -> Iterator[FieldNode]:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment: FragmentDefinitionNode | None = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self._fields(fragment.selection_set, seen | {name})

    def cost(
        self, parent: Any, selection_set: SelectionSetNode | None, multiplier: int
    ) -> tuple[int, bool]:
        """(cost of the innermost connections below, whether there was any)."""
        total, found = 0, False
        named_parent = get_named_type(parent)
        for node in self._fields(selection_set, frozenset()):
            field_def = getattr(named_parent, "fields", {}).get(node.name.value)
            if field_def is None:
                continue
            size = multiplier
            if _is_connection(field_def.type):
                page = next(
                    (v for a in PAGE_ARGS if isinstance(v := self._arg(node, a), int)), None
                )
                size = multiplier * (page if page is not None else self.default_page)
            elif node.name.value == "nodes":
                ids = self._arg(node, "ids")
                count = len(ids) if isinstance(ids, list) else 1
                if count > self.default_page:
                    raise LimitExceeded(
                        f"`nodes` takes at most {self.default_page} ids.", BAD_USER_INPUT
                    )
                size = multiplier * count
            below, nested = self.cost(field_def.type, node.selection_set, size)
            if nested:
                total, found = total + below, True
            elif size != multiplier:
                total, found = total + size, True
        return total, found


def document_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict
) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    counter = CostCounter(schema, fragments, variables or {}, settings.GRAPHQL_PAGE_SIZE_MAX)
    total = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and definition.name and definition.name.value != operation_name:
            continue
        root = schema.get_root_type(definition.operation)
        total += counter.cost(root, definition.selection_set, 1)[0]
    return total


class QueryCostLimiter(SchemaExtension):
    """Refuses an operation whose cost exceeds GRAPHQL_MAX_COST, before it executes."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and not ctx.result:
            try:
                check_cost(
                    ctx.schema._schema,
                    ctx.graphql_document,
                    ctx.operation_name,
                    ctx.variables or {},
                )
            except LimitExceeded as e:
                extensions = {"code": e.code, **e.details}
                ctx.result = ExecutionResult(
                    data=None, errors=[GraphQLError(str(e), extensions=extensions)]
                )
        yield


def check_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict
) -> None:
    cost = document_cost(schema, document, operation_name, variables)
    limit = settings.GRAPHQL_MAX_COST
    if cost > limit:
        raise LimitExceeded(
            f"Query cost {cost} exceeds the limit of {limit} nodes "
            "(page sizes multiply down nested connections).",
            TOO_COSTLY,
            cost=cost,
            limit=limit,
        )
