"""Comment services: one-level threads, exact counters, author and channel-owner rights."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from project.comments import services
from project.comments.models import Comment
from project.core.factories import CommentFactory, UserFactory, VideoFactory
from project.videos.models import Video

pytestmark = pytest.mark.django_db


def test_replies_stay_one_level_deep_and_are_counted():
    """A reply to a reply joins the thread; replyCount and commentCount count both."""
    video = VideoFactory()
    author = UserFactory()
    top = services.comment_add(author=author, video=video, content="top")
    reply = services.comment_add(author=author, video=video, content="reply", parent=top)
    nested = services.comment_add(author=author, video=video, content="nested", parent=reply)
    assert nested.parent_id == top.pk
    top.refresh_from_db()
    video.refresh_from_db()
    assert (top.reply_count, video.comment_count) == (2, 3)


def test_a_reply_to_a_thread_deleted_meanwhile_is_not_found():
    """The thread was deleted after it was looked up: NOT_FOUND on parentId, no counter moves."""
    video = VideoFactory()
    top = CommentFactory(video=video)
    stale = Comment.objects.get(pk=top.pk)
    top.delete()
    with pytest.raises(ValidationError) as raised:
        services.comment_add(author=UserFactory(), video=video, content="late", parent=stale)
    assert [e.code for e in raised.value.error_dict["parentId"]] == ["NOT_FOUND"]
    video.refresh_from_db()
    assert video.comment_count == 0


def test_comment_on_a_video_deleted_meanwhile_is_not_found():
    """The video was deleted after it was looked up: NOT_FOUND on videoId."""
    video = VideoFactory()
    Video.objects.filter(pk=video.pk).delete()
    with pytest.raises(ValidationError) as raised:
        services.comment_add(author=UserFactory(), video=video, content="late")
    assert [e.code for e in raised.value.error_dict["videoId"]] == ["NOT_FOUND"]


def test_edit_marks_edited_only_when_the_text_changes():
    """The same text again (after trimming) is not an edit; new text is, and is marked."""
    comment = CommentFactory(content="same")
    services.comment_edit(comment=comment, actor=comment.author, content=" same ")
    comment.refresh_from_db()
    assert comment.is_edited is False
    services.comment_edit(comment=comment, actor=comment.author, content="changed")
    comment.refresh_from_db()
    assert (comment.content, comment.is_edited) == ("changed", True)


def test_edit_is_for_the_author_only():
    """Not even the channel's owner may change someone's words."""
    comment = CommentFactory()
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, actor=comment.video.channel.owner, content="x")


def test_deleting_a_thread_takes_its_replies_off_the_counters():
    """The channel's owner deletes a thread of four: commentCount drops by four."""
    video = VideoFactory()
    author = UserFactory()
    top = services.comment_add(author=author, video=video, content="top")
    for n in range(3):
        services.comment_add(author=UserFactory(), video=video, content=f"r{n}", parent=top)
    services.comment_add(author=author, video=video, content="another thread")
    services.comment_delete(comment=top, actor=video.channel.owner)
    video.refresh_from_db()
    assert video.comment_count == 1 == Comment.objects.count()


def test_deleting_a_reply_updates_its_thread():
    """The reply's author deletes it: the thread's replyCount and the video's count drop."""
    video = VideoFactory()
    top = services.comment_add(author=UserFactory(), video=video, content="top")
    reply = services.comment_add(author=UserFactory(), video=video, content="r", parent=top)
    services.comment_delete(comment=reply, actor=reply.author)
    top.refresh_from_db()
    video.refresh_from_db()
    assert (top.reply_count, video.comment_count) == (0, 1)


def test_only_the_author_or_the_channel_owner_may_delete():
    """A third user gets PermissionDenied and the comment stays."""
    comment = CommentFactory()
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, actor=UserFactory())
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda c: services.comment_edit(comment=c, actor=c.author, content="new"), "id"),
        (lambda c: services.comment_delete(comment=c, actor=c.author), "id"),
        (lambda c: services.comment_rate(user=c.author, comment=c, rating="LIKE"), "commentId"),
    ],
    ids=["edit", "delete", "rate"],
)
def test_a_comment_deleted_meanwhile_is_not_found(action, field):
    """Deleted after it was looked up: NOT_FOUND on the argument's field, like an unknown id."""
    comment = CommentFactory()
    Comment.objects.filter(pk=comment.pk).delete()
    with pytest.raises(ValidationError) as raised:
        action(comment)
    assert [e.code for e in raised.value.error_dict[field]] == ["NOT_FOUND"]
