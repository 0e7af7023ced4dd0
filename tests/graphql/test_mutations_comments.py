"""addComment, editComment, deleteComment and rateComment over HTTP."""

import pytest

from project.comments.models import Comment, CommentRating
from project.core.factories import (
    ChannelFactory,
    CommentFactory,
    CommentRatingFactory,
    UserFactory,
    VideoFactory,
)
from project.videos.models import Video, Visibility
from tests.graphql.mutations_support import OPERATION_INFO, codes, fields, gid

pytestmark = pytest.mark.django_db

COMMENT_FIELDS = """id content isEdited replyCount likeCount dislikeCount viewerRating
  viewerCanEdit viewerCanDelete author { nickname } parent { id } video { commentCount }"""

ADD_COMMENT = f"""mutation AddComment($input: AddCommentInput!) {{
  addComment(input: $input) {{
    __typename
    ... on Comment {{ {COMMENT_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

EDIT_COMMENT = f"""mutation EditComment($input: EditCommentInput!) {{
  editComment(input: $input) {{
    __typename
    ... on Comment {{ {COMMENT_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

DELETE_COMMENT = f"""mutation DeleteComment($id: ID!) {{
  deleteComment(id: $id) {{
    __typename
    ... on Comment {{ id content }}
    {OPERATION_INFO}
  }}
}}"""

RATE_COMMENT = f"""mutation RateComment($commentId: ID!, $rating: Rating!) {{
  rateComment(commentId: $commentId, rating: $rating) {{
    __typename
    ... on Comment {{ id likeCount dislikeCount viewerRating }}
    {OPERATION_INFO}
  }}
}}"""

MALFORMED_COMMENT_IDS = ["not-a-global-id", gid("Comment", "abc"), gid("Video", 1)]
BAD_COMMENT_IDS = [
    (gid("Comment", 987654), "NOT_FOUND"),
    *[(i, "invalid") for i in MALFORMED_COMMENT_IDS],
]


@pytest.fixture
def channel_owner():
    return UserFactory(nickname="creator")


@pytest.fixture
def video(channel_owner):
    return VideoFactory(channel=ChannelFactory(owner=channel_owner))


@pytest.fixture
def author():
    return UserFactory(nickname="author")


@pytest.fixture
def comment(video, author):
    """A top-level comment by `author`, with the video's counter in step."""
    made = CommentFactory(video=video, author=author, content="First!")
    Video.objects.filter(pk=video.pk).update(comment_count=1)
    return made


def add(gql, video_id: str, content: str, parent_id: str | None = None) -> dict:
    data = {"videoId": video_id, "content": content}
    if parent_id is not None:
        data["parentId"] = parent_id
    return gql.data(ADD_COMMENT, {"input": data})["addComment"]


def counts(video: Video, comment: Comment | None = None) -> tuple[int, ...]:
    video.refresh_from_db()
    if comment is None:
        return (video.comment_count,)
    comment.refresh_from_db()
    return video.comment_count, comment.reply_count


# --- addComment ---------------------------------------------------------------------------


def test_add_comment_posts_trimmed_content_and_counts_it(gql, video, author):
    """The author's comment is stored trimmed, top-level, and counted on the video."""
    gql.login(author)
    payload = add(gql, gid("Video", video.pk), "  Great video!  ")
    assert payload["__typename"] == "Comment"
    assert payload["content"] == "Great video!"
    assert payload["author"] == {"nickname": "author"}
    assert payload["parent"] is None
    assert payload["isEdited"] is False
    assert (payload["viewerCanEdit"], payload["viewerCanDelete"]) == (True, True)
    assert payload["video"] == {"commentCount": 1}


def test_a_reply_counts_on_the_thread_and_the_video(gql, video, comment):
    """A reply has the comment as parent; replyCount and commentCount both grow."""
    gql.login(UserFactory())
    payload = add(gql, gid("Video", video.pk), "Agreed", gid("Comment", comment.pk))
    assert payload["parent"] == {"id": gid("Comment", comment.pk)}
    assert payload["video"] == {"commentCount": 2}
    assert counts(video, comment) == (2, 1)


def test_a_reply_to_a_reply_joins_the_same_thread(gql, video, comment):
    """Threads are one level deep: replying to a reply attaches to its top-level comment."""
    gql.login(UserFactory())
    reply = add(gql, gid("Video", video.pk), "Reply", gid("Comment", comment.pk))
    nested = add(gql, gid("Video", video.pk), "Reply to reply", reply["id"])
    assert nested["parent"] == {"id": gid("Comment", comment.pk)}
    assert counts(video, comment) == (3, 2)


@pytest.mark.parametrize(
    ("content", "code"), [("", "blank"), ("   \n\t ", "blank"), ("x" * 2001, "max_length")]
)
def test_add_comment_content_must_be_present_and_not_too_long(gql, video, content, code):
    """After trimming, the content must not be empty, and at most 2,000 characters."""
    gql.login(UserFactory())
    payload = add(gql, gid("Video", video.pk), content)
    assert (fields(payload), codes(payload)) == (["content"], [code])
    assert not Comment.objects.exists()
    assert counts(video) == (0,)


def test_add_comment_of_exactly_the_limit_is_accepted(gql, video):
    """2,000 characters is within the limit."""
    gql.login(UserFactory())
    assert add(gql, gid("Video", video.pk), "x" * 2000)["__typename"] == "Comment"


def test_a_reply_must_be_on_the_same_video(gql, video, comment):
    """parentId must be a comment of the same video: `invalid` on parentId."""
    other = VideoFactory()
    gql.login(UserFactory())
    payload = add(gql, gid("Video", other.pk), "Wrong thread", gid("Comment", comment.pk))
    assert (fields(payload), codes(payload)) == (["parentId"], ["invalid"])
    assert Comment.objects.count() == 1


def test_add_comment_requires_a_signed_in_user(gql, video):
    """Anonymous: UNAUTHENTICATED, nothing stored."""
    payload = add(gql, gid("Video", video.pk), "hi")
    assert codes(payload) == ["UNAUTHENTICATED"]
    assert not Comment.objects.exists()


def test_add_comment_on_a_private_video_of_someone_else_is_not_found(gql, video):
    """A video one may not see cannot be commented on: NOT_FOUND on videoId."""
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    gql.login(UserFactory())
    payload = add(gql, gid("Video", video.pk), "hi")
    assert (fields(payload), codes(payload)) == (["videoId"], ["NOT_FOUND"])


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [
        (gid("Video", 987654), "NOT_FOUND"),
        ("not-a-global-id", "invalid"),
        (gid("Video", "abc"), "invalid"),
        (gid("Comment", 1), "invalid"),
    ],
)
def test_add_comment_with_a_bad_video_id(gql, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones (or another type's) `invalid`, on videoId."""
    gql.login(UserFactory())
    payload = add(gql, bad_id, "hi")
    assert (fields(payload), codes(payload)) == (["videoId"], [code])


@pytest.mark.parametrize(("bad_id", "code"), BAD_COMMENT_IDS)
def test_add_comment_with_a_bad_parent_id(gql, video, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on parentId; nothing stored."""
    gql.login(UserFactory())
    payload = add(gql, gid("Video", video.pk), "hi", bad_id)
    assert (fields(payload), codes(payload)) == (["parentId"], [code])
    assert not Comment.objects.exists()


# --- editComment --------------------------------------------------------------------------


def edit(gql, comment_id: str, content: str) -> dict:
    return gql.data(EDIT_COMMENT, {"input": {"id": comment_id, "content": content}})["editComment"]


def test_edit_comment_changes_the_text_and_marks_it_edited(gql, comment, author):
    """The author's new text is trimmed and the comment marked edited."""
    gql.login(author)
    payload = edit(gql, gid("Comment", comment.pk), "  First, edited  ")
    assert (payload["content"], payload["isEdited"]) == ("First, edited", True)
    comment.refresh_from_db()
    assert (comment.content, comment.is_edited) == ("First, edited", True)


def test_edit_comment_with_the_same_text_is_not_an_edit(gql, comment, author):
    """Saving unchanged text (after trimming) does not mark the comment edited."""
    gql.login(author)
    payload = edit(gql, gid("Comment", comment.pk), " First! ")
    assert (payload["content"], payload["isEdited"]) == ("First!", False)


@pytest.mark.parametrize(("content", "code"), [("  ", "blank"), ("x" * 2001, "max_length")])
def test_edit_comment_validates_the_content(gql, comment, author, content, code):
    """The rules of addComment hold; a failed edit changes nothing."""
    gql.login(author)
    payload = edit(gql, gid("Comment", comment.pk), content)
    assert (fields(payload), codes(payload)) == (["content"], [code])
    comment.refresh_from_db()
    assert (comment.content, comment.is_edited) == ("First!", False)


def test_only_the_author_edits_a_comment(gql, comment, channel_owner):
    """Not even the channel's owner may put words in someone's mouth: FORBIDDEN."""
    gql.login(channel_owner)
    payload = edit(gql, gid("Comment", comment.pk), "Edited by someone else")
    assert codes(payload) == ["FORBIDDEN"]
    comment.refresh_from_db()
    assert comment.content == "First!"


def test_edit_comment_requires_a_signed_in_user(gql, comment):
    """Anonymous: UNAUTHENTICATED."""
    assert codes(edit(gql, gid("Comment", comment.pk), "x")) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(("bad_id", "code"), BAD_COMMENT_IDS)
def test_edit_comment_with_a_bad_id(gql, author, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on id."""
    gql.login(author)
    payload = edit(gql, bad_id, "x")
    assert (fields(payload), codes(payload)) == (["id"], [code])


# --- deleteComment ------------------------------------------------------------------------


def delete(gql, comment_id: str) -> dict:
    return gql.data(DELETE_COMMENT, {"id": comment_id})["deleteComment"]


def test_the_author_deletes_a_reply_and_the_counters_follow(gql, video, comment, author):
    """Deleting a reply returns it as it was; replyCount and commentCount drop by one."""
    gql.login(author)
    reply = add(gql, gid("Video", video.pk), "Oops", gid("Comment", comment.pk))
    assert counts(video, comment) == (2, 1)
    payload = delete(gql, reply["id"])
    assert payload == {"__typename": "Comment", "id": reply["id"], "content": "Oops"}
    assert counts(video, comment) == (1, 0)


def test_deleting_a_top_level_comment_deletes_its_replies(gql, video, comment, channel_owner):
    """The channel's owner may delete any comment on its videos; a thread goes as a whole,
    with its replies' ratings, and commentCount drops by all of them."""
    gql.login(UserFactory())
    first = add(gql, gid("Video", video.pk), "Reply 1", gid("Comment", comment.pk))
    add(gql, gid("Video", video.pk), "Reply 2", first["id"])
    other_thread = CommentFactory(video=video)
    Video.objects.filter(pk=video.pk).update(comment_count=4)
    CommentRatingFactory(comment=Comment.objects.get(content="Reply 1"))
    gql.login(channel_owner)
    assert delete(gql, gid("Comment", comment.pk))["__typename"] == "Comment"
    assert list(Comment.objects.all()) == [other_thread]
    assert not CommentRating.objects.exists()
    assert counts(video) == (1,)


def test_someone_else_may_not_delete_a_comment(gql, comment):
    """Neither author nor channel owner: FORBIDDEN, and the comment stays."""
    gql.login(UserFactory())
    assert codes(delete(gql, gid("Comment", comment.pk))) == ["FORBIDDEN"]
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_delete_comment_requires_a_signed_in_user(gql, comment):
    """Anonymous: UNAUTHENTICATED, and the comment stays."""
    assert codes(delete(gql, gid("Comment", comment.pk))) == ["UNAUTHENTICATED"]
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize(("bad_id", "code"), BAD_COMMENT_IDS)
def test_delete_comment_with_a_bad_id(gql, comment, author, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on id; nothing deleted."""
    gql.login(author)
    payload = delete(gql, bad_id)
    assert (fields(payload), codes(payload)) == (["id"], [code])
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- rateComment --------------------------------------------------------------------------


def rate(gql, comment_id: str, rating: str) -> dict:
    return gql.data(RATE_COMMENT, {"commentId": comment_id, "rating": rating})["rateComment"]


def test_rate_comment_likes_switches_and_clears(gql, comment):
    """LIKE twice counts once; DISLIKE moves the vote; NONE removes it."""
    fan = UserFactory()
    gql.login(fan)
    steps = [
        ("LIKE", (1, 0, "LIKE")),
        ("LIKE", (1, 0, "LIKE")),
        ("DISLIKE", (0, 1, "DISLIKE")),
        ("NONE", (0, 0, "NONE")),
        ("NONE", (0, 0, "NONE")),
        ("DISLIKE", (0, 1, "DISLIKE")),
    ]
    for rating, expected in steps:
        payload = rate(gql, gid("Comment", comment.pk), rating)
        assert (payload["likeCount"], payload["dislikeCount"], payload["viewerRating"]) == expected
    assert list(CommentRating.objects.values_list("user", "value")) == [(fan.pk, "DISLIKE")]


def test_rate_comment_requires_a_signed_in_user(gql, comment):
    """Anonymous: UNAUTHENTICATED, no rating stored."""
    assert codes(rate(gql, gid("Comment", comment.pk), "LIKE")) == ["UNAUTHENTICATED"]
    assert not CommentRating.objects.exists()


def test_rate_a_comment_on_a_private_video_of_someone_else_is_not_found(gql, video, comment):
    """Comments of a video one may not see cannot be rated: NOT_FOUND."""
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    gql.login(UserFactory())
    payload = rate(gql, gid("Comment", comment.pk), "LIKE")
    assert (fields(payload), codes(payload)) == (["commentId"], ["NOT_FOUND"])


@pytest.mark.parametrize(("bad_id", "code"), BAD_COMMENT_IDS)
def test_rate_comment_with_a_bad_id(gql, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on commentId."""
    gql.login(UserFactory())
    payload = rate(gql, bad_id, "LIKE")
    assert (fields(payload), codes(payload)) == (["commentId"], [code])
