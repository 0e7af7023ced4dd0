"""The HTTP endpoint: Strawberry's async view behind Django's middleware and CSRF."""

from typing import Any, cast

from asgiref.sync import sync_to_async
from cross_web import HTTPException
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from strawberry.django.views import AsyncGraphQLView
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graphql_schema.context import Context
from graphql_schema.errors import VALIDATION_FAILED
from graphql_schema.schema import schema


class GraphQLView(AsyncGraphQLView):
    async def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:  # type: ignore[override]
        # Load the user once, here, so sync and async resolvers read a plain object.
        request.user = await request.auser()  # type: ignore[attr-defined]
        return Context(request=request, response=response)

    async def execute_single(  # type: ignore[override]
        self,
        request: HttpRequest,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Run the operation synchronously, in one worker thread.

        The resolvers read Django's ORM, which is synchronous: executed asynchronously, every
        resolver that touches Django hops to a thread (dozens to hundreds per request), while
        here the whole operation costs one hop. Measured in bench/: about 2x on the signed-in
        feed. Websocket subscriptions still execute asynchronously.
        """
        allowed = OperationType.from_http(request_adapter.method)
        execute = sync_to_async(self.schema.execute_sync, thread_sensitive=True)
        try:
            return await execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                root_value=root_value,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason()) from e
        except InvalidOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason(request_adapter.method)) from e
        except MissingQueryError as e:
            raise HTTPException(400, "No GraphQL query found in the request") from e

    async def process_result(self, request: HttpRequest, result: ExecutionResult) -> Any:
        response = await super().process_result(request, result)
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
