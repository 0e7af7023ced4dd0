"""GraphQL subscriptions over websockets, at /graphql/ on the same server as HTTP.

Strawberry's Channels consumer speaks both `graphql-transport-ws` and the legacy
`graphql-ws`, behind Channels' cookie/session/auth middleware (a session cookie signs the
socket in) and its origin check. HTTP never comes here: it stays on Django's view, with
Django's middleware and CSRF (project/asgi.py).

- Sign-in: the session cookie, or `{"authorization": "Bearer <token>"}` in the
  `connection_init` payload (it wins over the cookie). A token that is unknown, expired or
  revoked refuses the connection (4403), so a client never believes it is signed in when it
  is not; without one the socket is anonymous, which both public subscriptions allow.
- Subscriptions only: queries and mutations go over HTTP, where CSRF, the request-scoped
  context and every middleware apply; over a websocket they are refused with a message.
- Limits: the schema is the one HTTP uses, so its depth, alias and token limits apply (the
  cost limit is checked when a subscription starts: graphql_schema/live.py); a connection
  holds at most GRAPHQL_WS_MAX_SUBSCRIPTIONS operations and must send `connection_init`
  within GRAPHQL_WS_INIT_TIMEOUT_SECONDS. On shutdown uvicorn closes each socket with 1012
  (service restart); the consumer then ends its subscriptions and leaves their groups.
"""

import datetime as dt
import io
from collections.abc import AsyncGenerator
from typing import Any, cast
from urllib.parse import urlsplit

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.urls import re_path
from graphql import GraphQLError
from strawberry.channels import GraphQLWSConsumer
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema import BaseSchema
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType
from strawberry.utils.aio import aclosing

from graphql_schema.errors import format_error
from graphql_schema.schema import schema
from project.users.middleware import bearer_token
from project.users.models import AuthToken
from project.users.services import live_tokens

# Sent every so often to legacy graphql-ws clients, which expect "ka" messages; the newer
# protocol relies on the websocket pings uvicorn sends by itself.
LEGACY_KEEP_ALIVE_SECONDS = 20
HTTP_SCHEME_OF = {"ws": "http", "wss": "https"}


@database_sync_to_async
def _live_token(raw: str) -> AuthToken | None:
    return live_tokens(raw=raw).first()


class SubscriptionsOnly:
    """The schema as the websocket handlers see it.

    - `stream` runs subscriptions only (graphql-transport-ws would run queries and mutations
      too; graphql-ws's `subscribe` is routed here as well).
    - A document refused while it is parsed (over the token limit) is refused with an error
      for that operation, as HTTP refuses it: Strawberry's stream lets that error escape,
      and the client would get a bare `complete`.
    """

    def __init__(self, wrapped: BaseSchema) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    async def stream(self, *args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        kwargs["allowed_operation_types"] = (OperationType.SUBSCRIPTION,)
        return _refusing_unparsable(await self._wrapped.stream(*args, **kwargs))

    async def subscribe(self, *args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        return await self.stream(*args, **kwargs)


async def _refusing_unparsable(results: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    async with aclosing(results):
        try:
            first = await anext(results)
        except StopAsyncIteration:
            return
        except GraphQLError as error:
            yield PreExecutionError(data=None, errors=[format_error(error)])
            return
        yield first
        async for result in results:
            yield result


class GraphQLWebSocketConsumer(GraphQLWSConsumer):
    """One websocket connection: its user, its subscriptions."""

    def __init__(self, *, schema: BaseSchema, **options: Any) -> None:
        super().__init__(schema=cast(BaseSchema, SubscriptionsOnly(schema)), **options)
        self._http_request: ASGIRequest | None = None

    async def on_ws_connect(self, context: Any) -> UnsetType | dict[str, object] | None:
        params = context.get("connection_params") or {}
        header = params.get("authorization", params.get("Authorization"))
        if header is None:
            return UNSET  # the session cookie's user, or anonymous
        raw = bearer_token(header) if isinstance(header, str) else None
        token = await _live_token(raw) if raw else None
        if token is None:
            raise ConnectionRejectionError(
                {
                    "message": "The bearer token is malformed, unknown, expired or revoked.",
                    "code": "UNAUTHENTICATED",
                }
            )
        self.scope["user"] = token.user
        return UNSET

    def build_absolute_uri(self, location: str) -> str:
        """Absolute URLs (fileUrl, thumbnailUrl) as the HTTP endpoint builds them: from the
        Host header, or X-Forwarded-Proto behind the proxy, per Django's settings."""
        if self._http_request is None:
            scheme = HTTP_SCHEME_OF.get(self.scope.get("scheme", "ws"), "http")
            scope = {**self.scope, "type": "http", "method": "GET", "scheme": scheme}
            self._http_request = ASGIRequest(scope, io.BytesIO())
        try:
            return self._http_request.build_absolute_uri(location)
        except DisallowedHost:
            return location


def _origin_of(scope: dict) -> bytes | None:
    return next((value for name, value in scope.get("headers", ()) if name == b"origin"), None)


class BrowserOriginValidator:
    """Channels' AllowedHostsOriginValidator (Origin must be one of ALLOWED_HOSTS), which
    also admits the CORS origins, for a handshake that carries an Origin header.

    Browsers always send Origin with a websocket handshake, and only a browser carries a
    victim's cookies to another site; a handshake without Origin is a native or server
    client (mobile apps, the tests), which must sign in with a bearer token anyway. Channels'
    validator would refuse those; Strawberry's consumer then checks the origin once more.
    """

    def __init__(self, application: Any) -> None:
        self.application = application
        self.validator = AllowedHostsOriginValidator(application)
        self.validator.allowed_origins = [
            *self.validator.allowed_origins,
            *(o for o in settings.CORS_ALLOWED_ORIGINS if urlsplit(o).hostname),
        ]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        if _origin_of(scope) is None:
            return await self.application(scope, receive, send)
        return await self.validator(scope, receive, send)


def build_websocket_application() -> Any:
    consumer = GraphQLWebSocketConsumer.as_asgi(
        schema=schema,
        keep_alive=True,
        keep_alive_interval=LEGACY_KEEP_ALIVE_SECONDS,
        connection_init_wait_timeout=dt.timedelta(seconds=settings.GRAPHQL_WS_INIT_TIMEOUT_SECONDS),
        max_subscriptions_per_connection=settings.GRAPHQL_WS_MAX_SUBSCRIPTIONS,
        allowed_origins=settings.CORS_ALLOWED_ORIGINS,
    )
    routes = URLRouter(
        [
            re_path(r"^graphql/?$", consumer),
            re_path(r"", WebsocketDenier.as_asgi()),  # any other path: refused handshake
        ]
    )
    return BrowserOriginValidator(AuthMiddlewareStack(routes))


websocket_application = build_websocket_application()
