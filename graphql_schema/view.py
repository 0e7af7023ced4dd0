"""The HTTP endpoint: Strawberry's async view behind Django's middleware and CSRF."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from strawberry.django.views import AsyncGraphQLView

from graphql_schema.context import Context
from graphql_schema.schema import schema


class GraphQLView(AsyncGraphQLView):
    async def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:  # type: ignore[override]
        # Load the user once, here, so sync and async resolvers read a plain object.
        request.user = await request.auser()  # type: ignore[attr-defined]
        return Context(request=request, response=response)


def make_graphql_view() -> Any:
    view = GraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.GRAPHQL_IDE else None,
        multipart_uploads_enabled=True,
    )
    # The CSRF cookie lets GraphiQL and browser apps send X-CSRFToken with their POSTs.
    return ensure_csrf_cookie(view)
