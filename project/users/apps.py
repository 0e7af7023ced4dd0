from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "project.users"
    label = "users"
    verbose_name = "Users and sign-in"
