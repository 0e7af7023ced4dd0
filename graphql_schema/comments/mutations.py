import strawberry
import strawberry_django
from strawberry.types import Info

from graphql_schema.comments.types import CommentType
from graphql_schema.context import signed_in_user
from graphql_schema.enums import Rating
from graphql_schema.ids import get_node, refetch
from graphql_schema.permissions import IsAuthenticated
from graphql_schema.throttling import RateLimit
from graphql_schema.videos.types import VideoType
from project.comments import services
from project.comments.models import Comment
from project.videos.models import Video


@strawberry.input(description="A new comment, or a reply when parentId is given.")
class AddCommentInput:
    video_id: strawberry.ID = strawberry.field(description="The video.")
    content: str = strawberry.field(description="The text (trimmed; not empty).")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The comment to reply to; a reply to a reply joins the same thread.",
    )


@strawberry.input(description="New text for your comment.")
class EditCommentInput:
    id: strawberry.ID = strawberry.field(description="The comment.")
    content: str = strawberry.field(description="The new text (trimmed; not empty).")


def _comment(info: Info, raw_id: str, field: str) -> Comment:
    return get_node(info, raw_id, CommentType, Comment, field=field)


@strawberry.type
class Mutation:
    @strawberry_django.mutation(
        extensions=[IsAuthenticated(), RateLimit("add_comment")],
        description="Comment on a video, or reply to a comment.",
    )
    def add_comment(self, info: Info, input: AddCommentInput) -> CommentType:
        comment = services.comment_add(
            author=signed_in_user(info),
            video=get_node(info, input.video_id, VideoType, Video, field="videoId"),
            content=input.content,
            parent=_comment(info, input.parent_id, "parentId") if input.parent_id else None,
        )
        return refetch(info, CommentType, Comment, comment.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()], description="Edit your comment; it is marked edited."
    )
    def edit_comment(self, info: Info, input: EditCommentInput) -> CommentType:
        comment = services.comment_edit(
            comment=_comment(info, input.id, "id"),
            actor=signed_in_user(info),
            content=input.content,
        )
        return refetch(info, CommentType, Comment, comment.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Delete a comment (its author or the video's channel owner) with its "
        "replies. Returns it as it was.",
    )
    def delete_comment(self, info: Info, id: strawberry.ID) -> CommentType:
        comment = _comment(info, id, "id")
        before = refetch(info, CommentType, Comment, comment.pk)
        services.comment_delete(comment=comment, actor=signed_in_user(info))
        return before  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Like, dislike, or clear (NONE) your rating of a comment. Idempotent.",
    )
    def rate_comment(self, info: Info, comment_id: strawberry.ID, rating: Rating) -> CommentType:
        comment = services.comment_rate(
            user=signed_in_user(info),
            comment=_comment(info, comment_id, "commentId"),
            rating=rating.as_model_value(),
        )
        return refetch(info, CommentType, Comment, comment.pk)  # type: ignore[return-value]
