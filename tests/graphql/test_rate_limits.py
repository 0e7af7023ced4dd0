"""Registrations per address and comments per user are rate limited, with a clear error that
says when to retry; a cache outage lets requests through instead of failing them."""

import logging

import pytest
from django.core.cache import cache
from strawberry import relay

from project.comments.models import Comment
from project.core.factories import DEFAULT_PASSWORD, UserFactory, VideoFactory
from project.users.models import User
from tests.conftest import messages_of

pytestmark = pytest.mark.django_db

REGISTER = """mutation($email: String!) {
  register(input: {email: $email, password: "a-fine-long-passphrase", nickname: "n"}) {
    ... on User { id }
    ... on OperationInfo { messages { code message } }
  }
}"""
ADD_COMMENT = """mutation($video: ID!) {
  addComment(input: {videoId: $video, content: "hi"}) {
    ... on Comment { id }
    ... on OperationInfo { messages { code message } }
  }
}"""


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


def test_registrations_from_one_address_are_limited(gql, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (2, 3600)}
    for n in range(2):
        assert "id" in gql.data(REGISTER, {"email": f"r{n}@example.com"})["register"]
    refused = messages_of(gql.data(REGISTER, {"email": "r2@example.com"})["register"])
    assert refused[0]["code"] == "THROTTLED"
    assert "Try again in" in refused[0]["message"]
    assert not User.objects.filter(email="r2@example.com").exists()


def test_comments_are_limited_per_user_not_globally(gql, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "add_comment": (3, 60)}
    video = VideoFactory()
    video_id = relay.to_base64("Video", video.pk)
    first, second = UserFactory(), UserFactory()
    gql.login(first)
    results = [gql.data(ADD_COMMENT, {"video": video_id})["addComment"] for _ in range(4)]
    assert ["id" in r for r in results] == [True, True, True, False]
    assert messages_of(results[3])[0]["code"] == "THROTTLED"
    gql.login(second)
    assert "id" in gql.data(ADD_COMMENT, {"video": video_id})["addComment"]
    assert Comment.objects.count() == 4


def test_an_unreachable_cache_lets_requests_through_with_a_log_line(gql, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with caplog.at_level(logging.WARNING, logger="graphql_schema.throttling"):
        data = gql.data(REGISTER, {"email": "during-outage@example.com"})
    assert "id" in data["register"]
    assert "rate limit register not enforced" in caplog.text


def test_sign_in_works_while_the_cache_is_down(gql, settings, caplog):
    user = UserFactory(email="steady@example.com")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    login = """mutation($password: String!) {
      login(email: "steady@example.com", password: $password) {
        ... on LoginPayload { user { id } }
      }
    }"""
    with caplog.at_level(logging.WARNING, logger="project.users.services"):
        data = gql.data(login, {"password": DEFAULT_PASSWORD})
    assert data["login"]["user"]["id"] == relay.to_base64("User", user.pk)
    assert "login throttling: could not read failure counts" in caplog.text
