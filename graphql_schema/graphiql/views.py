"""GraphiQL's built assets, served from build/ (see the package docstring)."""

from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

from graphql_schema.graphiql import BUILD_DIR

# Files under assets/ carry a content hash in their names: they never change.
IMMUTABLE = "public, max-age=31536000, immutable"
# graphiql.js and graphiql.css keep their names: revalidate (Last-Modified) every time.
REVALIDATE = "no-cache"


@require_safe
def asset(request: HttpRequest, path: str) -> HttpResponseBase:
    """One file of the build; 404 for anything else (`serve` refuses paths outside it)."""
    try:
        response = serve(request, path, document_root=str(BUILD_DIR))
    except SuspiciousFileOperation as error:  # a path that leaves the build
        raise Http404 from error
    response["Cache-Control"] = IMMUTABLE if path.startswith("assets/") else REVALIDATE
    return response
