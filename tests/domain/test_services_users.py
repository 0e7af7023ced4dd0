"""Account services: registration, sign-in throttling and bearer tokens."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from project.core.factories import DEFAULT_PASSWORD, UserFactory
from project.users import services
from project.users.models import AuthToken, User, hash_token

pytestmark = pytest.mark.django_db


def error_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_register_normalises_the_email_and_hashes_the_password():
    """The stored email is trimmed and lower-cased; the password only hashed."""
    user = services.user_register(
        email=" Ana@Example.COM ", password="a-long-unusual-passphrase", nickname=" Ana "
    )
    assert (user.email, user.nickname) == ("ana@example.com", "Ana")
    assert user.check_password("a-long-unusual-passphrase")


def test_register_collects_every_error():
    """Email, nickname and password problems come back in one ValidationError."""
    with pytest.raises(ValidationError) as raised:
        services.user_register(email="bad", password="123", nickname="")
    codes = error_codes(raised.value)
    assert codes["email"] == ["invalid"]
    assert codes["nickname"] == ["blank"]
    assert "password_too_short" in codes["password"]


def test_register_losing_a_race_for_an_email_is_a_unique_error(monkeypatch):
    """Two registrations can both pass the uniqueness check before either commits; the
    database stops the second, and the service reports it as the usual `unique` error."""
    UserFactory(email="ana@example.com")
    real_validate_unique = User.validate_unique
    calls = []

    def blind_first_check(self, exclude=None):
        calls.append(exclude)
        if len(calls) == 1:
            return None  # as if the other row was not committed yet
        return real_validate_unique(self, exclude)

    monkeypatch.setattr(User, "validate_unique", blind_first_check)
    with pytest.raises(ValidationError) as raised:
        services.user_register(
            email="ANA@example.com", password="a-long-unusual-passphrase", nickname="Ana"
        )
    assert error_codes(raised.value) == {"email": ["unique"]}
    assert User.objects.count() == 1


def _attempt(email: str, password: str, address: str = "10.0.0.1") -> str:
    request = RequestFactory().post("/graphql/", REMOTE_ADDR=address)
    try:
        services.user_authenticate(email=email, password=password, request=request)
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            return str(next(iter(e.error_dict.values()))[0].code)
        return str(e.code)
    return "ok"


def _expiry(key: str) -> datetime:
    """When a key of the database cache (the cache tests run with) expires."""
    if not isinstance(caches["default"], DatabaseCache):
        pytest.skip("reads the expiry from the database cache's table")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {settings.CACHES['default']['LOCATION']} WHERE cache_key = %s",
            [cache.make_key(key)],
        )
        return cursor.fetchone()[0]


def test_the_failure_window_is_the_configured_one_on_the_real_cache(settings):
    """Each counted failure keeps the counters for LOGIN_FAILURE_WINDOW_SECONDS from then
    on, not for the cache backend's default timeout (incr() re-sets it on some backends)."""
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 3600
    UserFactory(email="ana@example.com")
    for _ in range(3):
        assert _attempt("ana@example.com", "wrong") == "INVALID_CREDENTIALS"
    assert cache.get("login-fail:email:ana@example.com") == 3
    assert cache.get("login-fail:addr:10.0.0.1") == 3
    for key in ("login-fail:email:ana@example.com", "login-fail:addr:10.0.0.1"):
        remaining = _expiry(key) - timezone.now()
        assert timedelta(minutes=59) < remaining <= timedelta(minutes=60)


def test_throttled_attempts_are_not_counted(settings):
    """Refused attempts do not extend the cool-down: it ends one window after the last
    failure that was let through, so nobody is locked out for good."""
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(email="ana@example.com")
    for _ in range(2):
        _attempt("ana@example.com", "wrong")
    for _ in range(5):
        assert _attempt("ana@example.com", DEFAULT_PASSWORD) == "THROTTLED"
    assert cache.get("login-fail:email:ana@example.com") == 2


def test_an_overlong_password_is_refused_without_counting_a_failure():
    """A password over the cap is a max_length error before any hashing, and no failure."""
    UserFactory(email="ana@example.com")
    assert _attempt("ana@example.com", "x" * 2000) == "max_length"
    assert cache.get("login-fail:email:ana@example.com") is None


def test_tokens_are_random_hashed_and_expiring(settings):
    """Only the SHA-256 of the token is stored, with an expiry AUTH_TOKEN_TTL_SECONDS ahead."""
    settings.AUTH_TOKEN_TTL_SECONDS = 60
    user = UserFactory()
    raw = services.auth_token_create(user=user)
    token = AuthToken.objects.get()
    assert token.key_hash == hash_token(raw) != raw
    assert timedelta(seconds=55) < token.expires_at - timezone.now() <= timedelta(seconds=60)
    assert services.live_tokens(raw=raw).get().user == user


def test_expired_revoked_and_inactive_tokens_are_not_live():
    """An expired token, a revoked one and one of a deactivated user authenticate no one."""
    user = UserFactory()
    expired, revoked, inactive = (services.auth_token_create(user=user) for _ in range(3))
    AuthToken.objects.filter(key_hash=hash_token(expired)).update(expires_at=timezone.now())
    services.auth_token_revoke(token=AuthToken.objects.get(key_hash=hash_token(revoked)))
    assert not services.live_tokens(raw=expired).exists()
    assert not services.live_tokens(raw=revoked).exists()
    assert services.live_tokens(raw=inactive).exists()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not services.live_tokens(raw=inactive).exists()


def test_issuing_a_token_deletes_the_users_expired_ones():
    """Signing in clears the user's expired tokens, and only theirs."""
    user, other = UserFactory(), UserFactory()
    services.auth_token_create(user=user)
    services.auth_token_create(user=other)
    AuthToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    services.auth_token_create(user=user)
    assert AuthToken.objects.filter(user=user).count() == 1
    assert AuthToken.objects.filter(user=other).count() == 1  # only the user's own
