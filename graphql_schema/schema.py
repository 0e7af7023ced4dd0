"""The one GraphQL schema: each domain's roots merged, with the limits and the optimizer."""

from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from graphql import GraphQLError, GraphQLInputObjectType, GraphQLUnionType
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from graphql_schema.channels import mutations as channel_mutations
from graphql_schema.channels import queries as channel_queries
from graphql_schema.comments import mutations as comment_mutations
from graphql_schema.comments import subscriptions as comment_subscriptions
from graphql_schema.comments.types import CommentType
from graphql_schema.errors import ErrorFormatter
from graphql_schema.fast_fields import install_fast_resolvers
from graphql_schema.limits import QueryCostLimiter
from graphql_schema.live import SubscriptionsOverWebsocketsOnly
from graphql_schema.persisted_queries import PersistedQueries
from graphql_schema.users import mutations as user_mutations
from graphql_schema.users import queries as user_queries
from graphql_schema.videos import mutations as video_mutations
from graphql_schema.videos import queries as video_queries
from graphql_schema.videos import subscriptions as video_subscriptions


@strawberry.type
class NodeQuery:
    node: relay.Node | None = strawberry_django.node(
        description="Any object by its global id; null when it does not exist or is hidden."
    )
    nodes: list[relay.Node | None] = strawberry_django.node(
        description="Objects by global id, in the order asked; null for each missing one."
    )


Query = merge_types(
    "Query", (NodeQuery, user_queries.Query, channel_queries.Query, video_queries.Query)
)
Mutation = merge_types(
    "Mutation",
    (
        user_mutations.Mutation,
        channel_mutations.Mutation,
        video_mutations.Mutation,
        comment_mutations.Mutation,
    ),
)
Subscription = merge_types(
    "Subscription", (comment_subscriptions.Subscription, video_subscriptions.Subscription)
)


def build_validation_rules() -> list:
    """The limit rules, built once: ValidationCache keys its entries by the rule classes, and
    Strawberry's limiters make new classes on every instantiation (a per-request factory would
    never hit the cache)."""
    rules = [
        *QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES).validation_rules,
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def build_extensions() -> list:
    rules = build_validation_rules()
    return [
        PersistedQueries,
        ErrorFormatter,
        lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
        ParserCache,
        lambda: AddValidationRules(rules),
        ValidationCache,
        QueryCostLimiter,
        SubscriptionsOverWebsocketsOnly,
        DjangoOptimizerExtension,
    ]


GENERATED_DESCRIPTIONS = {
    "Query": "Everything a client can read.",
    "Mutation": "Everything a client can change. Failures come back as OperationInfo.",
    "Subscription": "Live updates, over a websocket at /graphql/.",
    "OperationInfo": "Why a mutation changed nothing: one message per problem.",
    "OperationMessage": "One problem: its kind, the input field concerned, a message and a code.",
    "OperationMessageKind": "What kind of problem a message reports.",
    "Ordering": "Sort direction.",
}
COMBINATOR_DESCRIPTIONS = {
    "AND": "All of these filters must match as well.",
    "OR": "Either this filter or these filters must match.",
    "NOT": "These filters must not match.",
    "DISTINCT": "Remove duplicate rows.",
}


def describe_generated_types(built: strawberry.Schema) -> strawberry.Schema:
    """Describe the types Strawberry and strawberry-django generate without a description
    (roots, payload unions, OperationInfo, filter combinators), so GraphiQL documents all."""
    for name, type_ in built._schema.type_map.items():
        if name in GENERATED_DESCRIPTIONS:
            type_.description = GENERATED_DESCRIPTIONS[name]
        elif isinstance(type_, GraphQLUnionType) and not type_.description:
            changed = " or ".join(t.name for t in type_.types if t.name != "OperationInfo")
            type_.description = f"The {changed} the mutation returns, or why it failed."
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description and field_name in COMBINATOR_DESCRIPTIONS:
                    field.description = COMBINATOR_DESCRIPTIONS[field_name]
    return built


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Expected failures (bad input, sign-in needed, limits) are answers, not incidents:
        # only unexpected errors are logged, with their request id, by graphql_schema.errors.
        return None


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[CommentType],
    extensions=build_extensions(),
    config=StrawberryConfig(
        disable_field_suggestions=not settings.DEBUG,
        relay_max_results=settings.GRAPHQL_PAGE_SIZE_MAX,
    ),
)
describe_generated_types(schema)
install_fast_resolvers(schema._schema)
