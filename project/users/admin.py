from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from project.users.models import AuthToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "nickname", "is_business", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_business", "is_staff", "is_active"]
    search_fields = ["email", "nickname"]
    readonly_fields = ["date_joined", "last_login", "updated_at"]
    fieldsets = [
        (None, {"fields": ["email", "password", "nickname", "is_business"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["date_joined", "last_login", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "nickname", "password1", "password2"]}),
    ]


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]
    readonly_fields = ["key_hash", "created_at"]
