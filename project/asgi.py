"""ASGI entry point: HTTP goes to Django (GraphQL view with middleware and CSRF in force),
websockets go to Strawberry's Channels consumer for GraphQL subscriptions."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django_wsgi_app = get_wsgi_application()  # before importing anything that touches models

from project.core.checks import require_secret_key  # noqa: E402

require_secret_key()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from graphql_schema.websocket import websocket_application  # noqa: E402

# HTTP requests run Django synchronously, each whole request on one pool thread: the ORM,
# the resolvers and Django's own middleware are synchronous, and the async path switched
# threads a dozen times or more per request (see bench/). Websockets stay asynchronous.
http_application = WSGIMiddleware(django_wsgi_app, workers=settings.HTTP_THREADS)  # type: ignore[arg-type]

application = ProtocolTypeRouter({"http": http_application, "websocket": websocket_application})
