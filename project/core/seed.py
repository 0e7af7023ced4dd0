"""Deterministic demo data, inserted in bulk (see the seed_demo command)."""

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import factory.random
from django.db import connection, models, transaction

from project.channels.models import Channel, ChannelSubscription
from project.comments.models import Comment, CommentRating
from project.core.counters import counters_recompute
from project.core.factories import (
    ChannelFactory,
    ChannelSubscriptionFactory,
    CommentFactory,
    CommentRatingFactory,
    UserFactory,
    VideoFactory,
    VideoRatingFactory,
)
from project.core.models import RatingValue
from project.users.models import User
from project.videos.models import Video, VideoRating, Visibility

BATCH = 5000
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)  # fixed, so the same seed gives the same data
DEMO_TABLES = [User, Channel, ChannelSubscription, Video, VideoRating, Comment, CommentRating]

M = TypeVar("M", bound=models.Model)
Progress = Callable[[Iterable, str, int], Iterable]


@dataclass(frozen=True)
class SeedSizes:
    users: int = 200
    channels: int = 50
    videos: int = 2000
    comments: int = 40000
    video_ratings: int = 20000
    comment_ratings: int = 10000
    subscriptions: int = 2000


def _no_progress(items: Iterable, label: str, total: int) -> Iterable:
    return items


def _insert(
    model: type[M], rows: Iterable[M], label: str, total: int, progress: Progress
) -> list[M]:
    saved: list[M] = []
    batch: list[M] = []
    for row in progress(rows, label, total):
        batch.append(row)
        if len(batch) >= BATCH:
            saved += model._default_manager.bulk_create(batch)
            batch = []
    if batch:
        saved += model._default_manager.bulk_create(batch)
    return saved


def _pairs(
    rng: random.Random,
    left: int,
    right: int,
    count: int,
    allowed: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """`count` distinct (i, j) index pairs (those `allowed` accepts), drawn deterministically."""
    candidates: Sequence[int] = range(left * right)
    if allowed is not None:
        candidates = [n for n in candidates if allowed(*divmod(n, right))]
    count = min(count, len(candidates))
    return [divmod(n, right) for n in rng.sample(candidates, count)]


def reset_demo_data() -> None:
    tables = ", ".join(m._meta.db_table for m in DEMO_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@transaction.atomic
def seed_demo(*, sizes: SeedSizes, seed: int = 1, progress: Progress = _no_progress) -> None:
    rng = random.Random(seed)
    factory.random.reseed_random(seed)

    def when(index: int, total: int) -> datetime:
        return EPOCH + timedelta(minutes=index * 525_600 // max(total, 1))

    users = _insert(
        User,
        (
            UserFactory.build(
                email=f"demo{i}@example.com",
                date_joined=when(i, sizes.users),
                is_business=(i % 10 == 0),
            )
            for i in range(sizes.users)
        ),
        "users",
        sizes.users,
        progress,
    )
    channels = _insert(
        Channel,
        (
            ChannelFactory.build(
                owner=users[i % len(users)],
                handle=f"demo-channel-{i}",
                created_at=when(i, sizes.channels),
            )
            for i in range(sizes.channels)
        ),
        "channels",
        sizes.channels,
        progress,
    )
    videos = _insert(
        Video,
        (
            VideoFactory.build(
                channel=rng.choice(channels),
                created_at=when(i, sizes.videos),
                views_count=rng.randrange(100_000),
                visibility=Visibility.PUBLIC if i % 20 else Visibility.UNLISTED,
            )
            for i in range(sizes.videos)
        ),
        "videos",
        sizes.videos,
        progress,
    )

    top_level_total = sizes.comments - sizes.comments // 3
    top_level = _insert(
        Comment,
        (
            CommentFactory.build(
                video=rng.choice(videos),
                author=rng.choice(users),
                created_at=when(i, top_level_total),
            )
            for i in range(top_level_total)
        ),
        "comments",
        top_level_total,
        progress,
    )
    replies_total = sizes.comments - top_level_total
    _insert(
        Comment,
        (
            CommentFactory.build(
                video_id=parent.video_id,
                parent=parent,
                author=rng.choice(users),
                created_at=parent.created_at + timedelta(minutes=i % 600 + 1),
            )
            for i, parent in enumerate(rng.choice(top_level) for _ in range(replies_total))
        ),
        "replies",
        replies_total,
        progress,
    )

    values = [RatingValue.LIKE] * 4 + [RatingValue.DISLIKE]
    _insert(
        VideoRating,
        (
            VideoRatingFactory.build(user=users[u], video=videos[v], value=rng.choice(values))
            for u, v in _pairs(rng, len(users), len(videos), sizes.video_ratings)
        ),
        "video ratings",
        sizes.video_ratings,
        progress,
    )
    _insert(
        CommentRating,
        (
            CommentRatingFactory.build(
                user=users[u], comment=top_level[c], value=rng.choice(values)
            )
            for u, c in _pairs(rng, len(users), len(top_level), sizes.comment_ratings)
        ),
        "comment ratings",
        sizes.comment_ratings,
        progress,
    )
    _insert(
        ChannelSubscription,
        (
            ChannelSubscriptionFactory.build(subscriber=users[u], channel=channels[c])
            for u, c in _pairs(
                rng,
                len(users),
                len(channels),
                sizes.subscriptions,
                allowed=lambda u, c: channels[c].owner_id != users[u].pk,  # not your own
            )
        ),
        "subscriptions",
        sizes.subscriptions,
        progress,
    )
    counters_recompute()
