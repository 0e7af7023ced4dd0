"""`searchVideos` (PostgreSQL full-text search) and `feed` (newest videos of the channels the
viewer subscribes to)."""

from datetime import UTC, datetime, timedelta

import pytest

from project.channels.services import channel_subscribe, channel_unsubscribe
from project.core.factories import ChannelFactory, UserFactory, VideoFactory
from project.videos.models import Visibility
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

SEARCH = """
query Search($query: String!, $first: Int, $after: String) {
  searchVideos(query: $query, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { title viewerRating channel { handle } } }
  }
}
"""

FEED = """
query Feed($first: Int, $after: String) {
  feed(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { title channel { handle viewerIsSubscribed } } }
  }
}
"""


def titles(connection: dict) -> list[str]:
    return [e["node"]["title"] for e in connection["edges"]]


def search(gql, query: str, **variables) -> dict:
    return gql.data(SEARCH, {"query": query, **variables})["searchVideos"]


def video(title: str, description: str = "", **kwargs):
    return VideoFactory(title=title, description=description, **kwargs)


def test_search_finds_words_in_titles_and_descriptions(gql):
    """A word matches a video whose title or description contains it; other videos are
    left out."""
    video("Guitar basics", "Chords for beginners")
    video("Weekly vlog", "Today I restring my guitar")
    video("Cooking pasta", "Tomatoes and basil")
    found = search(gql, "guitar", first=10)
    assert sorted(titles(found)) == ["Guitar basics", "Weekly vlog"]
    assert found["totalCount"] == 2


def test_a_title_match_ranks_above_a_description_match(gql):
    """Best match first: a video with the word in its title comes before one that has it
    only in its description, whichever is newer."""
    video("Cooking vlog", "We bake sourdough bread today", created_at=T0 + timedelta(days=1))
    video("Sourdough bread", "A slow recipe", created_at=T0)
    assert titles(search(gql, "sourdough", first=10)) == ["Sourdough bread", "Cooking vlog"]


def test_search_matches_other_forms_of_a_word(gql):
    """English stemming: "playing" finds a video titled "Play along"."""
    video("Play along", "")
    video("Listen closely", "")
    assert titles(search(gql, "playing", first=10)) == ["Play along"]


def test_search_lists_public_videos_only(gql):
    """UNLISTED and PRIVATE videos never appear in search results, even for their owner."""
    channel = ChannelFactory()
    video("Drums public", channel=channel)
    video("Drums unlisted", channel=channel, visibility=Visibility.UNLISTED)
    video("Drums private", channel=channel, visibility=Visibility.PRIVATE)
    assert titles(search(gql, "drums", first=10)) == ["Drums public"]
    gql.login(channel.owner)
    found = search(gql, "drums", first=10)
    assert titles(found) == ["Drums public"]
    assert found["totalCount"] == 1


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_search_is_a_bad_user_input_error(gql, query):
    """An empty or whitespace-only query is a BAD_USER_INPUT error."""
    body = gql.post(SEARCH, {"query": query})
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == "The search query is empty."


def test_an_overlong_search_is_a_bad_user_input_error(gql):
    """A query over 200 characters is refused as BAD_USER_INPUT."""
    body = gql.post(SEARCH, {"query": "word " * 41})
    assert codes_of(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "query",
    [
        '"unterminated quote',
        "guitar -",
        "or or or",
        "guitar & | ! ( ) :* <->",
        "'; drop table videos_video; --",
        "the",
        "ギター",
    ],
)
def test_any_text_is_a_safe_search(gql, query):
    """Quotes, operators, SQL, stop words and non-Latin text are searched as text (web
    search syntax): never a syntax or internal error."""
    video("Guitar basics", "")
    body = gql.post(SEARCH, {"query": query, "first": 5})
    assert "errors" not in body
    assert isinstance(body["data"]["searchVideos"]["totalCount"], int)


def test_web_search_syntax_excludes_words_and_matches_phrases(gql):
    """websearch_to_tsquery's syntax works: `-word` excludes, `"a b"` is a phrase."""
    video("Jazz guitar solo", "")
    video("Rock guitar riff", "")
    video("Guitar jazz", "")
    assert sorted(titles(search(gql, "guitar -rock", first=10))) == [
        "Guitar jazz",
        "Jazz guitar solo",
    ]
    assert titles(search(gql, '"jazz guitar"', first=10)) == ["Jazz guitar solo"]


def test_search_results_page_forwards(gql):
    """Search results page with `first`/`after` without repeats."""
    for i in range(5):
        video(f"Piano lesson {i}", "", created_at=T0 + timedelta(days=i))
    first = search(gql, "piano", first=3)
    second = search(gql, "piano", first=3, after=first["pageInfo"]["endCursor"])
    seen = titles(first) + titles(second)
    assert sorted(seen) == [f"Piano lesson {i}" for i in range(5)]
    assert first["totalCount"] == 5
    assert second["pageInfo"]["hasNextPage"] is False


def test_feed_is_unauthenticated_for_anonymous_callers(gql):
    """Anonymous callers get a top-level UNAUTHENTICATED error and no data."""
    body = gql.post(FEED, {"first": 5})
    assert body["data"] is None
    assert codes_of(body) == ["UNAUTHENTICATED"]


def test_feed_is_newest_public_videos_of_subscribed_channels(gql):
    """The feed lists the PUBLIC videos of the channels one subscribes to, newest first;
    other channels' videos and non-public videos are left out."""
    user = UserFactory()
    music, cooking, other = (ChannelFactory(handle=h) for h in ["music", "cooking", "other"])
    for channel in (music, cooking):
        channel_subscribe(user=user, channel=channel)
    VideoFactory(channel=music, title="m-old", created_at=T0)
    VideoFactory(channel=cooking, title="c-mid", created_at=T0 + timedelta(hours=1))
    VideoFactory(channel=music, title="m-new", created_at=T0 + timedelta(hours=2))
    VideoFactory(channel=other, title="not followed", created_at=T0 + timedelta(hours=3))
    VideoFactory(channel=music, title="unlisted", visibility=Visibility.UNLISTED)
    VideoFactory(channel=music, title="private", visibility=Visibility.PRIVATE)
    gql.login(user)
    feed = gql.data(FEED, {"first": 10})["feed"]
    assert titles(feed) == ["m-new", "c-mid", "m-old"]
    assert feed["totalCount"] == 3
    assert all(e["node"]["channel"]["viewerIsSubscribed"] for e in feed["edges"])


def test_feed_is_empty_without_subscriptions(gql):
    """A signed-in user who follows nobody gets an empty feed, not an error."""
    VideoFactory()
    gql.login(UserFactory())
    feed = gql.data(FEED, {"first": 10})["feed"]
    assert (feed["edges"], feed["totalCount"]) == ([], 0)


def test_unsubscribing_removes_a_channel_from_the_feed(gql):
    """After unsubscribing, that channel's videos leave the feed."""
    user = UserFactory()
    kept, dropped = ChannelFactory(), ChannelFactory()
    VideoFactory(channel=kept, title="kept")
    VideoFactory(channel=dropped, title="dropped")
    channel_subscribe(user=user, channel=kept)
    channel_subscribe(user=user, channel=dropped)
    channel_unsubscribe(user=user, channel=dropped)
    gql.login(user)
    assert titles(gql.data(FEED, {"first": 10})["feed"]) == ["kept"]


def test_the_feed_is_the_viewers_own(gql):
    """Two users subscribed to different channels each see their own feed."""
    ana, ben = UserFactory(), UserFactory()
    a_channel, b_channel = ChannelFactory(), ChannelFactory()
    VideoFactory(channel=a_channel, title="for ana")
    VideoFactory(channel=b_channel, title="for ben")
    channel_subscribe(user=ana, channel=a_channel)
    channel_subscribe(user=ben, channel=b_channel)
    gql.login(ana)
    assert titles(gql.data(FEED, {"first": 10})["feed"]) == ["for ana"]
    gql.login(ben)
    assert titles(gql.data(FEED, {"first": 10})["feed"]) == ["for ben"]


def test_feed_pages_forwards(gql):
    """The feed pages with `first`/`after`, newest first, without repeats."""
    user = UserFactory()
    channel = ChannelFactory()
    channel_subscribe(user=user, channel=channel)
    for i in range(5):
        VideoFactory(channel=channel, title=f"v{i}", created_at=T0 + timedelta(hours=i))
    gql.login(user)
    first = gql.data(FEED, {"first": 2})["feed"]
    rest = gql.data(FEED, {"first": 10, "after": first["pageInfo"]["endCursor"]})["feed"]
    assert titles(first) + titles(rest) == ["v4", "v3", "v2", "v1", "v0"]
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)


def test_feed_page_size_above_100_is_an_error(gql):
    """`feed(first: 101)` is a BAD_USER_INPUT error for a signed-in user."""
    gql.login(UserFactory())
    body = gql.post(FEED, {"first": 101})
    assert codes_of(body) == ["BAD_USER_INPUT"]
