import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        """Create a user; validates email, nickname and password (Django's validators)."""
        user = self.model(email=normalize_email(email), **fields)
        if password is not None:
            validate_password(password, user)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("nickname", email.split("@", 1)[0][:50])
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


def normalize_email(email: str) -> str:
    """Emails are the login and compare case-insensitively; we store them lower-cased."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Email is the login; the nickname is what others see."""

    email = models.EmailField(unique=True, max_length=254)
    nickname = models.CharField(max_length=50)
    is_business = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The channels this user follows, through ChannelSubscription (so the API can page them).
    subscribed_channels = models.ManyToManyField(
        "video_channels.Channel",
        through="video_channels.ChannelSubscription",
        through_fields=("subscriber", "channel"),
        related_name="subscribers",
        blank=True,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nickname"]

    class Meta:
        constraints = [
            # With this check, the plain unique index on email is case-insensitive too.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.email


def hash_token(raw: str) -> str:
    """Tokens are long random strings, so one fast hash is enough (no salt or stretching needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class AuthToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
