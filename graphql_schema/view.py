"""The HTTP endpoint: Strawberry's view behind Django's middleware and CSRF."""

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.views.decorators.csrf import ensure_csrf_cookie
from strawberry.django.views import GraphQLView as SyncGraphQLView
from strawberry.types import ExecutionResult

from graphql_schema.errors import VALIDATION_FAILED
from graphql_schema.schema import schema


class GraphQLView(SyncGraphQLView):
    def process_result(self, request: HttpRequest, result: ExecutionResult) -> Any:
        response = super().process_result(request, result)
        # Syntax errors end an operation before schema extensions see its result; code them
        # here so every error a client gets has `extensions.code`.
        for error in cast(list[dict], response.get("errors") or []):
            error.setdefault("extensions", {}).setdefault("code", VALIDATION_FAILED)
        return response


def make_graphql_view() -> Any:
    view = GraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.GRAPHQL_IDE else None,
        multipart_uploads_enabled=True,
    )
    # The CSRF cookie lets GraphiQL and browser apps send X-CSRFToken with their POSTs.
    return ensure_csrf_cookie(view)
