"""Concurrent writes over real HTTP: counters stay exact and no row is duplicated.

A live uvicorn process serves the app against the test database (the live server of
tests/e2e/conftest.py, started here with a temporary MEDIA_ROOT so uploads never land in the
working tree). Twenty threads, each with its own httpx client (and so its own connection and
server-side request), fire the same moment (a barrier), so their transactions really overlap
in PostgreSQL. The counters the API reports are then compared with the rows themselves.
"""

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from project.channels.models import ChannelSubscription
from project.comments.models import Comment, CommentRating
from project.users.models import User
from project.videos.models import VideoRating
from tests.graphql.mutations_support import mp4_bytes

pytestmark = pytest.mark.e2e

THREADS = 20
PASSWORD = "a-long-unusual-passphrase-7"

REGISTER = """mutation Register($input: RegisterInput!) {
  register(input: $input) { __typename ... on OperationInfo { messages { field code } } }
}"""
LOGIN = """mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { ... on LoginPayload { token } }
}"""
CREATE_CHANNEL = """mutation CreateChannel($input: CreateChannelInput!) {
  createChannel(input: $input) {
    __typename ... on Channel { id } ... on OperationInfo { messages { field code } }
  }
}"""
CREATE_VIDEO = """mutation CreateVideo($input: CreateVideoInput!) {
  createVideo(input: $input) { ... on Video { id } ... on OperationInfo { messages { code } } }
}"""
ADD_COMMENT = """mutation AddComment($input: AddCommentInput!) {
  addComment(input: $input) { ... on Comment { id } }
}"""
OUTCOME = "{ __typename ... on OperationInfo { messages { field code } } }"
RATE_VIDEO = f"""mutation RateVideo($id: ID!, $rating: Rating!) {{
  rateVideo(videoId: $id, rating: $rating) {OUTCOME}
}}"""
RATE_COMMENT = f"""mutation RateComment($id: ID!, $rating: Rating!) {{
  rateComment(commentId: $id, rating: $rating) {OUTCOME}
}}"""
RECORD_VIEW = f"mutation RecordView($id: ID!) {{ recordView(videoId: $id) {OUTCOME} }}"
SUBSCRIBE = f"mutation Subscribe($id: ID!) {{ subscribe(channelId: $id) {OUTCOME} }}"
UNSUBSCRIBE = f"mutation Unsubscribe($id: ID!) {{ unsubscribe(channelId: $id) {OUTCOME} }}"
COUNTS = """query Counts($video: ID!, $channel: ID!, $comment: ID!) {
  video(id: $video) { viewsCount likeCount dislikeCount commentCount }
  channel(id: $channel) { subscriberCount }
  comment: node(id: $comment) { ... on Comment { likeCount dislikeCount } }
}"""


def files_in(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def call(client: httpx.Client, query: str, variables: dict | None = None, token: str = "") -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql/", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def at_once(base_url: str, jobs: list[Callable[[httpx.Client], Any]]) -> list[Any]:
    """Run each job on its own thread and httpx client, all released together."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[httpx.Client], Any]) -> Any:
        with httpx.Client(base_url=base_url, timeout=60.0) as client:
            client.get("/healthz")  # connect before the start line
            barrier.wait()
            return job(client)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


SETUP_WORKERS = 4  # sign-ups hash passwords (CPU-bound, ~0.4 s each): not the test's subject


def register_and_login(base_url: str, emails: list[str]) -> list[str]:
    """Accounts made through the API, a few at a time; returns their bearer tokens."""

    def make(email: str) -> str:
        with httpx.Client(base_url=base_url, timeout=60.0) as client:
            values = {"email": email, "password": PASSWORD, "nickname": email.split("@")[0]}
            assert call(client, REGISTER, {"input": values})["register"]["__typename"] == "User"
            return call(client, LOGIN, {"email": email, "password": PASSWORD})["login"]["token"]

    with ThreadPoolExecutor(max_workers=SETUP_WORKERS) as pool:
        return list(pool.map(make, emails))


@dataclass
class World:
    base_url: str
    owner_token: str
    fan_tokens: list[str]
    channel_id: str
    video_id: str
    comment_id: str

    def counts(self, client: httpx.Client) -> dict:
        variables = {"video": self.video_id, "channel": self.channel_id, "comment": self.comment_id}
        return call(client, COUNTS, variables)


def build_world(live_api: httpx.Client, fans: int) -> World:
    """An owner with a channel, a video (uploaded as multipart) and a comment; `fans` users."""
    base_url = str(live_api.base_url).rstrip("/")
    emails = ["owner@example.com"] + [f"fan{n}@example.com" for n in range(fans)]
    owner_token, *fan_tokens = register_and_login(base_url, emails)
    channel = call(
        live_api,
        CREATE_CHANNEL,
        {"input": {"handle": "live", "name": "Live"}},
        owner_token,
    )["createChannel"]
    operations = {
        "query": CREATE_VIDEO,
        "variables": {"input": {"channelId": channel["id"], "title": "Clip", "file": None}},
    }
    response = live_api.post(
        "/graphql/",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("clip.mp4", mp4_bytes(), "video/mp4")},
        headers={"Authorization": f"Bearer {owner_token}"},
    )
    video = response.json()["data"]["createVideo"]
    assert "id" in video, video
    comment = call(
        live_api, ADD_COMMENT, {"input": {"videoId": video["id"], "content": "Hi"}}, owner_token
    )["addComment"]
    return World(base_url, owner_token, fan_tokens, channel["id"], video["id"], comment["id"])


def test_twenty_users_rating_viewing_and_subscribing_at_once_leave_exact_counts(live_api):
    """Twenty different users, at the same moment, each rate the video (half LIKE, half
    DISLIKE), view it twice, subscribe to the channel and like the comment: every counter
    equals the number of rows, with one row per user."""
    world = build_world(live_api, THREADS)

    def fan(n: int, token: str) -> Callable[[httpx.Client], None]:
        def job(client: httpx.Client) -> None:
            rating = "LIKE" if n % 2 == 0 else "DISLIKE"
            call(client, RATE_VIDEO, {"id": world.video_id, "rating": rating}, token)
            call(client, RECORD_VIEW, {"id": world.video_id}, token)
            call(client, SUBSCRIBE, {"id": world.channel_id}, token)
            call(client, RECORD_VIEW, {"id": world.video_id})  # anonymous
            call(client, RATE_COMMENT, {"id": world.comment_id, "rating": "LIKE"}, token)

        return job

    at_once(world.base_url, [fan(n, token) for n, token in enumerate(world.fan_tokens)])

    counts = world.counts(live_api)
    assert counts["video"] == {
        "viewsCount": 2 * THREADS,
        "likeCount": THREADS // 2,
        "dislikeCount": THREADS // 2,
        "commentCount": 1,
    }
    assert counts["channel"] == {"subscriberCount": THREADS}
    assert counts["comment"] == {"likeCount": THREADS, "dislikeCount": 0}
    assert VideoRating.objects.count() == THREADS
    assert VideoRating.objects.values("user").distinct().count() == THREADS
    assert ChannelSubscription.objects.values("subscriber").distinct().count() == THREADS
    assert ChannelSubscription.objects.count() == THREADS
    assert CommentRating.objects.count() == THREADS


def test_one_user_sending_the_same_change_twenty_times_at_once_counts_once(live_api):
    """Idempotent under concurrency: twenty simultaneous LIKEs, subscribes and comment
    likes from one user leave one row each and counts of one."""
    world = build_world(live_api, 1)
    token = world.fan_tokens[0]

    def job(client: httpx.Client) -> None:
        call(client, RATE_VIDEO, {"id": world.video_id, "rating": "LIKE"}, token)
        call(client, SUBSCRIBE, {"id": world.channel_id}, token)
        call(client, RATE_COMMENT, {"id": world.comment_id, "rating": "DISLIKE"}, token)

    at_once(world.base_url, [job] * THREADS)

    counts = world.counts(live_api)
    assert (counts["video"]["likeCount"], counts["video"]["dislikeCount"]) == (1, 0)
    assert counts["channel"] == {"subscriberCount": 1}
    assert counts["comment"] == {"likeCount": 0, "dislikeCount": 1}
    assert VideoRating.objects.count() == 1
    assert ChannelSubscription.objects.count() == 1
    assert CommentRating.objects.count() == 1


def test_conflicting_changes_at_once_keep_counts_equal_to_rows(live_api):
    """One user flipping between LIKE, DISLIKE and NONE, and between subscribing and
    unsubscribing, from twenty threads at once: whichever change lands last, the counters
    describe exactly the rows that remain."""
    world = build_world(live_api, 1)
    token = world.fan_tokens[0]
    ratings = ["LIKE", "DISLIKE", "NONE", "LIKE", "DISLIKE"]

    def flipper(n: int) -> Callable[[httpx.Client], None]:
        def job(client: httpx.Client) -> None:
            for step in range(3):
                rating = ratings[(n + step) % len(ratings)]
                call(client, RATE_VIDEO, {"id": world.video_id, "rating": rating}, token)
                mutation = SUBSCRIBE if (n + step) % 2 == 0 else UNSUBSCRIBE
                call(client, mutation, {"id": world.channel_id}, token)

        return job

    at_once(world.base_url, [flipper(n) for n in range(THREADS)])

    counts = world.counts(live_api)
    likes = VideoRating.objects.filter(value="LIKE").count()
    dislikes = VideoRating.objects.filter(value="DISLIKE").count()
    assert likes + dislikes <= 1
    assert (counts["video"]["likeCount"], counts["video"]["dislikeCount"]) == (likes, dislikes)
    subscriptions = ChannelSubscription.objects.count()
    assert subscriptions <= 1
    assert counts["channel"] == {"subscriberCount": subscriptions}


def test_racing_for_one_email_or_handle_gives_one_winner_and_unique_errors(live_api):
    """Registrations (and channel creations) racing for the same email (handle) all pass
    the uniqueness check together; the database lets one through and the others get the
    usual `unique` field error, never a server error."""
    racers = 6
    base_url = str(live_api.base_url).rstrip("/")
    values = {"email": "race@example.com", "password": PASSWORD, "nickname": "racer"}

    def register(client: httpx.Client) -> dict:
        return call(client, REGISTER, {"input": values})["register"]

    results = at_once(base_url, [register] * racers)
    winners = [r for r in results if r["__typename"] == "User"]
    losers = [r["messages"] for r in results if r["__typename"] == "OperationInfo"]
    assert len(winners) == 1
    assert losers == [[{"field": "email", "code": "unique"}]] * (racers - 1)
    assert User.objects.filter(email="race@example.com").count() == 1

    token = call(live_api, LOGIN, {"email": "race@example.com", "password": PASSWORD})["login"][
        "token"
    ]

    def create(client: httpx.Client) -> dict:
        variables = {"input": {"handle": "same", "name": "Same"}}
        return call(client, CREATE_CHANNEL, variables, token)["createChannel"]

    results = at_once(base_url, [create] * THREADS)
    assert [r["__typename"] for r in results].count("Channel") == 1
    assert [r["messages"] for r in results if r["__typename"] == "OperationInfo"] == [
        [{"field": "handle", "code": "unique"}]
    ] * (THREADS - 1)


DELETE_COMMENT = """mutation DeleteComment($id: ID!) {
  deleteComment(id: $id) { __typename ... on OperationInfo { messages { field code } } }
}"""
REPLY = """mutation Reply($input: AddCommentInput!) {
  addComment(input: $input) {
    __typename ... on OperationInfo { messages { field code } }
  }
}"""


def test_replies_racing_with_the_deletion_of_their_thread_keep_counts_exact(live_api):
    """Nineteen replies to a thread while its author deletes it, all at once: each reply
    lands before the deletion (and goes with the thread) or finds the thread gone
    (NOT_FOUND on parentId); no request fails, and commentCount equals the rows left."""
    world = build_world(live_api, 1)
    thread = call(
        live_api,
        ADD_COMMENT,
        {"input": {"videoId": world.video_id, "content": "Thread"}},
        world.owner_token,
    )["addComment"]

    def reply(n: int) -> Callable[[httpx.Client], dict]:
        def job(client: httpx.Client) -> dict:
            values = {"videoId": world.video_id, "content": f"r{n}", "parentId": thread["id"]}
            return call(client, REPLY, {"input": values}, world.fan_tokens[0])["addComment"]

        return job

    def delete(client: httpx.Client) -> dict:
        return call(client, DELETE_COMMENT, {"id": thread["id"]}, world.owner_token)[
            "deleteComment"
        ]

    results = at_once(world.base_url, [delete, *[reply(n) for n in range(THREADS - 1)]])

    assert results[0]["__typename"] == "Comment"
    for result in results[1:]:
        assert result["__typename"] == "Comment" or result["messages"] == [
            {"field": "parentId", "code": "NOT_FOUND"}
        ]
    counts = world.counts(live_api)
    assert counts["video"]["commentCount"] == 1  # the world's own comment
    assert Comment.objects.count() == 1


DELETE_CHANNEL = """mutation DeleteChannel($id: ID!) {
  deleteChannel(id: $id) { __typename ... on OperationInfo { messages { field code } } }
}"""
BUSY_OPERATIONS = [
    (RATE_VIDEO, lambda w: {"id": w.video_id, "rating": "LIKE"}, "rateVideo"),
    (RECORD_VIEW, lambda w: {"id": w.video_id}, "recordView"),
    (SUBSCRIBE, lambda w: {"id": w.channel_id}, "subscribe"),
    (RATE_COMMENT, lambda w: {"id": w.comment_id, "rating": "DISLIKE"}, "rateComment"),
    (
        REPLY,
        lambda w: {"input": {"videoId": w.video_id, "content": "r", "parentId": w.comment_id}},
        "addComment",
    ),
    (REPLY, lambda w: {"input": {"videoId": w.video_id, "content": "c"}}, "addComment"),
]


def test_deleting_a_channel_while_it_is_busy_fails_no_request(live_api, live_media_root):
    """The owner deletes the channel while nineteen requests rate, view, comment and
    subscribe at the same moment. Each of them lands before the deletion (and is deleted
    with it) or finds its object gone (NOT_FOUND): no deadlock, no server error, nothing
    left behind, the uploaded file included."""
    earlier = files_in(live_media_root)  # left by other tests, whose rows were flushed
    world = build_world(live_api, 4)
    assert len(files_in(live_media_root) - earlier) == 1

    def busy(n: int) -> Callable[[httpx.Client], dict]:
        query, variables, name = BUSY_OPERATIONS[n % len(BUSY_OPERATIONS)]
        token = world.fan_tokens[n % len(world.fan_tokens)]

        def job(client: httpx.Client) -> dict:
            return call(client, query, variables(world), token)[name]

        return job

    def delete(client: httpx.Client) -> dict:
        return call(client, DELETE_CHANNEL, {"id": world.channel_id}, world.owner_token)[
            "deleteChannel"
        ]

    results = at_once(world.base_url, [delete, *[busy(n) for n in range(THREADS - 1)]])

    assert results[0]["__typename"] == "Channel"
    for result in results[1:]:
        if result["__typename"] == "OperationInfo":
            assert [m["code"] for m in result["messages"]] == ["NOT_FOUND"], result
    assert not Comment.objects.exists()
    assert not VideoRating.objects.exists() and not CommentRating.objects.exists()
    assert not ChannelSubscription.objects.exists()
    assert files_in(live_media_root) == earlier
