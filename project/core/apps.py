from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "project.core"
    label = "core"

    def ready(self) -> None:
        from project.core import checks  # noqa: F401  (registers the system checks)
