from django.contrib import admin

from project.videos.models import Video, VideoRating


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "channel",
        "visibility",
        "category",
        "views_count",
        "like_count",
        "created_at",
    ]
    list_filter = ["visibility", "category", "created_at"]
    search_fields = ["title", "channel__handle"]
    raw_id_fields = ["channel"]
    readonly_fields = [
        "views_count",
        "like_count",
        "dislike_count",
        "comment_count",
        "created_at",
        "updated_at",
    ]


@admin.register(VideoRating)
class VideoRatingAdmin(admin.ModelAdmin):
    list_display = ["user", "video", "value", "created_at"]
    list_filter = ["value"]
    raw_id_fields = ["user", "video"]
