"""createVideo, updateVideo, deleteVideo (real multipart uploads), recordView and rateVideo."""

import re
from pathlib import Path

import pytest
from django.test import Client

from project.channels.models import Channel
from project.comments.models import Comment
from project.core.factories import (
    ChannelFactory,
    CommentFactory,
    UserFactory,
    VideoFactory,
    VideoRatingFactory,
)
from project.users.services import auth_token_create
from project.videos.models import Video, VideoRating, Visibility
from tests.graphql.mutations_support import (
    OPERATION_INFO,
    codes,
    fields,
    gid,
    mp4_bytes,
    multipart_body,
    png_bytes,
    post_multipart,
    upload,
    webm_bytes,
)

pytestmark = pytest.mark.django_db

VIDEO_FIELDS = """id title description category visibility fileUrl thumbnailUrl viewsCount
  likeCount dislikeCount commentCount viewerRating viewerCanEdit updatedAt
  channel { videoCount }"""

CREATE_VIDEO = f"""mutation CreateVideo($input: CreateVideoInput!) {{
  createVideo(input: $input) {{
    __typename
    ... on Video {{ {VIDEO_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

UPDATE_VIDEO = f"""mutation UpdateVideo($input: UpdateVideoInput!) {{
  updateVideo(input: $input) {{
    __typename
    ... on Video {{ {VIDEO_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

DELETE_VIDEO = f"""mutation DeleteVideo($id: ID!) {{
  deleteVideo(id: $id) {{
    __typename
    ... on Video {{ id title }}
    {OPERATION_INFO}
  }}
}}"""

RECORD_VIEW = f"""mutation RecordView($videoId: ID!) {{
  recordView(videoId: $videoId) {{
    __typename
    ... on Video {{ id viewsCount }}
    {OPERATION_INFO}
  }}
}}"""

RATE_VIDEO = f"""mutation RateVideo($videoId: ID!, $rating: Rating!) {{
  rateVideo(videoId: $videoId, rating: $rating) {{
    __typename
    ... on Video {{ id likeCount dislikeCount viewerRating }}
    {OPERATION_INFO}
  }}
}}"""

MALFORMED_VIDEO_IDS = ["not-a-global-id", gid("Video", "abc"), gid("Channel", 1)]
BAD_VIDEO_IDS = [
    (gid("Video", 987654), "NOT_FOUND"),
    *[(i, "invalid") for i in MALFORMED_VIDEO_IDS],
]
STORED_NAME = re.compile(r"^http://testserver/media/(videos|thumbnails)/[0-9a-f]{32}\.(\w+)$")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A temporary MEDIA_ROOT, so tests can see exactly which files were stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def channel(owner):
    return ChannelFactory(owner=owner)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def stored_path(media: Path, url: str) -> Path:
    return media / url.split("/media/", 1)[1]


def create_video(client: Client, channel_id: str, files: dict, **values) -> dict:
    variables = {"input": {"channelId": channel_id, "title": "My clip", **values}}
    for name in files:
        variables["input"][name] = None  # the multipart map puts each file here
    parts = {f"input.{name}": file for name, file in files.items()}
    body = post_multipart(client, CREATE_VIDEO, variables, parts)
    assert "errors" not in body, body["errors"]
    return body["data"]["createVideo"]


def update_video(client: Client, video_id: str, files: dict | None = None, **values) -> dict:
    variables = {"input": {"id": video_id, **values}}
    parts = {}
    for name, file in (files or {}).items():
        variables["input"][name] = None
        parts[f"input.{name}"] = file
    body = post_multipart(client, UPDATE_VIDEO, variables, parts)
    assert "errors" not in body, body["errors"]
    return body["data"]["updateVideo"]


def mp4(name: str = "clip.mp4", padding: int = 0):
    return upload(name, mp4_bytes(padding), "video/mp4")


def png(name: str = "thumb.png"):
    return upload(name, png_bytes(), "image/png")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- createVideo --------------------------------------------------------------------------


def test_create_video_stores_the_file_and_thumbnail_under_random_names(media, owner, channel):
    """An MP4 and a PNG thumbnail, sent as a GraphQL multipart request: both are stored under
    random names with the extension of their detected type; the URLs are absolute."""
    payload = create_video(
        signed_in(owner),
        gid("Channel", channel.pk),
        {"file": mp4("../../holiday.php"), "thumbnail": png("me.gif")},
        description="At the beach.",
        category=" travel ",
    )
    assert payload["__typename"] == "Video", payload
    assert (payload["title"], payload["description"], payload["category"]) == (
        "My clip",
        "At the beach.",
        "travel",
    )
    assert payload["visibility"] == "PUBLIC"
    assert payload["viewerCanEdit"] is True
    assert payload["channel"] == {"videoCount": 1}
    file_match = STORED_NAME.match(payload["fileUrl"])
    thumb_match = STORED_NAME.match(payload["thumbnailUrl"])
    assert file_match and file_match.groups() == ("videos", "mp4")
    assert thumb_match and thumb_match.groups() == ("thumbnails", "png")
    assert stored_path(media, payload["fileUrl"]).read_bytes() == mp4_bytes()
    assert stored_path(media, payload["thumbnailUrl"]).read_bytes() == png_bytes()
    assert len(stored_files(media)) == 2
    assert "holiday" not in str(stored_files(media))


def test_create_video_accepts_webm_without_a_thumbnail(media, owner, channel):
    """WebM is recognised by its EBML header; the thumbnail is optional."""
    payload = create_video(
        signed_in(owner),
        gid("Channel", channel.pk),
        {"file": upload("clip.webm", webm_bytes(), "video/webm")},
        visibility="UNLISTED",
    )
    assert payload["fileUrl"].endswith(".webm")
    assert payload["thumbnailUrl"] is None
    assert payload["visibility"] == "UNLISTED"
    # Only PUBLIC videos count in the channel's videoCount.
    assert payload["channel"] == {"videoCount": 0}


@pytest.mark.parametrize(
    "content",
    [b"just some text, honestly\n" * 10, b"<html><body>hi</body></html>", png_bytes(), b""],
    ids=["text", "html", "png", "empty"],
)
def test_create_video_rejects_content_that_is_no_video(media, owner, channel, content):
    """Names and content-type headers are not trusted: the content decides (a text file
    renamed .mp4, a web page, a picture, an empty file), and nothing is stored."""
    fake = upload("clip.mp4", content, "video/mp4")
    payload = create_video(signed_in(owner), gid("Channel", channel.pk), {"file": fake})
    assert (fields(payload), codes(payload)) == (["file"], ["UNSUPPORTED_FILE_TYPE"])
    assert not Video.objects.exists()
    assert stored_files(media) == []


def test_create_video_rejects_a_thumbnail_that_is_not_an_image(media, owner, channel):
    """A video passed off as a PNG is refused, and the (valid) video file is not stored."""
    payload = create_video(
        signed_in(owner),
        gid("Channel", channel.pk),
        {"file": mp4(), "thumbnail": upload("thumb.png", mp4_bytes(), "image/png")},
    )
    assert (fields(payload), codes(payload)) == (["thumbnail"], ["UNSUPPORTED_FILE_TYPE"])
    assert not Video.objects.exists()
    assert stored_files(media) == []


def test_create_video_rejects_an_oversized_file_without_storing_it(media, settings, owner, channel):
    """Above VIDEO_MAX_BYTES the upload is refused with FILE_TOO_LARGE and never stored."""
    settings.VIDEO_MAX_BYTES = 1024
    payload = create_video(
        signed_in(owner), gid("Channel", channel.pk), {"file": mp4(padding=2000)}
    )
    assert (fields(payload), codes(payload)) == (["file"], ["FILE_TOO_LARGE"])
    assert "1.0\xa0KB" in payload["messages"][0]["message"]
    assert not Video.objects.exists()
    assert stored_files(media) == []


def test_create_video_rejects_an_oversized_thumbnail(media, settings, owner, channel):
    """Above THUMBNAIL_MAX_BYTES: FILE_TOO_LARGE on thumbnail, nothing stored."""
    settings.THUMBNAIL_MAX_BYTES = 16
    payload = create_video(
        signed_in(owner), gid("Channel", channel.pk), {"file": mp4(), "thumbnail": png()}
    )
    assert (fields(payload), codes(payload)) == (["thumbnail"], ["FILE_TOO_LARGE"])
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"title": "   "}, "title", "blank"),
        ({"title": "t" * 201}, "title", "max_length"),
        ({"description": "d" * 5001}, "description", "max_length"),
        ({"category": "c" * 51}, "category", "max_length"),
    ],
)
def test_create_video_reports_invalid_fields_and_stores_nothing(
    media, owner, channel, values, field, code
):
    """Title, description and category limits are field errors; no file is stored."""
    payload = create_video(signed_in(owner), gid("Channel", channel.pk), {"file": mp4()}, **values)
    assert (fields(payload), codes(payload)) == ([field], [code])
    assert not Video.objects.exists()
    assert stored_files(media) == []


def test_create_video_on_someone_elses_channel_is_forbidden(media, channel):
    """Only the channel's owner publishes on it."""
    payload = create_video(signed_in(UserFactory()), gid("Channel", channel.pk), {"file": mp4()})
    assert codes(payload) == ["FORBIDDEN"]
    assert not Video.objects.exists()
    assert stored_files(media) == []


def test_create_video_requires_a_signed_in_user(media, channel):
    """Anonymous: UNAUTHENTICATED, nothing stored."""
    payload = create_video(Client(), gid("Channel", channel.pk), {"file": mp4()})
    assert codes(payload) == ["UNAUTHENTICATED"]
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [
        (gid("Channel", 987654), "NOT_FOUND"),
        ("not-a-global-id", "invalid"),
        (gid("Channel", "abc"), "invalid"),
        (gid("Video", 1), "invalid"),
    ],
)
def test_create_video_with_a_bad_channel_id(media, owner, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on channelId."""
    payload = create_video(signed_in(owner), bad_id, {"file": mp4()})
    assert (fields(payload), codes(payload)) == (["channelId"], [code])
    assert stored_files(media) == []


def test_uploads_with_a_bearer_token_need_no_csrf_token(media, owner, channel):
    """A mobile app uploads with its token: no cookie, so no CSRF check."""
    client = Client(enforce_csrf_checks=True)
    token = auth_token_create(user=owner)
    body = post_multipart(
        client,
        CREATE_VIDEO,
        {"input": {"channelId": gid("Channel", channel.pk), "title": "t", "file": None}},
        {"input.file": mp4()},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert body["data"]["createVideo"]["__typename"] == "Video"


def test_a_multipart_post_with_a_session_but_no_csrf_token_is_rejected(media, owner, channel):
    """Any web page can post a multipart form; with the session cookie alone it gets 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    variables = {"input": {"channelId": gid("Channel", channel.pk), "title": "t", "file": None}}
    form, parts = multipart_body(CREATE_VIDEO, variables, {"input.file": mp4()})
    response = client.post("/graphql/", data={**form, **parts})
    assert response.status_code == 403
    assert not Video.objects.exists()
    assert stored_files(media) == []


# --- updateVideo --------------------------------------------------------------------------


@pytest.fixture
def video(channel):
    return VideoFactory(
        channel=channel, title="Old", description="Desc", category="music", file="videos/a.mp4"
    )


def test_update_video_changes_only_the_fields_sent(media, owner, video):
    """A partial update; null or absent fields keep their values."""
    before = video.updated_at
    payload = update_video(signed_in(owner), gid("Video", video.pk), title=" New ", category=None)
    assert (payload["title"], payload["description"], payload["category"]) == (
        "New",
        "Desc",
        "music",
    )
    video.refresh_from_db()
    assert (video.title, video.description, video.category) == ("New", "Desc", "music")
    assert video.updated_at > before


def test_update_video_visibility_keeps_the_channel_count(media, owner, video):
    """videoCount counts PUBLIC videos: hiding one lowers it, publishing it again restores it."""
    Channel.objects.filter(pk=video.channel_id).update(video_count=1)
    client = signed_in(owner)
    hidden = update_video(client, gid("Video", video.pk), visibility="PRIVATE")
    assert (hidden["visibility"], hidden["channel"]["videoCount"]) == ("PRIVATE", 0)
    again = update_video(client, gid("Video", video.pk), visibility="PRIVATE")
    assert again["channel"]["videoCount"] == 0
    shown = update_video(client, gid("Video", video.pk), visibility="PUBLIC")
    assert shown["channel"]["videoCount"] == 1


def test_update_video_replaces_the_thumbnail_and_deletes_the_old_one(
    media, owner, video, django_capture_on_commit_callbacks
):
    """The new picture is stored under a new random name; the old file goes on commit."""
    old = media / "thumbnails" / "old.png"
    old.parent.mkdir()
    old.write_bytes(png_bytes())
    Video.objects.filter(pk=video.pk).update(thumbnail="thumbnails/old.png")
    with django_capture_on_commit_callbacks(execute=True):
        payload = update_video(signed_in(owner), gid("Video", video.pk), {"thumbnail": png()})
    assert STORED_NAME.match(payload["thumbnailUrl"])
    assert stored_path(media, payload["thumbnailUrl"]).read_bytes() == png_bytes()
    assert not old.exists()


def test_update_video_with_a_bad_thumbnail_changes_nothing(
    media, owner, video, django_capture_on_commit_callbacks
):
    """The title sent along is not saved, the old thumbnail stays, nothing new is stored."""
    with django_capture_on_commit_callbacks(execute=True):
        payload = update_video(
            signed_in(owner),
            gid("Video", video.pk),
            {"thumbnail": upload("t.png", b"GIF? no, text", "image/png")},
            title="Changed",
        )
    assert (fields(payload), codes(payload)) == (["thumbnail"], ["UNSUPPORTED_FILE_TYPE"])
    video.refresh_from_db()
    assert video.title == "Old"
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"title": ""}, "title", "blank"),
        ({"description": "d" * 5001}, "description", "max_length"),
    ],
)
def test_update_video_reports_invalid_fields(media, owner, video, values, field, code):
    """The rules of createVideo hold; a failed update changes nothing."""
    payload = update_video(signed_in(owner), gid("Video", video.pk), **values)
    assert (fields(payload), codes(payload)) == ([field], [code])
    video.refresh_from_db()
    assert (video.title, video.description) == ("Old", "Desc")


def test_update_video_of_someone_else_is_forbidden(media, video):
    """Only the channel's owner edits: FORBIDDEN, and the title stays."""
    payload = update_video(signed_in(UserFactory()), gid("Video", video.pk), title="Mine now")
    assert codes(payload) == ["FORBIDDEN"]
    video.refresh_from_db()
    assert video.title == "Old"


def test_a_private_video_of_someone_else_is_not_found(media, video):
    """A video one may not see does not exist, as far as one can tell: NOT_FOUND."""
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    payload = update_video(signed_in(UserFactory()), gid("Video", video.pk), title="x")
    assert (fields(payload), codes(payload)) == (["id"], ["NOT_FOUND"])


def test_update_video_requires_a_signed_in_user(media, video):
    """Anonymous: UNAUTHENTICATED."""
    payload = update_video(Client(), gid("Video", video.pk), title="x")
    assert codes(payload) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(("bad_id", "code"), BAD_VIDEO_IDS)
def test_update_video_with_a_bad_id(media, owner, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on id."""
    payload = update_video(signed_in(owner), bad_id, title="x")
    assert (fields(payload), codes(payload)) == (["id"], [code])


# --- deleteVideo --------------------------------------------------------------------------


def test_delete_video_removes_it_its_comments_and_its_files(
    media, owner, channel, django_capture_on_commit_callbacks
):
    """The owner deletes the video; comments and ratings go with it, the files once the
    deletion is committed, and the channel's videoCount follows."""
    client = signed_in(owner)
    created = create_video(client, gid("Channel", channel.pk), {"file": mp4(), "thumbnail": png()})
    video = Video.objects.get()
    CommentFactory(video=video)
    VideoRatingFactory(video=video)
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post(
            "/graphql/",
            data={"query": DELETE_VIDEO, "variables": {"id": created["id"]}},
            content_type="application/json",
        ).json()
    assert body["data"]["deleteVideo"] == {
        "__typename": "Video",
        "id": created["id"],
        "title": "My clip",
    }
    assert not Video.objects.exists()
    assert not Comment.objects.exists() and not VideoRating.objects.exists()
    assert stored_files(media) == []
    channel.refresh_from_db()
    assert channel.video_count == 0


def _delete(client: Client, video_id: str) -> dict:
    return client.post(
        "/graphql/",
        data={"query": DELETE_VIDEO, "variables": {"id": video_id}},
        content_type="application/json",
    ).json()["data"]["deleteVideo"]


def test_delete_video_of_someone_else_is_forbidden(media, video):
    """Only the channel's owner deletes: FORBIDDEN, and the video stays."""
    assert codes(_delete(signed_in(UserFactory()), gid("Video", video.pk))) == ["FORBIDDEN"]
    assert Video.objects.filter(pk=video.pk).exists()


def test_delete_video_requires_a_signed_in_user(media, video):
    """Anonymous: UNAUTHENTICATED, and the video stays."""
    assert codes(_delete(Client(), gid("Video", video.pk))) == ["UNAUTHENTICATED"]
    assert Video.objects.filter(pk=video.pk).exists()


@pytest.mark.parametrize(("bad_id", "code"), BAD_VIDEO_IDS)
def test_delete_video_with_a_bad_id(media, owner, video, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on id; nothing deleted."""
    payload = _delete(signed_in(owner), bad_id)
    assert (fields(payload), codes(payload)) == (["id"], [code])
    assert Video.objects.filter(pk=video.pk).exists()


# --- recordView ---------------------------------------------------------------------------


def test_record_view_counts_each_view_even_anonymous(gql, video):
    """Anonymous viewers count; each call adds exactly one view."""
    for expected in (1, 2, 3):
        payload = gql.data(RECORD_VIEW, {"videoId": gid("Video", video.pk)})["recordView"]
        assert payload == {
            "__typename": "Video",
            "id": gid("Video", video.pk),
            "viewsCount": expected,
        }
    gql.login(UserFactory())
    assert (
        gql.data(RECORD_VIEW, {"videoId": gid("Video", video.pk)})["recordView"]["viewsCount"] == 4
    )


def test_record_view_of_a_private_video_is_not_found(gql, video):
    """A video one may not see cannot be viewed; its count stays."""
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    payload = gql.data(RECORD_VIEW, {"videoId": gid("Video", video.pk)})["recordView"]
    assert (fields(payload), codes(payload)) == (["videoId"], ["NOT_FOUND"])
    video.refresh_from_db()
    assert video.views_count == 0


@pytest.mark.parametrize(("bad_id", "code"), BAD_VIDEO_IDS)
def test_record_view_with_a_bad_id(gql, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on videoId."""
    payload = gql.data(RECORD_VIEW, {"videoId": bad_id})["recordView"]
    assert (fields(payload), codes(payload)) == (["videoId"], [code])


# --- rateVideo ----------------------------------------------------------------------------


def rate(gql, video: Video, rating: str) -> dict:
    return gql.data(RATE_VIDEO, {"videoId": gid("Video", video.pk), "rating": rating})["rateVideo"]


def test_rate_video_likes_switches_and_clears(gql, video):
    """LIKE twice counts once; DISLIKE moves the vote; NONE removes it (and again is a no-op)."""
    fan = UserFactory()
    VideoRatingFactory(video=video, value="LIKE")
    Video.objects.filter(pk=video.pk).update(like_count=1)
    gql.login(fan)
    steps = [
        ("LIKE", (2, 0, "LIKE")),
        ("LIKE", (2, 0, "LIKE")),
        ("DISLIKE", (1, 1, "DISLIKE")),
        ("DISLIKE", (1, 1, "DISLIKE")),
        ("LIKE", (2, 0, "LIKE")),
        ("NONE", (1, 0, "NONE")),
        ("NONE", (1, 0, "NONE")),
    ]
    for rating, expected in steps:
        payload = rate(gql, video, rating)
        assert (payload["likeCount"], payload["dislikeCount"], payload["viewerRating"]) == expected
        rows = VideoRating.objects.filter(user=fan, video=video)
        assert list(rows.values_list("value", flat=True)) == ([] if rating == "NONE" else [rating])


def test_rate_video_requires_a_signed_in_user(gql, video):
    """Anonymous: UNAUTHENTICATED, no rating stored."""
    assert codes(rate(gql, video, "LIKE")) == ["UNAUTHENTICATED"]
    assert not VideoRating.objects.exists()


def test_rate_a_private_video_of_someone_else_is_not_found(gql, video):
    """A video one may not see cannot be rated: NOT_FOUND on videoId."""
    Video.objects.filter(pk=video.pk).update(visibility=Visibility.PRIVATE)
    gql.login(UserFactory())
    payload = rate(gql, video, "LIKE")
    assert (fields(payload), codes(payload)) == (["videoId"], ["NOT_FOUND"])
    assert not VideoRating.objects.exists()


@pytest.mark.parametrize(("bad_id", "code"), BAD_VIDEO_IDS)
def test_rate_video_with_a_bad_id(gql, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on videoId."""
    gql.login(UserFactory())
    payload = gql.data(RATE_VIDEO, {"videoId": bad_id, "rating": "LIKE"})["rateVideo"]
    assert (fields(payload), codes(payload)) == (["videoId"], [code])


def test_rate_video_with_an_unknown_rating_is_refused_before_anything_runs(gql, video):
    """The enum is checked by GraphQL itself: a top-level error, nothing stored."""
    gql.login(UserFactory())
    body = gql.post(RATE_VIDEO, {"videoId": gid("Video", video.pk), "rating": "LOVE"})
    assert body["data"] is None
    assert len(body["errors"]) == 1
    assert not VideoRating.objects.exists()


def test_an_invalid_variable_value_is_coded_as_a_client_error(gql, video):
    """A wrong variable value is the client's mistake, not an internal error."""
    gql.login(UserFactory())
    body = gql.post(RATE_VIDEO, {"videoId": gid("Video", video.pk), "rating": "LOVE"})
    assert body["errors"][0]["extensions"]["code"] in {
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
    }
