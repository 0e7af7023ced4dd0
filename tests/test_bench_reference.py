"""The benchmark's one-SQL references must answer exactly what the GraphQL API answers.

bench/ compares the API's speed with a hand-written SQL statement per operation that builds
the same JSON; if the API's answer changes (a field, an order, a format), the comparison would
quietly measure something else. This runs each benchmarked operation on a small seeded
dataset and checks the reference returns the same bytes. No timing here: that is bench/'s job.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection

from bench import reference
from bench.operations import choose_params, operations
from project.core.counters import counters_recompute
from project.core.factories import CommentFactory, UserFactory, VideoFactory
from project.core.seed import EPOCH, SeedSizes, seed_demo
from project.videos.models import Video

SMALL = SeedSizes(
    users=12,
    channels=4,
    videos=40,
    comments=1200,  # ~20 top-level comments per video: the busiest video has a next page
    video_ratings=150,
    comment_ratings=100,
    subscriptions=20,
)
AWKWARD_TEXT = 'He said "hi" \\ back\nthen\ttabbed \x01 \x7f café ☕ 𝄞 </script>'


@pytest.fixture
def small_dataset(db):
    seed_demo(sizes=SMALL, seed=3)
    # The newest video, with text that needs JSON escaping and timestamps with microseconds
    # (the seed's are whole minutes), so escaping and date formatting are compared too.
    channel = Video.objects.order_by("-created_at").first().channel
    newest = EPOCH + timedelta(days=400, microseconds=123456)
    video = VideoFactory(channel=channel, title=AWKWARD_TEXT, created_at=newest)
    author = UserFactory(nickname="Zoë “Z” 🎬")
    for minute in range(1, 4):
        CommentFactory(
            video=video,
            author=author,
            content=f"{AWKWARD_TEXT} #{minute}",
            created_at=newest + timedelta(minutes=minute, microseconds=minute),
        )
    counters_recompute()


def graphql_and_reference(gql, name: str) -> tuple[bytes, bytes]:
    with connection.cursor() as cursor:
        params = choose_params(cursor)
    op = next(op for op in operations(params) if op.name == name)
    response = gql.client.post("/graphql/", data=op.bodies[0], content_type="application/json")
    assert response.status_code == 200
    assert "errors" not in json.loads(response.content), response.content[:500]
    return response.content, reference.BODIES[op.reference](op.variables)


def test_each_reference_returns_the_graphql_bytes(small_dataset, gql):
    videos, videos_ref = graphql_and_reference(gql, "videos")
    assert videos_ref == videos, "bench/reference.py VIDEOS_SQL drifted from the API"
    page = json.loads(videos)["data"]["videos"]
    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True
    newest = page["edges"][0]["node"]
    assert newest["title"] == AWKWARD_TEXT
    assert newest["createdAt"].endswith(".123456+00:00")
    assert len(newest["comments"]["edges"]) == 3

    video, video_ref = graphql_and_reference(gql, "video_page")
    assert video_ref == video, "bench/reference.py VIDEO_PAGE_SQL drifted from the API"
    comments = json.loads(video)["data"]["video"]["comments"]
    assert len(comments["edges"]) == 20
    assert comments["pageInfo"]["hasNextPage"] is True
    assert any(edge["node"]["replies"]["edges"] for edge in comments["edges"])

    search, search_ref = graphql_and_reference(gql, "search")
    assert search_ref == search, "bench/reference.py SEARCH_SQL drifted from the API"
    assert json.loads(search)["data"]["searchVideos"]["edges"]
