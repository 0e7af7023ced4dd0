from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "project.comments"
    label = "comments"
