"""The project's URLs plus the reference endpoints (mounted only by bench/settings.py)."""

from django.urls import path

from bench import reference
from project.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    *(
        path(f"bench/reference/{name}", view, name=f"bench-reference-{name}")
        for name, view in reference.VIEWS.items()
    ),
]
