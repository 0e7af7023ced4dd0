import pytest
from django.core.exceptions import ValidationError

from project.users.models import User

pytestmark = pytest.mark.django_db


def test_create_user_normalises_the_email_and_hashes_the_password():
    user = User.objects.create_user(" Ana@Example.COM ", "a-long-enough-passphrase", nickname="ana")
    assert user.email == "ana@example.com"
    assert user.password != "a-long-enough-passphrase"
    assert user.check_password("a-long-enough-passphrase")
    assert user.is_staff is False


def test_create_user_applies_djangos_password_validators():
    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user("bob@example.com", "123", nickname="bob")
    assert {e.code for e in excinfo.value.error_list} >= {
        "password_too_short",
        "password_entirely_numeric",
    }
    assert not User.objects.filter(email="bob@example.com").exists()


def test_create_user_rejects_an_invalid_email_and_a_duplicate_in_another_case():
    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user("not-an-email", "a-long-enough-passphrase", nickname="x")
    assert "email" in excinfo.value.message_dict
    User.objects.create_user("cy@example.com", "a-long-enough-passphrase", nickname="cy")
    with pytest.raises(ValidationError) as excinfo:
        User.objects.create_user("CY@example.com", "a-long-enough-passphrase", nickname="cy2")
    assert excinfo.value.error_dict["email"][0].code == "unique"


def test_create_superuser_is_staff_and_superuser():
    admin = User.objects.create_superuser("root@example.com", "a-long-enough-passphrase")
    assert admin.is_staff and admin.is_superuser
    assert admin.nickname == "root"
