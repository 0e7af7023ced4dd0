"""Fetching one object: `node`, `nodes`, `video(id)`, `channel(id|handle)` and `viewer`.

What invalid ids give (the choices, for clients to rely on):
- an unknown id of the right type, or an object the viewer may not see: `null`, no error
  (a hidden video and a missing one look the same, so ids cannot be probed);
- a malformed id (not base64 `Type:pk`, or a pk that is not a number), an id of an unknown
  type, or an id of another type where one type is expected (`video(id:)` given a Channel's
  id): a top-level error with `extensions.code` BAD_USER_INPUT and `null` data.
"""

import pytest
from strawberry.relay import to_base64

from project.comments.services import comment_add
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos.models import Visibility
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on User { nickname }
    ... on Channel { handle }
    ... on Video { title }
    ... on Comment { content }
  }
}
"""

NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id }
}
"""

VIDEO = """
query Video($id: ID!) {
  video(id: $id) { id title visibility channel { handle } }
}
"""

CHANNEL_BY_ID = """
query ChannelById($id: ID) {
  channel(id: $id) { id handle name }
}
"""

CHANNEL_BY_HANDLE = """
query ChannelByHandle($handle: String) {
  channel(handle: $handle) { id handle name }
}
"""

CHANNEL_BY_BOTH = """
query ChannelByBoth($id: ID, $handle: String) {
  channel(id: $id, handle: $handle) { id }
}
"""

VIEWER = """
query Viewer {
  viewer {
    id nickname email isBusiness dateJoined
    channels { handle }
    subscriptions(first: 10) { totalCount edges { node { handle } } }
  }
}
"""

USER_EMAIL = """
query UserEmail($id: ID!) {
  node(id: $id) { ... on User { nickname email } }
}
"""

OWNER_EMAIL_THROUGH_VIDEO = """
query OwnerEmail($id: ID!) {
  video(id: $id) { channel { owner { nickname email } } }
}
"""

COMMENT_NODE = """
query CommentNode($id: ID!) {
  node(id: $id) { ... on Comment { content video { title } parent { content } } }
}
"""


def gid(type_name: str, pk: object) -> str:
    return to_base64(type_name, pk)


@pytest.fixture
def objects():
    owner = UserFactory(nickname="owner")
    channel = ChannelFactory(owner=owner, handle="music", name="Music")
    video = VideoFactory(channel=channel, title="Public song")
    comment = comment_add(author=owner, video=video, content="First!")
    return {"user": owner, "channel": channel, "video": video, "comment": comment}


def test_node_resolves_every_type_by_its_global_id(gql, objects):
    """`node(id:)` returns each kind of object (User, Channel, Video, Comment) by the global
    id it was listed under, with its own fields."""
    expected = {
        "User": ("nickname", "owner"),
        "Channel": ("handle", "music"),
        "Video": ("title", "Public song"),
        "Comment": ("content", "First!"),
    }
    for type_name, (field, value) in expected.items():
        obj = objects[type_name.lower()]
        node = gql.data(NODE, {"id": gid(type_name, obj.pk)})["node"]
        assert node["__typename"] == type_name
        assert node["id"] == gid(type_name, obj.pk)
        assert node[field] == value


def test_nodes_returns_objects_in_the_order_asked_with_null_for_missing_ones(gql, objects):
    """`nodes(ids:)` mixes types, keeps the order of the ids and puts null where an object
    does not exist."""
    ids = [
        gid("Video", objects["video"].pk),
        gid("Video", 987654),
        gid("Channel", objects["channel"].pk),
        gid("User", objects["user"].pk),
    ]
    nodes = gql.data(NODES, {"ids": ids})["nodes"]
    assert [n and n["id"] for n in nodes] == [ids[0], None, ids[2], ids[3]]
    assert [n and n["__typename"] for n in nodes] == ["Video", None, "Channel", "User"]


@pytest.mark.parametrize("type_name", ["User", "Channel", "Video", "Comment"])
def test_unknown_id_of_a_known_type_is_null_without_error(gql, objects, type_name):
    """A well-formed id of a real type whose object does not exist gives `node: null` and
    no error."""
    body = gql.post(NODE, {"id": gid(type_name, 987654)})
    assert "errors" not in body
    assert body["data"]["node"] is None


@pytest.mark.parametrize(
    "query,variables",
    [
        (NODE, {"id": "not-a-global-id"}),
        (NODES, {"ids": ["not-a-global-id"]}),
        (VIDEO, {"id": "not-a-global-id"}),
        (CHANNEL_BY_ID, {"id": "not-a-global-id"}),
        (NODE, {"id": to_base64("Video", "abc")}),
        (NODES, {"ids": [to_base64("Channel", "1; drop table")]}),
        (VIDEO, {"id": to_base64("Video", "abc")}),
        (NODE, {"id": to_base64("Playlist", 1)}),
    ],
    ids=[
        "node-garbage",
        "nodes-garbage",
        "video-garbage",
        "channel-garbage",
        "node-non-numeric-pk",
        "nodes-non-numeric-pk",
        "video-non-numeric-pk",
        "node-unknown-type",
    ],
)
def test_malformed_id_is_a_bad_user_input_error(gql, objects, query, variables):
    """A malformed global id, one whose key is not a number, or one of an unknown type is a
    top-level BAD_USER_INPUT error; never an internal error."""
    body = gql.post(query, variables)
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["data"] is None or all(v is None for v in body["data"].values())


def test_video_with_the_id_of_another_type_is_a_bad_user_input_error(gql, objects):
    """`video(id:)` given a Channel's id says which type it expected."""
    body = gql.post(VIDEO, {"id": gid("Channel", objects["channel"].pk)})
    assert body["data"] == {"video": None}
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "Expected a Video id, got a Channel id."


def test_channel_with_the_id_of_another_type_is_a_bad_user_input_error(gql, objects):
    """`channel(id:)` given a Video's id says which type it expected."""
    body = gql.post(CHANNEL_BY_ID, {"id": gid("Video", objects["video"].pk)})
    assert body["data"] == {"channel": None}
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "Expected a Channel id, got a Video id."


def test_video_by_unknown_id_is_null_without_error(gql, objects):
    """`video(id:)` with the id of a video that does not exist is null, not an error."""
    body = gql.post(VIDEO, {"id": gid("Video", 987654)})
    assert body == {"data": {"video": None}}


def test_video_by_id_returns_the_video_with_its_channel(gql, objects):
    """`video(id:)` returns the video and its channel."""
    video = gql.data(VIDEO, {"id": gid("Video", objects["video"].pk)})["video"]
    assert video == {
        "id": gid("Video", objects["video"].pk),
        "title": "Public song",
        "visibility": "PUBLIC",
        "channel": {"handle": "music"},
    }


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.UNLISTED])
def test_public_and_unlisted_videos_open_by_id_for_anyone(gql, objects, visibility):
    """Anyone holding the id of a PUBLIC or UNLISTED video can open it, anonymous or not,
    through `video(id:)` and `node(id:)` alike."""
    video = VideoFactory(channel=objects["channel"], visibility=visibility, title="Shared")
    video_id = gid("Video", video.pk)
    assert gql.data(VIDEO, {"id": video_id})["video"]["visibility"] == visibility.value
    assert gql.data(NODE, {"id": video_id})["node"]["title"] == "Shared"
    gql.login(UserFactory())
    assert gql.data(VIDEO, {"id": video_id})["video"]["title"] == "Shared"


def test_private_video_opens_only_for_its_owner(gql, objects):
    """A PRIVATE video is null (no error) for anonymous callers and other users, through
    `video`, `node` and `nodes`; its channel's owner gets it."""
    video = VideoFactory(channel=objects["channel"], visibility=Visibility.PRIVATE)
    video_id = gid("Video", video.pk)

    def seen() -> list:
        return [
            gql.data(VIDEO, {"id": video_id})["video"],
            gql.data(NODE, {"id": video_id})["node"],
            gql.data(NODES, {"ids": [video_id]})["nodes"][0],
        ]

    assert seen() == [None, None, None]
    gql.login(UserFactory())
    assert seen() == [None, None, None]
    gql.login(objects["user"])
    assert all(v is not None and v["id"] == video_id for v in seen())


def test_comments_of_a_private_video_are_hidden_by_id_from_others(gql, objects):
    """A comment on a PRIVATE video cannot be opened by id by anyone but the channel's
    owner: the video's visibility covers its comments."""
    video = VideoFactory(channel=objects["channel"], visibility=Visibility.PRIVATE)
    comment = comment_add(author=objects["user"], video=video, content="note to self")
    comment_id = gid("Comment", comment.pk)
    assert gql.data(NODE, {"id": comment_id})["node"] is None
    gql.login(UserFactory())
    assert gql.data(NODE, {"id": comment_id})["node"] is None
    gql.login(objects["user"])
    assert gql.data(NODE, {"id": comment_id})["node"]["content"] == "note to self"


def test_a_reply_by_id_shows_its_parent_and_video(gql, objects):
    """A reply opened by id links to the top-level comment it answers and to the video."""
    reply = comment_add(
        author=UserFactory(), video=objects["video"], content="Second!", parent=objects["comment"]
    )
    node = gql.data(COMMENT_NODE, {"id": gid("Comment", reply.pk)})["node"]
    assert node == {
        "content": "Second!",
        "video": {"title": "Public song"},
        "parent": {"content": "First!"},
    }


def test_channel_by_id_and_by_handle_are_the_same_channel(gql, objects):
    """`channel(id:)` and `channel(handle:)` find the same channel."""
    by_id = gql.data(CHANNEL_BY_ID, {"id": gid("Channel", objects["channel"].pk)})
    by_handle = gql.data(CHANNEL_BY_HANDLE, {"handle": "music"})
    assert by_id["channel"] == by_handle["channel"]
    assert by_id["channel"]["name"] == "Music"


def test_channel_handle_lookup_ignores_case_and_surrounding_spaces(gql, objects):
    """Handles are case-insensitive: `MUSIC` and ` Music ` find @music."""
    for handle in ["MUSIC", " Music "]:
        assert gql.data(CHANNEL_BY_HANDLE, {"handle": handle})["channel"]["handle"] == "music"


def test_unknown_channel_is_null_without_error(gql, objects):
    """An unknown handle or channel id gives `channel: null` and no error."""
    assert gql.post(CHANNEL_BY_HANDLE, {"handle": "nobody"}) == {"data": {"channel": None}}
    assert gql.post(CHANNEL_BY_ID, {"id": gid("Channel", 987654)}) == {"data": {"channel": None}}


@pytest.mark.parametrize(
    "variables", [{}, {"id": None, "handle": None}, {"id": "x", "handle": "music"}]
)
def test_channel_needs_exactly_one_of_id_and_handle(gql, objects, variables):
    """`channel` with neither or both of `id` and `handle` is a BAD_USER_INPUT error."""
    body = gql.post(CHANNEL_BY_BOTH, variables)
    assert body["data"] == {"channel": None}
    assert codes_of(body) == ["BAD_USER_INPUT"]


def test_viewer_is_null_when_anonymous(gql, objects):
    """`viewer` is null, without error, for anonymous callers."""
    assert gql.post(VIEWER) == {"data": {"viewer": None}}


def test_viewer_is_the_signed_in_user_with_their_email_channels_and_subscriptions(gql, objects):
    """Signed in, `viewer` is oneself, email included, with one's channels and the
    channels one subscribes to."""
    from project.channels.services import channel_subscribe

    me = UserFactory(nickname="me", email="me@example.com")
    ChannelFactory(owner=me, handle="my-channel")
    channel_subscribe(user=me, channel=objects["channel"])
    gql.login(me)
    viewer = gql.data(VIEWER)["viewer"]
    assert viewer["id"] == gid("User", me.pk)
    assert viewer["nickname"] == "me"
    assert viewer["email"] == "me@example.com"
    assert viewer["isBusiness"] is False
    assert viewer["channels"] == [{"handle": "my-channel"}]
    assert viewer["subscriptions"]["totalCount"] == 1
    assert viewer["subscriptions"]["edges"] == [{"node": {"handle": "music"}}]


def test_email_is_visible_only_to_the_user_themself(gql, objects):
    """Another user's email is null, for anonymous and signed-in callers, whether the user
    is reached by id or through a channel's owner; one's own email is shown."""
    owner = objects["user"]
    video_id = gid("Video", objects["video"].pk)
    user_id = gid("User", owner.pk)
    for login in [None, UserFactory()]:
        if login is not None:
            gql.login(login)
        assert gql.data(USER_EMAIL, {"id": user_id})["node"] == {
            "nickname": "owner",
            "email": None,
        }
        owner_data = gql.data(OWNER_EMAIL_THROUGH_VIDEO, {"id": video_id})
        assert owner_data["video"]["channel"]["owner"]["email"] is None
    gql.login(owner)
    assert gql.data(USER_EMAIL, {"id": user_id})["node"]["email"] == owner.email
    owner_data = gql.data(OWNER_EMAIL_THROUGH_VIDEO, {"id": video_id})
    assert owner_data["video"]["channel"]["owner"]["email"] == owner.email
