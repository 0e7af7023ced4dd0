from typing import cast

import strawberry
import strawberry_django
from django.core.files import File
from strawberry.file_uploads import Upload
from strawberry.types import Info

from graphql_schema.channels.types import ChannelType
from graphql_schema.context import signed_in_user
from graphql_schema.enums import Rating, Visibility
from graphql_schema.ids import get_node, refetch
from graphql_schema.inputs import provided
from graphql_schema.permissions import IsAuthenticated
from graphql_schema.videos.types import VideoType
from project.channels.models import Channel
from project.videos import services
from project.videos.models import Video


@strawberry.input(description="A new video, sent as a GraphQL multipart request.")
class CreateVideoInput:
    channel_id: strawberry.ID = strawberry.field(description="Your channel to publish on.")
    title: str = strawberry.field(description="Title.")
    description: str = strawberry.field(default="", description="Description.")
    category: str = strawberry.field(default="", description="Category.")
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who can see it."
    )
    file: Upload = strawberry.field(description="The video (MP4, WebM or QuickTime).")
    thumbnail: Upload | None = strawberry.field(
        default=None, description="A picture (PNG, JPEG, WebP or GIF)."
    )


@strawberry.input(description="Changes to a video; leave out what stays the same.")
class UpdateVideoInput:
    id: strawberry.ID = strawberry.field(description="The video.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="New title.")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="New description."
    )
    category: str | None = strawberry.field(default=strawberry.UNSET, description="New category.")
    visibility: Visibility | None = strawberry.field(
        default=strawberry.UNSET, description="New visibility."
    )
    thumbnail: Upload | None = strawberry.field(
        default=strawberry.UNSET, description="A new thumbnail; the old one is deleted."
    )


def _video(info: Info, raw_id: str, field: str) -> Video:
    return get_node(info, raw_id, VideoType, Video, field=field)


@strawberry.type
class Mutation:
    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Upload a video to one of your channels.",
    )
    def create_video(self, info: Info, input: CreateVideoInput) -> VideoType:
        video = services.video_create(
            actor=signed_in_user(info),
            channel=get_node(info, input.channel_id, ChannelType, Channel, field="channelId"),
            title=input.title,
            description=input.description,
            category=input.category,
            visibility=input.visibility.as_model_value(),
            # Uploads arrive as Django UploadedFile objects.
            file=cast(File, input.file),
            thumbnail=cast(File | None, input.thumbnail),
        )
        return refetch(info, VideoType, Video, video.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()], description="Change a video (its channel's owner only)."
    )
    def update_video(self, info: Info, input: UpdateVideoInput) -> VideoType:
        data = provided(input, ["title", "description", "category", "visibility"])
        if "visibility" in data:
            data["visibility"] = data["visibility"].as_model_value()
        thumbnail = cast(File | None, input.thumbnail or None)
        video = services.video_update(
            video=_video(info, input.id, "id"),
            actor=signed_in_user(info),
            data=data,
            thumbnail=thumbnail,
        )
        return refetch(info, VideoType, Video, video.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Delete a video, its comments and files (its channel's owner only). "
        "Returns it as it was.",
    )
    def delete_video(self, info: Info, id: strawberry.ID) -> VideoType:
        video = _video(info, id, "id")
        before = refetch(info, VideoType, Video, video.pk)
        services.video_delete(video=video, actor=signed_in_user(info))
        return before  # type: ignore[return-value]

    @strawberry_django.mutation(description="Count one view of a video; anonymous allowed.")
    def record_view(self, info: Info, video_id: strawberry.ID) -> VideoType:
        video = services.video_record_view(video=_video(info, video_id, "videoId"))
        return refetch(info, VideoType, Video, video.pk)  # type: ignore[return-value]

    @strawberry_django.mutation(
        extensions=[IsAuthenticated()],
        description="Like, dislike, or clear (NONE) your rating of a video. Idempotent.",
    )
    def rate_video(self, info: Info, video_id: strawberry.ID, rating: Rating) -> VideoType:
        video = services.video_rate(
            user=signed_in_user(info),
            video=_video(info, video_id, "videoId"),
            rating=rating.as_model_value(),
        )
        return refetch(info, VideoType, Video, video.pk)  # type: ignore[return-value]
