"""`channels` and a channel's fields: ChannelFilter, ChannelOrder, counters, viewer fields,
its videos, and a user's channels and subscriptions."""

from datetime import UTC, datetime, timedelta

import pytest
from strawberry.relay import to_base64

from project.channels.services import channel_subscribe, channel_unsubscribe
from project.core.counters import counters_recompute
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos.models import Visibility
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

CHANNELS = """
query Channels(
  $first: Int, $after: String, $last: Int, $before: String,
  $filters: ChannelFilter, $ordering: [ChannelOrder!]
) {
  channels(
    first: $first, after: $after, last: $last, before: $before,
    filters: $filters, ordering: $ordering
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { handle } }
  }
}
"""

CHANNEL = """
query Channel($handle: String!) {
  channel(handle: $handle) {
    id handle name description createdAt
    owner { nickname }
    subscriberCount videoCount viewerIsSubscribed viewerCanEdit
  }
}
"""

CHANNEL_VIDEOS = """
query ChannelVideos(
  $handle: String!, $first: Int, $after: String,
  $filters: VideoFilter, $ordering: [VideoOrder!]
) {
  channel(handle: $handle) {
    videos(first: $first, after: $after, filters: $filters, ordering: $ordering) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { title } }
    }
  }
}
"""

CHANNEL_VIEWER_FIELDS_IN_LIST = """
query ChannelViewerFields {
  channels(first: 10) { edges { node { handle subscriberCount viewerIsSubscribed viewerCanEdit } } }
}
"""

USER_CHANNELS = """
query UserChannels($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on User {
      channels { handle }
      subscriptions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { handle } }
      }
    }
  }
}
"""


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


def handles(connection: dict) -> list[str]:
    return [e["node"]["handle"] for e in connection["edges"]]


def list_channels(gql, **variables) -> dict:
    return gql.data(CHANNELS, variables)["channels"]


@pytest.fixture
def five_channels():
    """ch0 (oldest) .. ch4 (newest), a day apart."""
    return [
        ChannelFactory(handle=f"ch{i}", name=f"Channel {i}", created_at=T0 + timedelta(days=i))
        for i in range(5)
    ]


def test_channels_are_listed_newest_first_with_a_total(gql, five_channels):
    """Without ordering, `channels` is newest first; totalCount counts them all."""
    data = list_channels(gql, first=10)
    assert handles(data) == ["ch4", "ch3", "ch2", "ch1", "ch0"]
    assert data["totalCount"] == 5


def test_channels_page_forwards_and_backwards(gql, five_channels):
    """`first`/`after` and `last`/`before` page through channels without gaps or repeats."""
    page1 = list_channels(gql, first=2)
    page2 = list_channels(gql, first=2, after=page1["pageInfo"]["endCursor"])
    page3 = list_channels(gql, first=2, after=page2["pageInfo"]["endCursor"])
    assert handles(page1) + handles(page2) + handles(page3) == ["ch4", "ch3", "ch2", "ch1", "ch0"]
    assert (page1["pageInfo"]["hasNextPage"], page3["pageInfo"]["hasNextPage"]) == (True, False)
    last = list_channels(gql, last=2)
    before = list_channels(gql, last=2, before=last["pageInfo"]["startCursor"])
    assert handles(before) + handles(last) == ["ch3", "ch2", "ch1", "ch0"]
    assert before["pageInfo"]["hasPreviousPage"] is True


def test_channels_page_size_above_100_is_an_error(gql, five_channels):
    """`channels(first: 101)` is a BAD_USER_INPUT error, not a silent clamp."""
    body = gql.post(CHANNELS, {"first": 101})
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]


def test_filter_by_handle_is_exact_and_ignores_case(gql, five_channels):
    """`handle` finds the channel with exactly that handle, in any case; a part of a handle
    finds nothing."""
    assert handles(list_channels(gql, filters={"handle": "CH3"})) == ["ch3"]
    assert handles(list_channels(gql, filters={"handle": "ch"})) == []


def test_filter_by_name_contains_ignores_case(gql):
    """`nameContains` finds the text anywhere in the name, in any case."""
    ChannelFactory(handle="jazz", name="Smooth JAZZ daily")
    ChannelFactory(handle="jazzy", name="jazzy beats")
    ChannelFactory(handle="rock", name="Rock")
    data = list_channels(gql, filters={"nameContains": "Jazz"})
    assert sorted(handles(data)) == ["jazz", "jazzy"]
    assert data["totalCount"] == 2


def test_channel_filters_combine_with_or_and_not(gql, five_channels):
    """`OR` and `NOT` combine channel filters."""
    either = {"handle": "ch1", "OR": {"handle": "ch3"}}
    assert handles(list_channels(gql, filters=either)) == ["ch3", "ch1"]
    assert handles(list_channels(gql, filters={"NOT": {"nameContains": "channel"}})) == []


def test_ordering_channels_by_subscribers_name_and_creation(gql):
    """`ordering` sorts by subscriberCount, name and createdAt, either way."""
    ChannelFactory(handle="quiet", name="beta", created_at=T0)
    busy = ChannelFactory(handle="busy", name="alpha", created_at=T0 + timedelta(days=1))
    mid = ChannelFactory(handle="mid", name="gamma", created_at=T0 + timedelta(days=2))
    for user in UserFactory.create_batch(3):
        channel_subscribe(user=user, channel=busy)
    channel_subscribe(user=UserFactory(), channel=mid)

    def ordered(key: str, direction: str) -> list[str]:
        return handles(list_channels(gql, ordering=[{key: direction}]))

    assert ordered("subscriberCount", "DESC") == ["busy", "mid", "quiet"]
    assert ordered("subscriberCount", "ASC") == ["quiet", "mid", "busy"]
    assert ordered("name", "ASC") == ["busy", "quiet", "mid"]
    assert ordered("name", "DESC") == ["mid", "quiet", "busy"]
    assert ordered("createdAt", "ASC") == ["quiet", "busy", "mid"]
    assert ordered("createdAt", "DESC") == ["mid", "busy", "quiet"]


def test_channel_fields_and_counters(gql):
    """A channel shows its fields, owner, subscriberCount (after subscribes and an
    unsubscribe) and videoCount, which counts PUBLIC videos only."""
    owner = UserFactory(nickname="creator")
    channel = ChannelFactory(
        owner=owner, handle="cooking", name="Cooking", description="Recipes", created_at=T0
    )
    VideoFactory.create_batch(3, channel=channel)
    VideoFactory(channel=channel, visibility=Visibility.UNLISTED)
    VideoFactory(channel=channel, visibility=Visibility.PRIVATE)
    counters_recompute()
    fans = UserFactory.create_batch(3)
    for fan in fans:
        channel_subscribe(user=fan, channel=channel)
    channel_subscribe(user=fans[0], channel=channel)  # again: changes nothing
    channel_unsubscribe(user=fans[1], channel=channel)

    data = gql.data(CHANNEL, {"handle": "cooking"})["channel"]
    assert data["id"] == gid("Channel", channel.pk)
    assert (data["handle"], data["name"], data["description"]) == ("cooking", "Cooking", "Recipes")
    assert datetime.fromisoformat(data["createdAt"]) == T0
    assert data["owner"] == {"nickname": "creator"}
    assert data["subscriberCount"] == 2
    assert data["videoCount"] == 3


def test_viewer_fields_of_channels_for_anonymous_subscriber_owner_and_others(gql):
    """viewerIsSubscribed is true only for a subscriber, viewerCanEdit only for the owner;
    both are false when anonymous. Same by handle and in lists."""
    owner, fan, stranger = UserFactory(), UserFactory(), UserFactory()
    followed = ChannelFactory(owner=owner, handle="followed")
    ChannelFactory(owner=owner, handle="ignored")
    channel_subscribe(user=fan, channel=followed)

    def seen() -> dict:
        edges = gql.data(CHANNEL_VIEWER_FIELDS_IN_LIST)["channels"]["edges"]
        listed = {
            e["node"]["handle"]: (e["node"]["viewerIsSubscribed"], e["node"]["viewerCanEdit"])
            for e in edges
        }
        one = gql.data(CHANNEL, {"handle": "followed"})["channel"]
        assert listed["followed"] == (one["viewerIsSubscribed"], one["viewerCanEdit"])
        return listed

    assert seen() == {"followed": (False, False), "ignored": (False, False)}
    gql.login(fan)
    assert seen() == {"followed": (True, False), "ignored": (False, False)}
    gql.login(stranger)
    assert seen() == {"followed": (False, False), "ignored": (False, False)}
    gql.login(owner)
    assert seen() == {"followed": (False, True), "ignored": (False, True)}


def test_channel_videos_are_its_public_videos_newest_first_for_everyone(gql):
    """A channel's `videos` lists its PUBLIC videos newest first, for anonymous callers and
    for the owner alike; totalCount matches videoCount."""
    channel = ChannelFactory(handle="travel")
    for i in range(3):
        VideoFactory(channel=channel, title=f"trip {i}", created_at=T0 + timedelta(days=i))
    VideoFactory(channel=channel, title="draft", visibility=Visibility.PRIVATE)
    VideoFactory(channel=channel, title="link only", visibility=Visibility.UNLISTED)
    VideoFactory(title="another channel's")
    for login in [None, channel.owner]:
        if login is not None:
            gql.login(login)
        videos = gql.data(CHANNEL_VIDEOS, {"handle": "travel", "first": 10})["channel"]["videos"]
        assert [e["node"]["title"] for e in videos["edges"]] == ["trip 2", "trip 1", "trip 0"]
        assert videos["totalCount"] == 3


def test_channel_videos_page_filter_and_order(gql):
    """A channel's `videos` pages with `first`/`after` and takes VideoFilter and VideoOrder
    (ties broken newest first)."""
    channel = ChannelFactory(handle="lessons")
    for i in range(5):
        VideoFactory(
            channel=channel,
            title=f"lesson {i}",
            category="music" if i % 2 else "education",
            created_at=T0 + timedelta(days=i),
        )

    def titles(**variables) -> tuple[list[str], dict]:
        videos = gql.data(CHANNEL_VIDEOS, {"handle": "lessons", **variables})["channel"]["videos"]
        return [e["node"]["title"] for e in videos["edges"]], videos

    page1, data = titles(first=2)
    page2, _ = titles(first=2, after=data["pageInfo"]["endCursor"])
    assert page1 + page2 == ["lesson 4", "lesson 3", "lesson 2", "lesson 1"]
    music, data = titles(first=10, filters={"category": "music"})
    assert music == ["lesson 3", "lesson 1"]
    assert data["totalCount"] == 2
    oldest, _ = titles(first=2, ordering=[{"createdAt": "ASC"}])
    assert oldest == ["lesson 0", "lesson 1"]
    # Every video ties on views: ties come newest first, here as at the top level.
    tied, _ = titles(first=10, ordering=[{"viewsCount": "DESC"}])
    assert tied == [f"lesson {i}" for i in range(4, -1, -1)]


def test_a_users_channels_and_subscriptions(gql):
    """A user lists the channels they own (newest first) and pages through the channels
    they subscribe to, with a total."""
    user = UserFactory()
    ChannelFactory(owner=user, handle="old-mine", created_at=T0)
    ChannelFactory(owner=user, handle="new-mine", created_at=T0 + timedelta(days=1))
    followed = [
        ChannelFactory(handle=f"followed-{i}", created_at=T0 + timedelta(days=i)) for i in range(3)
    ]
    ChannelFactory(handle="not-followed")
    for channel in followed:
        channel_subscribe(user=user, channel=channel)

    variables = {"id": gid("User", user.pk), "first": 2}
    node = gql.data(USER_CHANNELS, variables)["node"]
    assert [c["handle"] for c in node["channels"]] == ["new-mine", "old-mine"]
    page1 = node["subscriptions"]
    assert page1["totalCount"] == 3
    after = page1["pageInfo"]["endCursor"]
    page2 = gql.data(USER_CHANNELS, {**variables, "after": after})["node"]["subscriptions"]
    assert handles(page1) + handles(page2) == ["followed-2", "followed-1", "followed-0"]
    assert page2["pageInfo"]["hasNextPage"] is False


SUBSCRIPTIONS_VIEWER_FIELDS = """
query SubscriptionsViewerFields($id: ID!) {
  node(id: $id) {
    ... on User {
      subscriptions(first: 10) {
        edges { node { handle viewerIsSubscribed viewerCanEdit videoCount } }
      }
    }
  }
}
"""


def test_viewer_fields_of_channels_nested_in_a_users_subscriptions(gql):
    """The channels under a user's `subscriptions` (a nested, paged list) carry the viewer
    fields too: false for anonymous callers, the caller's own relation otherwise."""
    fan, owner = UserFactory(), UserFactory()
    channel = ChannelFactory(owner=owner, handle="nested")
    channel_subscribe(user=fan, channel=channel)
    variables = {"id": gid("User", fan.pk)}

    def seen() -> list[dict]:
        node = gql.data(SUBSCRIPTIONS_VIEWER_FIELDS, variables)["node"]
        return [e["node"] for e in node["subscriptions"]["edges"]]

    row = {"handle": "nested", "videoCount": 0}
    assert seen() == [{**row, "viewerIsSubscribed": False, "viewerCanEdit": False}]
    gql.login(fan)
    assert seen() == [{**row, "viewerIsSubscribed": True, "viewerCanEdit": False}]
    gql.login(owner)
    assert seen() == [{**row, "viewerIsSubscribed": False, "viewerCanEdit": True}]
