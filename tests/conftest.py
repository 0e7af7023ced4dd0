"""Shared fixtures: a GraphQL client over the real HTTP endpoint, users, and factories."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from project.core.factories import DEFAULT_PASSWORD, UserFactory
from project.users.models import User

GRAPHQL_URL = "/graphql/"


class GraphQLClient:
    """Posts GraphQL operations to /graphql/ through Django's full middleware stack."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def post(self, query: str, variables: dict | None = None, **extra: Any) -> dict:
        response = self.client.post(
            GRAPHQL_URL,
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **extra,
        )
        assert response.status_code == 200, response.content[:500]
        return response.json()

    def data(self, query: str, variables: dict | None = None, **extra: Any) -> dict:
        """The `data` of a response that must have no errors."""
        body = self.post(query, variables, **extra)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def logout(self) -> None:
        self.client.logout()


@pytest.fixture
def gql(db) -> GraphQLClient:
    return GraphQLClient(Client())


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(**kwargs: Any) -> User:
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


def errors_of(body: dict) -> list[dict]:
    return body.get("errors") or []


def codes_of(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in errors_of(body)]


def messages_of(payload: dict) -> list[dict]:
    """The OperationInfo messages of a mutation payload (empty when it succeeded)."""
    return payload.get("messages") or []
