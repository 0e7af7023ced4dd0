from django.contrib import admin

from project.channels.models import Channel, ChannelSubscription


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["handle", "name", "owner", "subscriber_count", "video_count", "created_at"]
    search_fields = ["handle", "name", "owner__email"]
    list_filter = ["created_at"]
    raw_id_fields = ["owner"]
    readonly_fields = ["subscriber_count", "video_count", "created_at", "updated_at"]


@admin.register(ChannelSubscription)
class ChannelSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "channel", "created_at"]
    search_fields = ["subscriber__email", "channel__handle"]
    raw_id_fields = ["subscriber", "channel"]
