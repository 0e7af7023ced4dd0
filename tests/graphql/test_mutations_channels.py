"""createChannel, updateChannel, deleteChannel, subscribe and unsubscribe over HTTP."""

import pytest

from project.channels.models import Channel, ChannelSubscription
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos.models import Video
from tests.graphql.mutations_support import OPERATION_INFO, codes, fields, gid

pytestmark = pytest.mark.django_db

CHANNEL_FIELDS = "id handle name description subscriberCount videoCount viewerIsSubscribed"

CREATE_CHANNEL = f"""mutation CreateChannel($input: CreateChannelInput!) {{
  createChannel(input: $input) {{
    __typename
    ... on Channel {{ {CHANNEL_FIELDS} viewerCanEdit owner {{ nickname }} }}
    {OPERATION_INFO}
  }}
}}"""

UPDATE_CHANNEL = f"""mutation UpdateChannel($input: UpdateChannelInput!) {{
  updateChannel(input: $input) {{
    __typename
    ... on Channel {{ {CHANNEL_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

DELETE_CHANNEL = f"""mutation DeleteChannel($id: ID!) {{
  deleteChannel(id: $id) {{
    __typename
    ... on Channel {{ id handle }}
    {OPERATION_INFO}
  }}
}}"""

SUBSCRIBE = f"""mutation Subscribe($channelId: ID!) {{
  subscribe(channelId: $channelId) {{
    __typename
    ... on Channel {{ {CHANNEL_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

UNSUBSCRIBE = f"""mutation Unsubscribe($channelId: ID!) {{
  unsubscribe(channelId: $channelId) {{
    __typename
    ... on Channel {{ {CHANNEL_FIELDS} }}
    {OPERATION_INFO}
  }}
}}"""

MALFORMED_IDS = ["not-a-global-id", gid("Channel", "abc"), gid("Video", 1)]


@pytest.fixture
def owner():
    return UserFactory(nickname="owner")


@pytest.fixture
def channel(owner):
    return ChannelFactory(owner=owner, handle="owned", name="Owned", description="About")


def create(gql, **values) -> dict:
    data = {"handle": "ana-tv", "name": "Ana TV", **values}
    return gql.data(CREATE_CHANNEL, {"input": data})["createChannel"]


def update(gql, channel_id: str, **values) -> dict:
    return gql.data(UPDATE_CHANNEL, {"input": {"id": channel_id, **values}})["updateChannel"]


def unchanged(channel: Channel) -> bool:
    before = (channel.handle, channel.name, channel.description)
    channel.refresh_from_db()
    return (channel.handle, channel.name, channel.description) == before


# --- createChannel ------------------------------------------------------------------------


def test_create_channel_makes_the_viewer_its_owner(gql, owner):
    """The handle is trimmed and lower-cased; the creator owns the new, empty channel."""
    gql.login(owner)
    payload = create(gql, handle="  Ana-TV_2 ", name=" Ana TV ", description="Cooking.")
    assert payload["__typename"] == "Channel"
    assert payload["handle"] == "ana-tv_2"
    assert payload["name"] == "Ana TV"
    assert payload["description"] == "Cooking."
    assert payload["viewerCanEdit"] is True
    assert payload["owner"] == {"nickname": "owner"}
    assert (payload["subscriberCount"], payload["videoCount"]) == (0, 0)
    assert Channel.objects.get(handle="ana-tv_2").owner == owner


def test_create_channel_requires_a_signed_in_user(gql):
    """Anonymous callers get UNAUTHENTICATED and nothing is created."""
    payload = create(gql)
    assert payload["messages"] == [
        {
            "kind": "PERMISSION",
            "field": None,
            "message": "You must be signed in to do this.",
            "code": "UNAUTHENTICATED",
        }
    ]
    assert not Channel.objects.exists()


def test_create_channel_handles_are_unique_regardless_of_case(gql, owner, channel):
    """ "OWNED" is taken by "owned": a `unique` error on handle."""
    gql.login(UserFactory())
    payload = create(gql, handle="OWNED")
    assert (fields(payload), codes(payload)) == (["handle"], ["unique"])
    assert Channel.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"handle": "my channel"}, "handle", "invalid"),
        ({"handle": "ana/tv"}, "handle", "invalid"),
        ({"handle": "ação"}, "handle", "invalid"),
        ({"handle": "  "}, "handle", "blank"),
        ({"handle": "h" * 51}, "handle", "max_length"),
        ({"name": "   "}, "name", "blank"),
        ({"name": "n" * 101}, "name", "max_length"),
        ({"description": "d" * 5001}, "description", "max_length"),
    ],
)
def test_create_channel_reports_invalid_fields(gql, owner, values, field, code):
    """Handles are URL-safe (letters, digits, - and _), with lengths limited; each broken
    rule is a field error with Django's code, and nothing is created."""
    gql.login(owner)
    payload = create(gql, **values)
    assert payload["__typename"] == "OperationInfo"
    assert (fields(payload), codes(payload)) == ([field], [code])
    assert not Channel.objects.exists()


# --- updateChannel ------------------------------------------------------------------------


def test_update_channel_changes_only_the_fields_sent(gql, owner, channel):
    """A partial update: fields left out (or sent as null) keep their values."""
    gql.login(owner)
    payload = update(gql, gid("Channel", channel.pk), name="Renamed", description=None)
    assert payload["__typename"] == "Channel"
    assert (payload["handle"], payload["name"], payload["description"]) == (
        "owned",
        "Renamed",
        "About",
    )
    channel.refresh_from_db()
    assert (channel.handle, channel.name, channel.description) == ("owned", "Renamed", "About")


def test_update_channel_can_change_the_handle_and_clear_the_description(gql, owner, channel):
    """The new handle is normalised like on creation; an empty description clears it."""
    gql.login(owner)
    payload = update(gql, gid("Channel", channel.pk), handle=" New-Handle ", description="")
    assert (payload["handle"], payload["description"]) == ("new-handle", "")


def test_update_channel_to_its_own_handle_in_another_case_is_no_conflict(gql, owner, channel):
    """The channel does not collide with itself."""
    gql.login(owner)
    assert update(gql, gid("Channel", channel.pk), handle="OWNED")["handle"] == "owned"


def test_update_channel_to_a_taken_handle_changes_nothing(gql, owner, channel):
    """A `unique` error on handle, and the name sent along is not saved either."""
    ChannelFactory(handle="taken")
    gql.login(owner)
    payload = update(gql, gid("Channel", channel.pk), handle="Taken", name="Changed")
    assert (fields(payload), codes(payload)) == (["handle"], ["unique"])
    assert unchanged(channel)


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"handle": "no spaces"}, "handle", "invalid"),
        ({"name": ""}, "name", "blank"),
        ({"description": "d" * 5001}, "description", "max_length"),
    ],
)
def test_update_channel_reports_invalid_fields(gql, owner, channel, values, field, code):
    """The rules of creation hold for updates; a failed update changes nothing."""
    gql.login(owner)
    payload = update(gql, gid("Channel", channel.pk), **values)
    assert (fields(payload), codes(payload)) == ([field], [code])
    assert unchanged(channel)


def test_update_channel_of_someone_else_is_forbidden(gql, channel):
    """Only the owner may edit: FORBIDDEN for anyone else, and nothing changes."""
    gql.login(UserFactory())
    payload = update(gql, gid("Channel", channel.pk), name="Hijacked")
    assert codes(payload) == ["FORBIDDEN"]
    assert payload["messages"][0]["kind"] == "PERMISSION"
    assert unchanged(channel)


def test_update_channel_requires_a_signed_in_user(gql, channel):
    """Anonymous: UNAUTHENTICATED, and the channel is unchanged."""
    payload = update(gql, gid("Channel", channel.pk), name="Anonymous")
    assert codes(payload) == ["UNAUTHENTICATED"]
    assert unchanged(channel)


def test_update_channel_with_an_unknown_id_is_not_found(gql, owner):
    """A well-formed id of no channel: NOT_FOUND on the `id` field."""
    gql.login(owner)
    payload = update(gql, gid("Channel", 987654), name="x")
    assert (fields(payload), codes(payload)) == (["id"], ["NOT_FOUND"])


@pytest.mark.parametrize("bad_id", MALFORMED_IDS)
def test_update_channel_with_a_malformed_id_is_a_field_error(gql, owner, channel, bad_id):
    """Not a global id, a non-numeric key, or the id of another type: `invalid` on `id`."""
    gql.login(owner)
    payload = update(gql, bad_id, name="x")
    assert (fields(payload), codes(payload)) == (["id"], ["invalid"])
    assert unchanged(channel)


# --- deleteChannel ------------------------------------------------------------------------


def test_delete_channel_removes_it_with_its_videos_and_their_files(
    gql, owner, channel, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The owner deletes the channel; its videos go too, and their stored files once the
    deletion is committed. The payload is the channel as it was."""
    settings.MEDIA_ROOT = tmp_path
    stored = tmp_path / "videos" / "clip.mp4"
    stored.parent.mkdir()
    stored.write_bytes(b"video")
    VideoFactory(channel=channel, file="videos/clip.mp4")
    gql.login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        payload = gql.data(DELETE_CHANNEL, {"id": gid("Channel", channel.pk)})["deleteChannel"]
    assert payload == {"__typename": "Channel", "id": gid("Channel", channel.pk), "handle": "owned"}
    assert not Channel.objects.exists()
    assert not Video.objects.exists()
    assert not stored.exists()


def test_delete_channel_of_someone_else_is_forbidden(gql, channel):
    """Only the owner deletes: FORBIDDEN, and the channel stays."""
    gql.login(UserFactory())
    payload = gql.data(DELETE_CHANNEL, {"id": gid("Channel", channel.pk)})["deleteChannel"]
    assert codes(payload) == ["FORBIDDEN"]
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_delete_channel_requires_a_signed_in_user(gql, channel):
    """Anonymous: UNAUTHENTICATED, and the channel stays."""
    payload = gql.data(DELETE_CHANNEL, {"id": gid("Channel", channel.pk)})["deleteChannel"]
    assert codes(payload) == ["UNAUTHENTICATED"]
    assert Channel.objects.filter(pk=channel.pk).exists()


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [(gid("Channel", 987654), "NOT_FOUND"), *[(i, "invalid") for i in MALFORMED_IDS]],
)
def test_delete_channel_with_a_bad_id(gql, owner, channel, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, both on the `id` field."""
    gql.login(owner)
    payload = gql.data(DELETE_CHANNEL, {"id": bad_id})["deleteChannel"]
    assert (fields(payload), codes(payload)) == (["id"], [code])
    assert Channel.objects.filter(pk=channel.pk).exists()


# --- subscribe / unsubscribe --------------------------------------------------------------


def test_subscribe_follows_the_channel_once(gql, channel):
    """Subscribing counts the subscriber; doing it again changes nothing."""
    fan = UserFactory()
    gql.login(fan)
    for _ in range(2):
        payload = gql.data(SUBSCRIBE, {"channelId": gid("Channel", channel.pk)})["subscribe"]
        assert (payload["subscriberCount"], payload["viewerIsSubscribed"]) == (1, True)
    assert ChannelSubscription.objects.filter(subscriber=fan, channel=channel).count() == 1


def test_subscribe_to_your_own_channel_is_an_error(gql, owner, channel):
    """Following yourself is refused with OWN_CHANNEL on channelId."""
    gql.login(owner)
    payload = gql.data(SUBSCRIBE, {"channelId": gid("Channel", channel.pk)})["subscribe"]
    assert (fields(payload), codes(payload)) == (["channelId"], ["OWN_CHANNEL"])
    channel.refresh_from_db()
    assert channel.subscriber_count == 0
    assert not ChannelSubscription.objects.exists()


@pytest.mark.parametrize("mutation", [SUBSCRIBE, UNSUBSCRIBE])
def test_subscriptions_require_a_signed_in_user(gql, channel, mutation):
    """Anonymous callers cannot subscribe or unsubscribe: UNAUTHENTICATED."""
    body = gql.data(mutation, {"channelId": gid("Channel", channel.pk)})
    assert codes(next(iter(body.values()))) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("mutation", [SUBSCRIBE, UNSUBSCRIBE])
@pytest.mark.parametrize(
    ("bad_id", "code"),
    [(gid("Channel", 987654), "NOT_FOUND"), *[(i, "invalid") for i in MALFORMED_IDS]],
)
def test_subscriptions_with_a_bad_id(gql, mutation, bad_id, code):
    """Unknown ids are NOT_FOUND, malformed ones `invalid`, on channelId."""
    gql.login(UserFactory())
    payload = next(iter(gql.data(mutation, {"channelId": bad_id}).values()))
    assert (fields(payload), codes(payload)) == (["channelId"], [code])


def test_unsubscribe_stops_following_and_is_idempotent(gql, channel):
    """Unsubscribing removes the row and the count; again, or never subscribed: no change."""
    fan, other_fan = UserFactory(), UserFactory()
    gql.login(other_fan)
    gql.data(SUBSCRIBE, {"channelId": gid("Channel", channel.pk)})
    gql.login(fan)
    gql.data(SUBSCRIBE, {"channelId": gid("Channel", channel.pk)})
    for _ in range(2):
        payload = gql.data(UNSUBSCRIBE, {"channelId": gid("Channel", channel.pk)})["unsubscribe"]
        assert (payload["subscriberCount"], payload["viewerIsSubscribed"]) == (1, False)
    assert list(ChannelSubscription.objects.values_list("subscriber", flat=True)) == [other_fan.pk]


def test_unsubscribe_without_a_subscription_changes_nothing(gql, channel):
    """Unsubscribing from a channel one never followed is not an error."""
    gql.login(UserFactory())
    payload = gql.data(UNSUBSCRIBE, {"channelId": gid("Channel", channel.pk)})["unsubscribe"]
    assert (payload["subscriberCount"], payload["viewerIsSubscribed"]) == (0, False)
