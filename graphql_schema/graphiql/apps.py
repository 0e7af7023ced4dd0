from django.apps import AppConfig


class GraphiQLConfig(AppConfig):
    """Holds the GraphiQL template and its static files; no models."""

    name = "graphql_schema.graphiql"
    label = "graphiql"
    verbose_name = "GraphiQL"
