"""The per-request context and the current user."""

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser
from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info
from strawberry_django.auth.utils import get_current_user

from project.users.models import User


@dataclass
class Context(StrawberryDjangoContext):
    """Request and response, with the user already loaded (so resolvers never hit the
    session lazily from async code)."""


def viewer(info: Info) -> User | AnonymousUser:
    return cast(User | AnonymousUser, get_current_user(info))


def viewer_id(info: Info) -> int | None:
    """The signed-in user's pk, or None for anonymous callers."""
    user = get_current_user(info)
    return user.pk if user.is_authenticated else None


def signed_in_user(info: Info) -> User:
    """The signed-in user; only for fields guarded by IsAuthenticated."""
    user = get_current_user(info)
    assert isinstance(user, User)
    return user
