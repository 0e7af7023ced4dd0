from typing import Annotated

import strawberry
import strawberry_django
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from strawberry.types import Info
from strawberry_django.fields.types import OperationInfo

from graphql_schema.ids import refetch
from graphql_schema.throttling import RateLimit
from graphql_schema.users.types import UserType
from project.users import services
from project.users.models import User


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str = strawberry.field(description="The sign-in email (case-insensitive, unique).")
    password: str = strawberry.field(description="Checked by the server's password rules.")
    nickname: str = strawberry.field(description="The name others see.")


@strawberry.type(description="A successful sign-in.")
class LoginPayload:
    user: UserType = strawberry.field(description="Who signed in.")
    token: str = strawberry.field(
        description="A bearer token for API clients (`Authorization: Bearer <token>`). "
        "Browsers can ignore it: the session cookie is set as well."
    )


# strawberry-django would name this union "LoginPayload", the name the API gives the object.
LoginResult = Annotated[
    LoginPayload | OperationInfo,
    strawberry.union("LoginResult", description="The sign-in, or why it failed."),
]


@strawberry.type
class Mutation:
    @strawberry_django.mutation(
        extensions=[RateLimit("register")], description="Create an account."
    )
    def register(self, info: Info, input: RegisterInput) -> UserType:
        user = services.user_register(
            email=input.email, password=input.password, nickname=input.nickname
        )
        return refetch(info, UserType, User, user.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        description="Sign in: starts a session (cookie) and returns a bearer token."
    )
    def login(self, info: Info, email: str, password: str) -> LoginResult:
        request = info.context["request"]
        user = services.user_authenticate(email=email, password=password, request=request)
        session_login(request, user)
        token = services.auth_token_create(user=user)
        return LoginPayload(user=refetch(info, UserType, User, user.pk), token=token)  # type: ignore[arg-type]

    @strawberry_django.mutation(
        handle_django_errors=False,
        description="Sign out: ends the session and revokes the bearer token in use.",
    )
    def logout(self, info: Info) -> bool:
        request = info.context["request"]
        token = getattr(request, "auth_token", None)
        if token is not None:
            services.auth_token_revoke(token=token)
        session_logout(request)
        return True
