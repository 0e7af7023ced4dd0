"""The management commands and health endpoints the set-up and the deployment rely on."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client

from project.channels.models import Channel, ChannelSubscription
from project.comments.models import Comment, CommentRating
from project.users.models import User
from project.videos.models import Video, VideoRating
from tests.e2e.conftest import test_database_url as server_database_url

ROOT = Path(__file__).resolve().parents[2]
SIZES = {
    "users": 12,
    "channels": 4,
    "videos": 30,
    "comments": 90,
    "video_ratings": 40,
    "comment_ratings": 25,
    "subscriptions": 20,
}


def seed(seed: int) -> None:
    call_command("seed_demo", reset=True, seed=seed, no_progress=True, **SIZES)


def fingerprint() -> str:
    rows = [
        *User.objects.order_by("pk").values_list("email", "nickname", "date_joined"),
        *Channel.objects.order_by("pk").values_list("handle", "name", "owner_id"),
        *Video.objects.order_by("pk").values_list("title", "channel_id", "views_count"),
        *Comment.objects.order_by("pk").values_list("content", "video_id", "parent_id"),
        *VideoRating.objects.order_by("pk").values_list("user_id", "video_id", "value"),
        *ChannelSubscription.objects.order_by("pk").values_list("subscriber_id", "channel_id"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_seed_demo_inserts_exactly_the_sizes_asked_with_exact_counters():
    seed(1)
    assert User.objects.count() == SIZES["users"]
    assert Channel.objects.count() == SIZES["channels"]
    assert Video.objects.count() == SIZES["videos"]
    assert Comment.objects.count() == SIZES["comments"]
    assert Comment.objects.filter(parent__isnull=False).count() == SIZES["comments"] // 3
    assert VideoRating.objects.count() == SIZES["video_ratings"]
    assert CommentRating.objects.count() == SIZES["comment_ratings"]
    assert ChannelSubscription.objects.count() == SIZES["subscriptions"]
    # No one subscribes to their own channel; denormalised counters match the rows.
    assert not ChannelSubscription.objects.filter(channel__owner=F("subscriber")).exists()
    for channel in Channel.objects.all():
        assert channel.subscriber_count == channel.subscriptions.count()
    for video in Video.objects.all():
        assert video.comment_count == video.comments.count()
        assert video.like_count == video.ratings.filter(value="LIKE").count()


@pytest.mark.django_db(transaction=True)  # --reset truncates: committed rows only
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    seed(7)
    first = fingerprint()
    seed(7)
    assert fingerprint() == first
    seed(8)
    assert fingerprint() != first


@pytest.mark.django_db(transaction=True)
def test_seed_demo_if_empty_leaves_existing_data_alone():
    seed(1)
    before = fingerprint()
    call_command("seed_demo", if_empty=True, seed=2, no_progress=True, **SIZES)
    assert fingerprint() == before


def wait_for_db(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    command = [sys.executable, "manage.py", "wait_for_db", "--timeout", "2", "--interval", "0.5"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.django_db
def test_wait_for_db_succeeds_against_a_running_server():
    result = wait_for_db(server_database_url())
    assert result.returncode == 0, result.stderr
    assert "is up" in result.stdout


def test_wait_for_db_gives_up_with_a_clear_message_when_nothing_answers():
    result = wait_for_db("postgresql://postgres@127.0.0.1:1/nothing")
    assert result.returncode == 1
    assert "Waiting for the database at 127.0.0.1:1" in result.stdout
    assert "still unreachable after 2s" in result.stderr


@pytest.mark.django_db
def test_health_endpoints():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "up"}
    assert connection.is_usable()
