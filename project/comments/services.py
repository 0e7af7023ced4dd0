"""Comments, replies and comment ratings: every write lives here."""

from functools import partial

from django.db import transaction
from django.db.models import F

from project.comments.models import Comment, CommentRating
from project.core import events
from project.core.errors import Forbidden, field_error
from project.core.ratings import rating_set
from project.users.models import User
from project.videos.models import Video


def _announce(video_id: int, comment_id: int | None = None) -> None:
    if comment_id is not None:
        transaction.on_commit(
            partial(events.comment_added, video_id=video_id, comment_id=comment_id)
        )
    transaction.on_commit(partial(events.video_stats_changed, video_id=video_id))


@transaction.atomic
def comment_add(
    *, author: User, video: Video, content: str, parent: Comment | None = None
) -> Comment:
    """Post a comment, or a reply.

    A reply to a reply joins the top-level thread of its parent: threads stay one level deep,
    as clients render them, and a video page never needs a recursive query.
    """
    if parent is not None:
        if parent.video_id != video.pk:
            raise field_error("parentId", "That comment belongs to another video.", "invalid")
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    comment = Comment(author=author, video=video, parent=parent, content=content.strip())
    comment.full_clean()
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
    _ensure_author(comment, actor)
    comment.content = content.strip()
    comment.is_edited = True
    comment.full_clean()
    comment.save(update_fields=["content", "is_edited", "updated_at"])
    return comment


def comment_can_delete(*, comment: Comment, actor: User, video_owner_id: int) -> bool:
    return actor.pk in (comment.author_id, video_owner_id)


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """Delete a comment (its author, or the owner of the video's channel may).

    Deleting a top-level comment deletes its replies; the counters drop by as many.
    """
    comment = (
        Comment.objects.select_for_update().select_related("video__channel").get(pk=comment.pk)
    )
    if not comment_can_delete(
        comment=comment, actor=actor, video_owner_id=comment.video.channel.owner_id
    ):
        raise Forbidden("Only the comment's author or the channel's owner may delete it.")
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
    """Set the user's rating of a comment (None clears it). Idempotent."""
    rating_set(
        rating_model=CommentRating,
        target_model=Comment,
        target_field="comment_id",
        target_pk=comment.pk,
        user=user,
        rating=rating,
    )
    return comment
