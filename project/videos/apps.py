from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "project.videos"
    label = "videos"
