from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from graphql_schema.view import make_graphql_view
from project.core.health import healthz, readyz
from project.videos.views import private_media, public_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", make_graphql_view(), name="graphql"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("media-private/", private_media, name="private-media"),
]

if settings.GRAPHQL_IDE:
    # GraphiQL's own JavaScript and CSS (graphql_schema/graphiql/): no CDN.
    urlpatterns.append(path("graphql/graphiql/", include("graphql_schema.graphiql.urls")))

if settings.SERVE_MEDIA:
    # Development only: in production nginx serves /media/ from the shared volume.
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{prefix}(?P<path>.*)$", public_media))
