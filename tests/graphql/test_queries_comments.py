"""A video's comments: top-level only, NEWEST or TOP, each with its replies (oldest first),
counters and viewer fields. Comments, replies and ratings are made through the services,
which keep the counters."""

from datetime import timedelta

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from project.comments.models import Comment
from project.comments.services import comment_add, comment_rate
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

COMMENTS = """
query Comments($id: ID!, $first: Int, $after: String, $sort: CommentSort) {
  video(id: $id) {
    commentCount
    comments(first: $first, after: $after, sort: $sort) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { content likeCount dislikeCount replyCount } }
    }
  }
}
"""

COMMENTS_IN_LIST = """
query CommentsInList($sort: CommentSort) {
  videos(first: 10) {
    edges { node { title comments(first: 10, sort: $sort) { edges { node { content } } } } }
  }
}
"""

THREAD = """
query Thread($id: ID!, $first: Int, $after: String) {
  video(id: $id) {
    comments(first: 10) {
      edges {
        node {
          content replyCount
          author { nickname }
          replies(first: $first, after: $after) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { node { content author { nickname } parent { content } } }
          }
        }
      }
    }
  }
}
"""

COMMENT_VIEWER_FIELDS = """
query CommentViewerFields($id: ID!) {
  video(id: $id) {
    comments(first: 10) {
      edges {
        node {
          content viewerRating viewerCanEdit viewerCanDelete
          replies(first: 10) {
            edges { node { content viewerRating viewerCanEdit viewerCanDelete } }
          }
        }
      }
    }
  }
}
"""


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


def contents(connection: dict) -> list[str]:
    return [e["node"]["content"] for e in connection["edges"]]


def backdate(comment: Comment, minutes: int) -> Comment:
    """Pretend `comment` was written `minutes` ago (the services stamp it with now)."""
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    return comment


@pytest.fixture
def video():
    return VideoFactory(title="Talk", channel=ChannelFactory(handle="talks"))


def add(video, content: str, *, minutes_ago: int, parent=None, author=None) -> Comment:
    comment = comment_add(
        author=author or UserFactory(), video=video, content=content, parent=parent
    )
    return backdate(comment, minutes_ago)


def like(comment: Comment, times: int) -> None:
    for _ in range(times):
        comment_rate(user=UserFactory(), comment=comment, rating="LIKE")


def test_comments_are_top_level_only_newest_first_by_default(gql, video):
    """`comments` lists top-level comments newest first; replies are not in it, yet
    commentCount counts them."""
    first = add(video, "first", minutes_ago=30)
    add(video, "second", minutes_ago=20)
    add(video, "third", minutes_ago=10)
    add(video, "a reply", minutes_ago=5, parent=first)
    data = gql.data(COMMENTS, {"id": gid("Video", video.pk), "first": 10})["video"]
    assert contents(data["comments"]) == ["third", "second", "first"]
    assert data["comments"]["totalCount"] == 3
    assert data["commentCount"] == 4


def test_top_sort_is_most_liked_first_then_newest(gql, video):
    """`sort: TOP` puts the most liked comment first; equally liked ones come newest
    first."""
    old_liked = add(video, "old, 2 likes", minutes_ago=50)
    new_liked = add(video, "new, 2 likes", minutes_ago=40)
    best = add(video, "3 likes", minutes_ago=30)
    add(video, "no likes, newest", minutes_ago=1)
    add(video, "no likes, oldest", minutes_ago=60)
    like(old_liked, 2)
    like(new_liked, 2)
    like(best, 3)
    comment_rate(user=UserFactory(), comment=best, rating="DISLIKE")
    expected = ["3 likes", "new, 2 likes", "old, 2 likes", "no likes, newest", "no likes, oldest"]
    variables = {"id": gid("Video", video.pk), "first": 10, "sort": "TOP"}
    data = gql.data(COMMENTS, variables)["video"]["comments"]
    assert contents(data) == expected
    assert [e["node"]["likeCount"] for e in data["edges"]] == [3, 2, 2, 0, 0]
    assert data["edges"][0]["node"]["dislikeCount"] == 1
    newest = gql.data(COMMENTS, {**variables, "sort": "NEWEST"})["video"]["comments"]
    assert contents(newest)[0] == "no likes, newest"


@pytest.mark.parametrize("sort", ["NEWEST", "TOP"])
def test_sort_is_the_same_when_comments_are_loaded_for_a_whole_list(gql, video, sort):
    """Comments under `videos` (loaded for the whole page at once) come in the same order
    as under `video(id:)`."""
    a = add(video, "a", minutes_ago=30)
    add(video, "b", minutes_ago=20)
    add(video, "c", minutes_ago=10)
    like(a, 1)
    variables = {"id": gid("Video", video.pk), "first": 10, "sort": sort}
    one = contents(gql.data(COMMENTS, variables)["video"]["comments"])
    listed = gql.data(COMMENTS_IN_LIST, {"sort": sort})["videos"]["edges"][0]["node"]
    assert contents(listed["comments"]) == one
    assert one == (["c", "b", "a"] if sort == "NEWEST" else ["a", "c", "b"])


def test_comments_page_forwards_without_gaps(gql, video):
    """`first`/`after` pages through a video's comments; the last page says so."""
    for i in range(5):
        add(video, f"c{i}", minutes_ago=50 - i)
    variables = {"id": gid("Video", video.pk), "first": 2}
    seen, after = [], None
    while True:
        page = gql.data(COMMENTS, {**variables, "after": after})["video"]["comments"]
        seen += contents(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["c4", "c3", "c2", "c1", "c0"]


def test_comments_page_size_above_100_is_an_error(gql, video):
    """A nested connection refuses `first: 101` too."""
    body = gql.post(COMMENTS, {"id": gid("Video", video.pk), "first": 101})
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["data"] == {"video": None}


def test_replies_are_oldest_first_with_counts_authors_and_parent(gql, video):
    """Each comment carries replyCount and `replies`, oldest first (a conversation), with
    their authors and the comment they answer; a reply to a reply joins the thread."""
    ana = UserFactory(nickname="ana")
    ben = UserFactory(nickname="ben")
    top = add(video, "question", minutes_ago=60, author=ana)
    answer = add(video, "answer", minutes_ago=50, parent=top, author=ben)
    add(video, "thanks", minutes_ago=40, parent=answer, author=ana)
    add(video, "lonely", minutes_ago=30)
    data = gql.data(THREAD, {"id": gid("Video", video.pk), "first": 10})["video"]["comments"]
    lonely, question = (e["node"] for e in data["edges"])
    assert (lonely["content"], lonely["replyCount"], lonely["replies"]["edges"]) == (
        "lonely",
        0,
        [],
    )
    assert question["content"] == "question"
    assert question["author"] == {"nickname": "ana"}
    assert question["replyCount"] == question["replies"]["totalCount"] == 2
    assert [e["node"] for e in question["replies"]["edges"]] == [
        {"content": "answer", "author": {"nickname": "ben"}, "parent": {"content": "question"}},
        {"content": "thanks", "author": {"nickname": "ana"}, "parent": {"content": "question"}},
    ]


def test_replies_page_forwards(gql, video):
    """`replies(first, after)` pages through a thread, oldest first."""
    top = add(video, "top", minutes_ago=100)
    for i in range(5):
        add(video, f"r{i}", minutes_ago=50 - i, parent=top)
    variables = {"id": gid("Video", video.pk), "first": 3}
    first = gql.data(THREAD, variables)["video"]["comments"]["edges"][0]["node"]["replies"]
    assert contents(first) == ["r0", "r1", "r2"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    second = gql.data(THREAD, {**variables, "after": after})
    rest = second["video"]["comments"]["edges"][0]["node"]["replies"]
    assert contents(rest) == ["r3", "r4"]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_comment_viewer_fields_for_anonymous_author_channel_owner_and_others(gql, video):
    """viewerRating is the caller's own rating; viewerCanEdit is true for the author only;
    viewerCanDelete for the author and the owner of the video's channel. All are
    NONE/false for anonymous callers."""
    author, fan = UserFactory(), UserFactory()
    owner = video.channel.owner
    top = add(video, "top", minutes_ago=10, author=author)
    reply = add(video, "reply", minutes_ago=5, parent=top, author=fan)
    comment_rate(user=fan, comment=top, rating="LIKE")
    comment_rate(user=author, comment=reply, rating="DISLIKE")

    def seen() -> dict:
        node = gql.data(COMMENT_VIEWER_FIELDS, {"id": gid("Video", video.pk)})["video"]
        top_node = node["comments"]["edges"][0]["node"]
        reply_node = top_node["replies"]["edges"][0]["node"]
        keys = ("viewerRating", "viewerCanEdit", "viewerCanDelete")
        return {n["content"]: tuple(n[k] for k in keys) for n in (top_node, reply_node)}

    assert seen() == {"top": ("NONE", False, False), "reply": ("NONE", False, False)}
    gql.login(author)
    assert seen() == {"top": ("NONE", True, True), "reply": ("DISLIKE", False, False)}
    gql.login(fan)
    assert seen() == {"top": ("LIKE", False, False), "reply": ("NONE", True, True)}
    gql.login(owner)
    assert seen() == {"top": ("NONE", False, True), "reply": ("NONE", False, True)}
    gql.login(UserFactory())
    assert seen() == {"top": ("NONE", False, False), "reply": ("NONE", False, False)}


def test_comment_rating_changes_move_the_counts(gql, video):
    """A like turned into a dislike moves one count to the other; NONE clears it."""
    top = add(video, "top", minutes_ago=1)
    fan, critic = UserFactory(), UserFactory()
    comment_rate(user=fan, comment=top, rating="LIKE")
    comment_rate(user=critic, comment=top, rating="LIKE")
    comment_rate(user=critic, comment=top, rating="DISLIKE")
    comment_rate(user=fan, comment=top, rating=None)
    node = gql.data(COMMENTS, {"id": gid("Video", video.pk)})["video"]["comments"]["edges"][0]
    assert (node["node"]["likeCount"], node["node"]["dislikeCount"]) == (0, 1)


COMMENTS_BACKWARDS = """
query CommentsBackwards($id: ID!, $last: Int!, $before: String, $lastReplies: Int!) {
  video(id: $id) {
    comments(last: $last, before: $before) {
      pageInfo { hasPreviousPage startCursor }
      edges { node { content replies(last: $lastReplies) { edges { node { content } } } } }
    }
  }
}
"""


def test_comments_and_replies_page_backwards(gql, video):
    """`last`/`before` pages a video's comments from the oldest end, in list order; a
    thread's `replies(last:)` are its latest replies, still oldest first."""
    for i in range(5):
        add(video, f"c{i}", minutes_ago=50 - i)
    oldest = Comment.objects.get(content="c0")
    for i in range(4):
        add(video, f"r{i}", minutes_ago=40 - i, parent=oldest)
    variables = {"id": gid("Video", video.pk), "last": 2, "lastReplies": 2}
    page = gql.data(COMMENTS_BACKWARDS, variables)["video"]["comments"]
    assert contents(page) == ["c1", "c0"]
    assert contents(page["edges"][1]["node"]["replies"]) == ["r2", "r3"]
    assert page["pageInfo"]["hasPreviousPage"] is True
    before = page["pageInfo"]["startCursor"]
    earlier = gql.data(COMMENTS_BACKWARDS, {**variables, "before": before})["video"]["comments"]
    assert contents(earlier) == ["c3", "c2"]
