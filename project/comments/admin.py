from django.contrib import admin

from project.comments.models import Comment, CommentRating


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "video",
        "author",
        "parent",
        "is_edited",
        "like_count",
        "reply_count",
        "created_at",
    ]
    list_filter = ["is_edited", "created_at"]
    search_fields = ["content", "author__email"]
    raw_id_fields = ["video", "author", "parent"]
    readonly_fields = ["like_count", "dislike_count", "reply_count", "created_at", "updated_at"]


@admin.register(CommentRating)
class CommentRatingAdmin(admin.ModelAdmin):
    list_display = ["user", "comment", "value", "created_at"]
    list_filter = ["value"]
    raw_id_fields = ["user", "comment"]
