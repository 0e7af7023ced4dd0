"""Tags for the GraphiQL page: are the local assets built, and Strawberry's page otherwise."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from strawberry.http.ides import get_graphql_ide_html

from graphql_schema.graphiql import BUILD_DIR

register = template.Library()

BUNDLE = "graphiql.js"


@register.simple_tag
def graphiql_built() -> bool:
    """Whether `make graphiql` has built the page's assets."""
    return (BUILD_DIR / BUNDLE).is_file()


@register.simple_tag
def strawberry_graphiql() -> SafeString:
    """Strawberry's own GraphiQL page, which loads its assets from a CDN."""
    return mark_safe(get_graphql_ide_html("graphiql"))
