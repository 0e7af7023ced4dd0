"""Accounts and sign-in: every write about users lives here."""

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from project.core.errors import ErrorCode
from project.core.services import model_save, model_validate
from project.users.models import AuthToken, User, hash_token, normalize_email

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32  # 256 bits of randomness: unguessable, so an unsalted SHA-256 is enough
PASSWORD_MAX_LENGTH = 1024  # hashing work grows with input length; no real password is longer


def user_register(*, email: str, password: str, nickname: str) -> User:
    """Create an account; every broken rule comes back as a field error, all at once.

    Registering does not sign in: clients call login next, which starts the session and
    issues the bearer token (one way to get either, with its throttling).

    The email is stored trimmed and lower-cased, so it is unique regardless of case. Two
    registrations racing for one email both pass the check; the database's unique index
    stops the second, which gets the same `unique` error as if it had come later.
    """
    user = User(email=normalize_email(email), nickname=nickname.strip())
    errors: dict[str, list[ValidationError]] = {}
    try:
        model_validate(user, exclude=["password"])
    except ValidationError as e:
        errors.update(e.error_dict)
    if len(password) > PASSWORD_MAX_LENGTH:
        errors["password"] = [_password_too_long()]
    else:
        try:
            validate_password(password, user)
        except ValidationError as e:
            errors["password"] = e.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    model_save(user)
    return user


def _failure_keys(email: str, address: str | None) -> list[str]:
    keys = [f"login-fail:email:{normalize_email(email)}"]
    if address:
        keys.append(f"login-fail:addr:{address}")
    return keys


@contextmanager
def _unless_cache_down(action: str) -> Iterator[None]:
    """Sign-in keeps working when the cache (Redis) is down; only throttling is lost."""
    try:
        yield
    except Exception:
        logger.warning("login throttling: could not %s, cache unavailable", action, exc_info=True)


def _check_login_throttle(keys: list[str]) -> None:
    limit = settings.LOGIN_FAILURE_LIMIT
    counts: list[int] = []
    with _unless_cache_down("read failure counts"):
        counts = [cache.get(key) or 0 for key in keys]
    if any(count >= limit for count in counts):
        minutes = max(1, -(-settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))
        raise ValidationError(
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' * (minutes != 1)}.",
            code=ErrorCode.THROTTLED,
        )


def _count_login_failure(keys: list[str]) -> None:
    """Count one failure against each key; the window restarts with every counted failure.

    `incr()` keeps the key's expiry on Redis but not on every backend (Django's database
    cache re-sets it to the cache's default timeout), so the expiry is set again explicitly.
    Attempts refused while throttled are not counted, so the cool-down always ends one
    window after the last failure that was let through: never a lockout for good.
    """
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    with _unless_cache_down("count a failure"):
        for key in keys:
            if cache.add(key, 1, timeout=window):
                continue
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)
            else:
                cache.touch(key, timeout=window)


def _password_too_long() -> ValidationError:
    return ValidationError(f"Use at most {PASSWORD_MAX_LENGTH} characters.", code="max_length")


def user_authenticate(*, email: str, password: str, request: HttpRequest | None) -> User:
    """Check the credentials, throttling repeated failures per account and per address.

    Only failures count, so many people signing in successfully from one office are never
    throttled. A wrong email and a wrong password give the same answer (and, as Django's
    backend hashes the password for unknown emails too, take the same time).
    """
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationError({"password": _password_too_long()})
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    keys = _failure_keys(email, address)
    _check_login_throttle(keys)
    user = authenticate(request, email=normalize_email(email), password=password)
    if user is None:
        _count_login_failure(keys)
        raise ValidationError(
            "The email or the password is wrong.", code=ErrorCode.INVALID_CREDENTIALS
        )
    return user


@transaction.atomic
def auth_token_create(*, user: User) -> str:
    """Issue a bearer token; returns the raw value, which is never stored.

    The user's expired tokens are deleted on the way, so the table does not grow forever.
    """
    now = timezone.now()
    AuthToken.objects.filter(user=user, expires_at__lte=now).delete()
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    AuthToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=now + timedelta(seconds=settings.AUTH_TOKEN_TTL_SECONDS),
    )
    return raw


def auth_token_revoke(*, token: AuthToken) -> None:
    """Revoke one token (logout): it stops working at once."""
    AuthToken.objects.filter(pk=token.pk).delete()


def live_tokens(*, raw: str) -> QuerySet[AuthToken]:
    """The token for a raw value (with its user) if it is unexpired and its user active.

    A QuerySet, so sync code calls .first() and async code .afirst() on it.
    """
    return AuthToken.objects.select_related("user").filter(
        key_hash=hash_token(raw), expires_at__gt=timezone.now(), user__is_active=True
    )
