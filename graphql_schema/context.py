"""The current user, as resolvers see it (HTTP request or websocket scope alike)."""

from strawberry.types import Info
from strawberry_django.auth.utils import get_current_user

from project.users.models import User


def viewer_id(info: Info) -> int | None:
    """The signed-in user's pk, or None for anonymous callers."""
    user = get_current_user(info)
    return user.pk if user.is_authenticated else None


def signed_in_user(info: Info) -> User:
    """The signed-in user; only for fields guarded by IsAuthenticated."""
    user = get_current_user(info)
    assert isinstance(user, User)
    return user
