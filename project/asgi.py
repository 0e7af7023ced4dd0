"""ASGI entry point: HTTP goes to Django (GraphQL view with middleware and CSRF in force),
websockets go to Strawberry's Channels consumer for GraphQL subscriptions."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django_asgi_app = get_asgi_application()  # before importing anything that touches models

from channels.routing import ProtocolTypeRouter  # noqa: E402

from graphql_schema.websocket import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})
