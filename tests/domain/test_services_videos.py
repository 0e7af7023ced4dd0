"""Video services: uploads checked by content and size, files cleaned up, exact counters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from project.channels.models import Channel
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos import services
from project.videos.files import IMAGE_TYPES, VIDEO_TYPES, detect_type, validate_upload
from project.videos.models import Video, Visibility
from tests.graphql.mutations_support import mp4_bytes, png_bytes, webm_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def as_upload(content: bytes, name: str = "upload.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("content", "allowed", "expected"),
    [
        (mp4_bytes(), VIDEO_TYPES, "video/mp4"),
        (webm_bytes(), VIDEO_TYPES, "video/webm"),
        (png_bytes(), IMAGE_TYPES, "image/png"),
        (png_bytes(), VIDEO_TYPES, None),
        (mp4_bytes(), IMAGE_TYPES, None),
        (b"<html><body>not a video</body></html>", VIDEO_TYPES, None),
        (b"", VIDEO_TYPES, None),
    ],
)
def test_detect_type_goes_by_content(content, allowed, expected):
    """The detected type comes from the bytes, whatever the file is called."""
    assert detect_type(as_upload(content, "looks-fine.mp4"), allowed) == expected


def test_validate_upload_checks_size_before_content():
    """An oversized file is refused as FILE_TOO_LARGE without being sniffed."""
    with pytest.raises(ValidationError) as raised:
        validate_upload(field="file", file=as_upload(b"x" * 11), allowed=VIDEO_TYPES, max_bytes=10)
    assert [e.code for e in raised.value.error_dict["file"]] == ["FILE_TOO_LARGE"]


def test_create_stores_files_under_random_names_and_counts_public_videos(media):
    """Client file names are ignored; only PUBLIC videos count in videoCount."""
    channel = ChannelFactory()
    video = services.video_create(
        actor=channel.owner,
        channel=channel,
        title=" Title ",
        file=as_upload(mp4_bytes(), "../../../etc/passwd"),
        thumbnail=as_upload(png_bytes(), "x.exe"),
    )
    assert video.title == "Title"
    assert video.file.name.startswith("videos/") and video.file.name.endswith(".mp4")
    assert video.thumbnail.name.startswith("thumbnails/") and video.thumbnail.name.endswith(".png")
    assert len(files_in(media)) == 2
    channel.refresh_from_db()
    assert channel.video_count == 1
    services.video_create(
        actor=channel.owner,
        channel=channel,
        title="Hidden",
        file=as_upload(mp4_bytes()),
        visibility=Visibility.PRIVATE,
    )
    channel.refresh_from_db()
    assert channel.video_count == 1


def test_files_stored_by_a_failed_create_are_deleted(media, monkeypatch):
    """When the write fails after save() stored the files, they are removed again."""
    channel = ChannelFactory()

    def broken_counter(channel_id, delta):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_adjust_public_count", broken_counter)
    with pytest.raises(RuntimeError):
        services.video_create(
            actor=channel.owner,
            channel=channel,
            title="t",
            file=as_upload(mp4_bytes()),
            thumbnail=as_upload(png_bytes()),
        )
    assert files_in(media) == []
    assert not Video.objects.exists()


def test_create_on_someone_elses_channel_is_refused_before_reading_files(media):
    """Ownership is checked first: nothing is read or stored for a stranger."""
    channel = ChannelFactory()
    with pytest.raises(PermissionDenied):
        services.video_create(
            actor=UserFactory(), channel=channel, title="t", file=as_upload(b"anything")
        )
    assert files_in(media) == []


def test_update_changes_visibility_and_the_public_count(media):
    """PUBLIC to UNLISTED to PRIVATE takes the video off videoCount once."""
    video = VideoFactory(visibility=Visibility.PUBLIC)
    Channel.objects.filter(pk=video.channel_id).update(video_count=1)
    owner = video.channel.owner
    services.video_update(video=video, actor=owner, data={"visibility": Visibility.UNLISTED})
    services.video_update(video=video, actor=owner, data={"visibility": Visibility.PRIVATE})
    video.channel.refresh_from_db()
    assert video.channel.video_count == 0


def test_a_failed_update_keeps_the_old_thumbnail_and_stores_nothing(media):
    """A non-image thumbnail fails the update as a whole: the title stays too."""
    video = VideoFactory(thumbnail="thumbnails/old.png", title="Old")
    with pytest.raises(ValidationError):
        services.video_update(
            video=video,
            actor=video.channel.owner,
            data={"title": "New"},
            thumbnail=as_upload(b"not an image"),
        )
    video.refresh_from_db()
    assert (video.title, video.thumbnail.name) == ("Old", "thumbnails/old.png")
    assert files_in(media) == []


def test_delete_removes_files_only_once_committed(media, django_capture_on_commit_callbacks):
    """The files go in on_commit callbacks, so a rolled-back deletion keeps them."""
    channel = ChannelFactory()
    video = services.video_create(
        actor=channel.owner, channel=channel, title="t", file=as_upload(mp4_bytes())
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.video_delete(video=video, actor=channel.owner)
    assert len(files_in(media)) == 1  # not yet: a rollback would need them
    for callback in callbacks:
        callback()
    assert files_in(media) == []
    channel.refresh_from_db()
    assert channel.video_count == 0


def test_record_view_adds_one_in_the_database():
    """The increment happens in SQL, so a stale instance cannot lose views."""
    video = VideoFactory()
    Video.objects.filter(pk=video.pk).update(views_count=41)
    services.video_record_view(video=video)  # a stale instance: the UPDATE uses F()
    video.refresh_from_db()
    assert video.views_count == 42


def _not_found_on(raised: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [f for f, errors in raised.value.error_dict.items() if errors[0].code == "NOT_FOUND"]


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda video, owner: services.video_record_view(video=video), "videoId"),
        (
            lambda video, owner: services.video_rate(user=owner, video=video, rating="LIKE"),
            "videoId",
        ),
        (lambda video, owner: services.video_update(video=video, actor=owner, data={}), "id"),
        (lambda video, owner: services.video_delete(video=video, actor=owner), "id"),
    ],
    ids=["record_view", "rate", "update", "delete"],
)
def test_a_video_deleted_meanwhile_is_not_found(media, action, field):
    """Looked up, then deleted by a concurrent request: NOT_FOUND, like an unknown id."""
    video = VideoFactory()
    owner = video.channel.owner
    Video.objects.filter(pk=video.pk).delete()
    with pytest.raises(ValidationError) as raised:
        action(video, owner)
    assert _not_found_on(raised) == [field]


def test_uploading_to_a_channel_deleted_meanwhile_is_not_found_and_stores_nothing(media):
    """The channel vanished after it was looked up: NOT_FOUND on channelId, no file kept."""
    channel = ChannelFactory()
    Channel.objects.filter(pk=channel.pk).delete()
    with pytest.raises(ValidationError) as raised:
        services.video_create(
            actor=channel.owner, channel=channel, title="t", file=as_upload(mp4_bytes())
        )
    assert _not_found_on(raised) == ["channelId"]
    assert files_in(media) == []
