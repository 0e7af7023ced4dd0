from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "project.channels"
    # The label "channels" belongs to Django Channels (websockets), so ours is distinct.
    label = "video_channels"
    verbose_name = "Channels"
