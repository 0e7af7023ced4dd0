"""A PRIVATE video's files are reachable only through signed, expiring links; public media
keeps plain, cacheable URLs; changing the visibility moves the files between the two."""

from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from project.core.factories import ChannelFactory
from project.videos.services import video_create, video_update
from tests.graphql.mutations_support import gid, mp4_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

VIDEO = "query($id: ID!) { video(id: $id) { fileUrl thumbnailUrl } }"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def private_video():
    channel = ChannelFactory()
    video = video_create(
        actor=channel.owner,
        channel=channel,
        title="Secret",
        visibility="PRIVATE",
        file=upload("a.mp4", mp4_bytes(100)),
        thumbnail=upload("t.png", png_bytes()),
    )
    return channel.owner, video


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_private_files_are_served_through_signed_links_only(gql, private_video):
    owner, video = private_video
    assert video.file.name.startswith("private/videos/")
    gql.login(owner)
    urls = gql.data(VIDEO, {"id": gid("Video", video.pk)})["video"]
    assert "/media-private/?t=" in urls["fileUrl"]

    anyone = Client()
    response = anyone.get(path_of(urls["fileUrl"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == mp4_bytes(100)
    assert response["Cache-Control"] == "private, no-store"
    # The plain media URL of the same file is not served.
    assert anyone.get(f"/media/{video.file.name}").status_code == 404
    # A tampered link is refused.
    assert anyone.get(path_of(urls["fileUrl"]) + "x").status_code == 404


def test_signed_links_expire(gql, private_video, settings):
    owner, video = private_video
    gql.login(owner)
    url = gql.data(VIDEO, {"id": gid("Video", video.pk)})["video"]["thumbnailUrl"]
    settings.PRIVATE_MEDIA_URL_TTL = -1
    response = Client().get(path_of(url))
    assert response.status_code == 403
    assert b"expired" in response.content


def test_behind_nginx_the_app_only_authorises_and_nginx_sends_the_bytes(
    gql, private_video, settings
):
    settings.MEDIA_X_ACCEL_REDIRECT = True
    owner, video = private_video
    gql.login(owner)
    url = gql.data(VIDEO, {"id": gid("Video", video.pk)})["video"]["fileUrl"]
    response = Client().get(path_of(url))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{video.file.name}"
    assert response.content == b""


def test_opening_a_private_video_moves_its_files_to_plain_public_urls(gql, private_video):
    owner, video = private_video
    old_names = (video.file.name, video.thumbnail.name)
    video = video_update(video=video, actor=owner, data={"visibility": "PUBLIC"})
    assert video.file.name.startswith("videos/") and video.thumbnail.name.startswith("thumbnails/")
    gql.login(owner)
    urls = gql.data(VIDEO, {"id": gid("Video", video.pk)})["video"]
    assert urlsplit(urls["fileUrl"]).path == f"/media/{video.file.name}"
    assert Client().get(urlsplit(urls["fileUrl"]).path).status_code == 200
    assert all(default_storage.exists(name) for name in old_names)  # deleted only on commit


def test_old_copies_are_deleted_once_the_move_commits(
    private_video, django_capture_on_commit_callbacks
):
    owner, video = private_video
    old_names = (video.file.name, video.thumbnail.name)
    with django_capture_on_commit_callbacks(execute=True):
        video = video_update(video=video, actor=owner, data={"visibility": "UNLISTED"})
    assert not any(default_storage.exists(name) for name in old_names)
    assert default_storage.exists(video.file.name) and default_storage.exists(video.thumbnail.name)
