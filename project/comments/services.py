"""Comments, replies and comment ratings: every write lives here."""

from functools import partial

from django.db import transaction
from django.db.models import F

from project.comments.models import Comment, CommentRating
from project.core import events
from project.core.errors import Forbidden, field_error
from project.core.ratings import rating_set
from project.core.services import lock_row, model_validate, not_found
from project.users.models import User
from project.videos.models import Video


def _announce(video_id: int, comment_id: int | None = None) -> None:
    if comment_id is not None:
        transaction.on_commit(
            partial(events.comment_added, video_id=video_id, comment_id=comment_id)
        )
    transaction.on_commit(partial(events.video_stats_changed, video_id=video_id))


def _lock_video(video_id: int, field: str = "videoId") -> None:
    """Lock the video's row first: every comment write on a video takes this lock before
    any comment row (the lock order of every write: channel, video, comment), so adding a
    reply and deleting its thread never deadlock, and they run one after the other, which
    keeps comment_count and reply_count exact."""
    lock_row(Video.objects.only("pk"), video_id, field=field, no_key=True)


@transaction.atomic
def comment_add(
    *, author: User, video: Video, content: str, parent: Comment | None = None
) -> Comment:
    """Post a comment, or a reply.

    A reply to a reply joins the top-level thread of its parent: threads stay one level deep,
    as clients render them, and a video page never needs a recursive query. The content is
    trimmed; it must not be empty, nor longer than the model's limit.
    """
    if parent is not None and parent.video_id != video.pk:
        raise field_error("parentId", "That comment belongs to another video.", "invalid")
    _lock_video(video.pk)
    if parent is not None:
        thread_id = parent.parent_id or parent.pk
        # Locked, so a concurrent deletion of the thread either happened (NOT_FOUND here)
        # or waits for this reply, then deletes it too and counts it.
        parent = lock_row(Comment.objects, thread_id, field="parentId", no_key=True)
    comment = Comment(author=author, video=video, parent=parent, content=content.strip())
    model_validate(comment)
    comment.save()
    Video.objects.filter(pk=video.pk).update(comment_count=F("comment_count") + 1)
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    _announce(video.pk, comment.pk)
    return comment


def _ensure_author(comment: Comment, actor: User) -> None:
    if comment.author_id != actor.pk:
        raise Forbidden("Only the comment's author may edit it.")


@transaction.atomic
def comment_edit(*, comment: Comment, actor: User, content: str) -> Comment:
    """Change the text of one's own comment; it is then marked edited.

    Sending the same text again (after trimming) is not an edit: nothing changes.
    """
    _ensure_author(comment, actor)
    comment = lock_row(Comment.objects, comment.pk, field="id", no_key=True)
    content = content.strip()
    if content == comment.content:
        return comment
    comment.content = content
    comment.is_edited = True
    model_validate(comment)
    comment.save(update_fields=["content", "is_edited", "updated_at"])
    return comment


def comment_can_delete(*, comment: Comment, actor: User, video_owner_id: int) -> bool:
    return actor.pk in (comment.author_id, video_owner_id)


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """Delete a comment (its author, or the owner of the video's channel may).

    Deleting a top-level comment deletes its replies; the counters drop by as many.
    """
    current = Comment.objects.select_related("video__channel").filter(pk=comment.pk).first()
    if current is None:
        raise not_found("id", Comment)
    comment = current
    if not comment_can_delete(
        comment=comment, actor=actor, video_owner_id=comment.video.channel.owner_id
    ):
        raise Forbidden("Only the comment's author or the channel's owner may delete it.")
    _lock_video(comment.video_id, field="id")
    lock_row(Comment.objects.only("pk"), comment.pk, field="id")
    removed = 1 + (comment.replies.count() if comment.parent_id is None else 0)
    pk = comment.pk
    comment.delete()
    Video.objects.filter(pk=comment.video_id).update(comment_count=F("comment_count") - removed)
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") - 1)
    comment.pk = pk
    _announce(comment.video_id)
    return comment


@transaction.atomic
def comment_rate(*, user: User, comment: Comment, rating: str | None) -> Comment:
    """Set the user's rating of a comment (None clears it). Idempotent.

    The video's row is locked before the comment's (the lock order), so a rating cannot
    slip in while the video or its channel is being deleted (its row would be left pointing
    at a deleted comment).
    """
    _lock_video(comment.video_id, field="commentId")
    rating_set(
        rating_model=CommentRating,
        target_model=Comment,
        target_field="comment_id",
        target_pk=comment.pk,
        user=user,
        rating=rating,
        field="commentId",
    )
    return comment
