"""Start-up checks for production settings."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "SECRET_KEY must be set when DEBUG is off."


def require_secret_key() -> None:
    """Called by the ASGI and WSGI entry points: a server never starts without a secret."""
    if settings.SECRET_KEY_MISSING:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)


@register(deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[Error]:
    if settings.SECRET_KEY_MISSING:
        return [
            Error(
                MISSING_SECRET_KEY, hint="Set the SECRET_KEY environment variable.", id="core.E001"
            )
        ]
    return []
