from django.urls import path

from graphql_schema.graphiql.views import asset

urlpatterns = [path("<path:path>", asset, name="graphiql-asset")]
