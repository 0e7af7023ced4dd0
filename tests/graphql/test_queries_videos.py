"""`videos`: PUBLIC videos as a Relay connection, with VideoFilter and VideoOrder, and each
video's counters and viewer fields.

Counters are denormalised and kept by the services, so the data that moves them is made
through the services (video_rate, video_record_view, comment_add).
"""

from datetime import UTC, datetime, timedelta

import pytest
from strawberry.relay import to_base64

from project.comments.services import comment_add
from project.core.counters import counters_recompute
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos.models import Visibility
from project.videos.services import video_rate, video_record_view
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

VIDEOS = """
query Videos(
  $first: Int, $after: String, $last: Int, $before: String,
  $filters: VideoFilter, $ordering: [VideoOrder!]
) {
  videos(
    first: $first, after: $after, last: $last, before: $before,
    filters: $filters, ordering: $ordering
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title } }
  }
}
"""

VIDEO_DETAILS = """
query VideoDetails($id: ID!) {
  video(id: $id) {
    id title description category visibility createdAt updatedAt fileUrl thumbnailUrl
    viewsCount likeCount dislikeCount commentCount viewerRating viewerCanEdit
    channel { handle }
  }
}
"""

VIDEO_VIEWER_FIELDS = """
query VideoViewerFields {
  videos(first: 10) { edges { node { title viewerRating viewerCanEdit } } }
}
"""

VIDEO_COUNTS_IN_LIST = """
query VideoCountsInList {
  videos(first: 10) {
    edges { node { title viewsCount likeCount dislikeCount commentCount } }
  }
}
"""


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


def titles(data: dict) -> list[str]:
    return [e["node"]["title"] for e in data["videos"]["edges"]]


def list_videos(gql, **variables) -> dict:
    return gql.data(VIDEOS, variables)


@pytest.fixture
def channel():
    return ChannelFactory(handle="music", name="Music")


@pytest.fixture
def seven_videos(channel):
    """v0 (oldest) .. v6 (newest), an hour apart, all PUBLIC."""
    return [
        VideoFactory(channel=channel, title=f"v{i}", created_at=T0 + timedelta(hours=i))
        for i in range(7)
    ]


def test_videos_lists_public_videos_newest_first(gql, channel, seven_videos):
    """Without ordering, `videos` is newest first; UNLISTED and PRIVATE videos are neither
    listed nor counted, even for their owner."""
    VideoFactory(channel=channel, title="unlisted", visibility=Visibility.UNLISTED)
    VideoFactory(channel=channel, title="private", visibility=Visibility.PRIVATE)
    expected = [f"v{i}" for i in range(6, -1, -1)]
    data = list_videos(gql, first=20)
    assert titles(data) == expected
    assert data["videos"]["totalCount"] == 7
    gql.login(channel.owner)
    data = list_videos(gql, first=20)
    assert titles(data) == expected
    assert data["videos"]["totalCount"] == 7


def test_paging_forwards_visits_every_video_once(gql, seven_videos):
    """`first`/`after` pages through the whole list: no video twice, none skipped;
    hasNextPage turns false on the last page and totalCount stays the total."""
    seen, after, pages = [], None, 0
    while True:
        data = list_videos(gql, first=3, after=after)["videos"]
        pages += 1
        assert data["totalCount"] == 7
        seen += [e["node"]["title"] for e in data["edges"]]
        assert data["pageInfo"]["endCursor"] == data["edges"][-1]["cursor"]
        assert data["pageInfo"]["startCursor"] == data["edges"][0]["cursor"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == [f"v{i}" for i in range(6, -1, -1)]


def test_paging_backwards_visits_every_video_once(gql, seven_videos):
    """`last`/`before` pages from the end: the last page holds the oldest videos, in list
    order, and hasPreviousPage turns false at the start."""
    data = list_videos(gql, last=3)["videos"]
    assert [e["node"]["title"] for e in data["edges"]] == ["v2", "v1", "v0"]
    assert data["pageInfo"]["hasPreviousPage"] is True
    assert data["pageInfo"]["hasNextPage"] is False
    seen = [e["node"]["title"] for e in data["edges"]]
    before = data["pageInfo"]["startCursor"]
    while data["pageInfo"]["hasPreviousPage"]:
        data = list_videos(gql, last=3, before=before)["videos"]
        seen = [e["node"]["title"] for e in data["edges"]] + seen
        before = data["pageInfo"]["startCursor"]
    assert seen == [f"v{i}" for i in range(6, -1, -1)]


def test_first_page_cursors_continue_where_they_stop(gql, seven_videos):
    """The cursor of any edge is a place to continue from: `after` an edge's cursor starts
    with the next video."""
    first_page = list_videos(gql, first=4)["videos"]
    second_cursor = first_page["edges"][1]["cursor"]
    assert titles(list_videos(gql, first=2, after=second_cursor)) == ["v4", "v3"]
    assert first_page["pageInfo"]["hasPreviousPage"] is False
    assert first_page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    "variables",
    [{"first": 101}, {"last": 101}, {"first": -1}, {"last": -5}],
    ids=["first-101", "last-101", "first-negative", "last-negative"],
)
def test_page_size_above_100_or_negative_is_a_clear_error(gql, seven_videos, variables):
    """A page holds at most 100 items; asking for more, or for a negative number, is a
    BAD_USER_INPUT error naming the argument, not a silent clamp."""
    body = gql.post(VIDEOS, variables)
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]
    argument = next(iter(variables))
    assert f"'{argument}'" in body["errors"][0]["message"]


def test_a_page_of_exactly_100_is_allowed(gql, seven_videos):
    """`first: 100` is the largest page and returns everything there is."""
    assert len(titles(list_videos(gql, first=100))) == 7


def test_an_unreadable_cursor_is_a_bad_user_input_error(gql, seven_videos):
    """A cursor that is not one the API gave out is BAD_USER_INPUT."""
    body = gql.post(VIDEOS, {"first": 2, "after": "not-a-cursor"})
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]


def test_filter_by_channel_takes_the_channels_global_id(gql, channel, seven_videos):
    """`filters: {channel: <Channel id>}` lists only that channel's videos."""
    other = VideoFactory(title="elsewhere")
    data = list_videos(gql, first=20, filters={"channel": gid("Channel", other.channel_id)})
    assert titles(data) == ["elsewhere"]
    assert data["videos"]["totalCount"] == 1
    data = list_videos(gql, first=20, filters={"channel": gid("Channel", channel.pk)})
    assert data["videos"]["totalCount"] == 7


def test_filter_by_channel_with_another_types_id_is_a_bad_user_input_error(gql, seven_videos):
    """A Video id (or any non-Channel id) in the channel filter is BAD_USER_INPUT."""
    body = gql.post(VIDEOS, {"filters": {"channel": gid("Video", seven_videos[0].pk)}})
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "Expected a Channel id, got a Video id."


def test_filter_by_category_is_exact(gql, channel):
    """`category` matches the whole category exactly: not a prefix, not another case."""
    VideoFactory(channel=channel, title="a", category="music")
    VideoFactory(channel=channel, title="b", category="musicals")
    VideoFactory(channel=channel, title="c", category="Music")
    assert titles(list_videos(gql, first=10, filters={"category": "music"})) == ["a"]


def test_filter_by_title_contains_ignores_case(gql, channel):
    """`titleContains` finds the text anywhere in the title, in any case."""
    VideoFactory(channel=channel, title="Learn GUITAR fast")
    VideoFactory(channel=channel, title="guitarist stories")
    VideoFactory(channel=channel, title="Piano basics")
    data = list_videos(gql, first=10, filters={"titleContains": "Guitar"})
    assert sorted(titles(data)) == ["Learn GUITAR fast", "guitarist stories"]


def test_filter_by_creation_time_includes_after_and_excludes_before(gql, seven_videos):
    """`createdAfter` includes a video created at exactly that time; `createdBefore`
    excludes one created at exactly that time."""
    after = (T0 + timedelta(hours=2)).isoformat()
    before = (T0 + timedelta(hours=5)).isoformat()
    assert titles(list_videos(gql, first=10, filters={"createdAfter": after})) == [
        "v6",
        "v5",
        "v4",
        "v3",
        "v2",
    ]
    assert titles(list_videos(gql, first=10, filters={"createdBefore": before})) == [
        "v4",
        "v3",
        "v2",
        "v1",
        "v0",
    ]
    both = {"createdAfter": after, "createdBefore": before}
    assert titles(list_videos(gql, first=10, filters=both)) == ["v4", "v3", "v2"]


def test_filters_combine_with_and_or_not(gql, channel):
    """Fields of one filter all apply (AND); `OR` and `NOT` combine filters."""
    VideoFactory(channel=channel, title="Guitar one", category="music")
    VideoFactory(channel=channel, title="Guitar two", category="education")
    VideoFactory(channel=channel, title="Drums", category="music")
    VideoFactory(channel=channel, title="Cooking", category="food")

    def matching(filters: dict) -> list[str]:
        return sorted(titles(list_videos(gql, first=10, filters=filters)))

    assert matching({"titleContains": "guitar", "category": "music"}) == ["Guitar one"]
    assert matching({"category": "music", "OR": {"category": "food"}}) == [
        "Cooking",
        "Drums",
        "Guitar one",
    ]
    assert matching({"NOT": {"titleContains": "guitar"}}) == ["Cooking", "Drums"]
    assert matching({"category": "music", "AND": {"NOT": {"titleContains": "drum"}}}) == [
        "Guitar one"
    ]


def test_ordering_by_each_key(gql, channel):
    """`ordering` sorts by viewsCount, likeCount, title and createdAt, either way."""
    alice, bob = UserFactory(), UserFactory()
    a = VideoFactory(channel=channel, title="beta", created_at=T0)
    b = VideoFactory(channel=channel, title="alpha", created_at=T0 + timedelta(hours=1))
    c = VideoFactory(channel=channel, title="gamma", created_at=T0 + timedelta(hours=2))
    for _ in range(3):
        video_record_view(video=a)
    video_record_view(video=c)
    video_rate(user=alice, video=b, rating="LIKE")
    video_rate(user=bob, video=b, rating="LIKE")
    video_rate(user=alice, video=c, rating="LIKE")

    def ordered(*keys: dict) -> list[str]:
        return titles(list_videos(gql, first=10, ordering=list(keys)))

    assert ordered({"viewsCount": "DESC"}) == ["beta", "gamma", "alpha"]
    assert ordered({"viewsCount": "ASC"}) == ["alpha", "gamma", "beta"]
    assert ordered({"likeCount": "DESC"}) == ["alpha", "gamma", "beta"]
    assert ordered({"likeCount": "ASC"}) == ["beta", "gamma", "alpha"]
    assert ordered({"createdAt": "ASC"}) == ["beta", "alpha", "gamma"]
    assert ordered({"createdAt": "DESC"}) == ["gamma", "alpha", "beta"]
    assert ordered({"title": "ASC"}) == ["alpha", "beta", "gamma"]
    assert ordered({"title": "DESC"}) == ["gamma", "beta", "alpha"]


def test_ordering_keys_apply_in_list_order(gql, channel):
    """Several keys sort by the first, then the next: `[{likeCount: DESC}, {createdAt:
    ASC}]` puts the liked video first and the rest oldest first."""
    liked = VideoFactory(channel=channel, title="liked", created_at=T0 + timedelta(hours=5))
    VideoFactory(channel=channel, title="old", created_at=T0)
    VideoFactory(channel=channel, title="new", created_at=T0 + timedelta(hours=9))
    video_rate(user=UserFactory(), video=liked, rating="LIKE")
    ordering = [{"likeCount": "DESC"}, {"createdAt": "ASC"}]
    assert titles(list_videos(gql, first=10, ordering=ordering)) == ["liked", "old", "new"]
    ordering = [{"likeCount": "DESC"}, {"createdAt": "DESC"}]
    assert titles(list_videos(gql, first=10, ordering=ordering)) == ["liked", "new", "old"]


def test_two_keys_in_one_ordering_item_are_refused(gql, seven_videos):
    """Each ordering item holds exactly one key (a @oneOf input)."""
    body = gql.post(VIDEOS, {"ordering": [{"likeCount": "DESC", "title": "ASC"}]})
    assert body["data"] is None
    assert "exactly one key" in body["errors"][0]["message"]


def test_ties_in_a_client_ordering_are_broken_newest_first_so_pages_never_overlap(
    gql, seven_videos
):
    """Ordered by a key on which every video ties (no views), videos come newest first, and
    paging two at a time visits each exactly once."""
    ordering = [{"viewsCount": "DESC"}]
    expected = [f"v{i}" for i in range(6, -1, -1)]
    assert titles(list_videos(gql, first=10, ordering=ordering)) == expected
    seen, after = [], None
    while True:
        data = list_videos(gql, first=2, after=after, ordering=ordering)
        seen += titles(data)
        if not data["videos"]["pageInfo"]["hasNextPage"]:
            break
        after = data["videos"]["pageInfo"]["endCursor"]
    assert seen == expected


def test_video_counters_follow_views_ratings_and_comments(gql, channel):
    """viewsCount, likeCount, dislikeCount and commentCount (replies included) reflect the
    views, ratings and comments made, by id and in lists; changing a rating moves it."""
    video = VideoFactory(channel=channel, title="counted")
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    for _ in range(4):
        video_record_view(video=video)
    video_rate(user=alice, video=video, rating="LIKE")
    video_rate(user=bob, video=video, rating="LIKE")
    video_rate(user=carol, video=video, rating="DISLIKE")
    video_rate(user=bob, video=video, rating="DISLIKE")  # bob changes his mind
    top = comment_add(author=alice, video=video, content="nice")
    comment_add(author=bob, video=video, content="agreed", parent=top)
    comment_add(author=carol, video=video, content="meh")
    expected = {"viewsCount": 4, "likeCount": 1, "dislikeCount": 2, "commentCount": 3}

    details = gql.data(VIDEO_DETAILS, {"id": gid("Video", video.pk)})["video"]
    assert {k: details[k] for k in expected} == expected
    listed = gql.data(VIDEO_COUNTS_IN_LIST)["videos"]["edges"][0]["node"]
    assert listed == {"title": "counted", **expected}


def test_clearing_a_rating_lowers_the_count(gql, channel):
    """Rating NONE removes the like: the count goes back down."""
    video = VideoFactory(channel=channel)
    user = UserFactory()
    video_rate(user=user, video=video, rating="LIKE")
    video_rate(user=user, video=video, rating=None)
    details = gql.data(VIDEO_DETAILS, {"id": gid("Video", video.pk)})["video"]
    assert (details["likeCount"], details["dislikeCount"]) == (0, 0)


def test_viewer_fields_for_anonymous_owner_and_other_users(gql, channel):
    """viewerRating is the signed-in user's own rating (NONE when anonymous or unrated);
    viewerCanEdit is true only for the owner of the video's channel."""
    liked = VideoFactory(channel=channel, title="liked", created_at=T0 + timedelta(hours=1))
    disliked = VideoFactory(channel=channel, title="disliked", created_at=T0)
    fan, critic = UserFactory(), UserFactory()
    video_rate(user=fan, video=liked, rating="LIKE")
    video_rate(user=fan, video=disliked, rating="DISLIKE")
    video_rate(user=critic, video=liked, rating="DISLIKE")

    def seen() -> dict:
        edges = gql.data(VIDEO_VIEWER_FIELDS)["videos"]["edges"]
        return {
            e["node"]["title"]: (e["node"]["viewerRating"], e["node"]["viewerCanEdit"])
            for e in edges
        }

    assert seen() == {"liked": ("NONE", False), "disliked": ("NONE", False)}
    gql.login(fan)
    assert seen() == {"liked": ("LIKE", False), "disliked": ("DISLIKE", False)}
    gql.login(critic)
    assert seen() == {"liked": ("DISLIKE", False), "disliked": ("NONE", False)}
    gql.login(channel.owner)
    assert seen() == {"liked": ("NONE", True), "disliked": ("NONE", True)}


def test_video_fields_by_id(gql, channel):
    """A video exposes its text fields, times, absolute file URL and its channel; no
    thumbnail gives a null thumbnailUrl."""
    video = VideoFactory(
        channel=channel,
        title="Full",
        description="About it",
        category="music",
        file="videos/full.mp4",
        created_at=T0,
    )
    details = gql.data(VIDEO_DETAILS, {"id": gid("Video", video.pk)})["video"]
    assert details["id"] == gid("Video", video.pk)
    assert (details["title"], details["description"], details["category"]) == (
        "Full",
        "About it",
        "music",
    )
    assert details["visibility"] == "PUBLIC"
    assert datetime.fromisoformat(details["createdAt"]) == T0
    assert datetime.fromisoformat(details["updatedAt"]) >= T0
    assert details["fileUrl"] == "http://testserver/media/videos/full.mp4"
    assert details["thumbnailUrl"] is None
    assert details["channel"] == {"handle": "music"}
    assert (details["viewerRating"], details["viewerCanEdit"]) == ("NONE", False)


def test_unlisted_video_opened_by_id_does_not_unlist_its_siblings(gql, channel):
    """Opening an UNLISTED video by id and listing its channel's videos from there still
    lists PUBLIC videos only: the list rule holds in nested lists too."""
    public = VideoFactory(channel=channel, title="public")
    unlisted = VideoFactory(channel=channel, title="unlisted", visibility=Visibility.UNLISTED)
    VideoFactory(channel=channel, title="private", visibility=Visibility.PRIVATE)
    counters_recompute()
    query = """
    query Nested($id: ID!) {
      video(id: $id) {
        title
        channel { videoCount videos(first: 10) { totalCount edges { node { title } } } }
      }
    }
    """
    gql.login(channel.owner)
    data = gql.data(query, {"id": gid("Video", unlisted.pk)})["video"]
    assert data["title"] == "unlisted"
    siblings = data["channel"]["videos"]
    assert [e["node"]["title"] for e in siblings["edges"]] == [public.title]
    assert siblings["totalCount"] == data["channel"]["videoCount"] == 1
