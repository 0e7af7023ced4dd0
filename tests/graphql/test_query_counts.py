"""The number of SQL queries of a read never grows with the page size.

Each operation runs at page sizes 5 and 50 under the same bound (the measured count), on data
big enough that 50 really returns 50 rows, each with its nested rows. A count that grows with
N means an N+1 in a type, a custom resolver or a nested connection.

Measured (signed in; 2 of each are the session and user lookups of the request):

    operation                                            N=5   N=50
    videos + channel + counts + 3 comments with authors     5      5
    video + N comments + 3 replies each with authors        6      6
      (the same, anonymous: no session or user lookup)      4      4
    channel(handle) + N videos + counts                     4      4
    feed of 10 subscribed channels + channel + counts       4      4
    searchVideos + channel + counts                         4      4

The channel of a video is a separate query rather than a join: its viewerIsSubscribed is a
per-viewer annotation, and the optimizer prefetches a relation that carries annotations.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from project.channels.models import Channel, ChannelSubscription
from project.comments.models import Comment, CommentRating
from project.core.counters import counters_recompute
from project.core.factories import (
    ChannelFactory,
    CommentFactory,
    UserFactory,
    VideoFactory,
)
from project.core.models import RatingValue
from project.users.models import User
from project.videos.models import Video, VideoRating, Visibility

pytestmark = pytest.mark.django_db

PAGE_SIZES = [5, 50]

# The bounds below are the measured counts: the same at both page sizes.
VIDEOS_PAGE_QUERIES = 5
VIDEO_PAGE_QUERIES = 6
ANONYMOUS_VIDEO_PAGE_QUERIES = 4
CHANNEL_PAGE_QUERIES = 4
FEED_QUERIES = 4
SEARCH_QUERIES = 4

SEARCH_WORD = "guitar"
BIG_CHANNEL_VIDEOS = 55
SMALL_CHANNELS = 9
SMALL_CHANNEL_VIDEOS = 3
COMMENTS_PER_VIDEO = 4
THREAD_COMMENTS = 60
REPLIES_PER_THREAD = 4

VIDEOS_PAGE = """
query VideosPage($first: Int!) {
  videos(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title viewsCount likeCount dislikeCount commentCount viewerRating viewerCanEdit
        channel { id name subscriberCount viewerIsSubscribed }
        comments(first: 3) {
          edges { node { id content replyCount author { nickname } } }
        }
      }
    }
  }
}
"""

VIDEO_PAGE = """
query VideoPage($id: ID!, $first: Int!) {
  video(id: $id) {
    id title likeCount commentCount viewerRating
    channel { name subscriberCount viewerIsSubscribed }
    comments(first: $first) {
      totalCount
      edges {
        node {
          id content likeCount replyCount viewerRating viewerCanEdit viewerCanDelete
          author { nickname }
          replies(first: 3) {
            totalCount
            edges {
              node { id content viewerRating viewerCanEdit viewerCanDelete author { nickname } }
            }
          }
        }
      }
    }
  }
}
"""

CHANNEL_PAGE = """
query ChannelPage($handle: String!, $first: Int!) {
  channel(handle: $handle) {
    id name subscriberCount videoCount viewerIsSubscribed viewerCanEdit
    owner { nickname }
    videos(first: $first) {
      totalCount
      edges { node { id title viewsCount likeCount dislikeCount commentCount viewerRating } }
    }
  }
}
"""

FEED = """
query Feed($first: Int!) {
  feed(first: $first) {
    totalCount
    edges {
      node {
        id title likeCount commentCount viewerRating
        channel { name subscriberCount viewerIsSubscribed }
      }
    }
  }
}
"""

SEARCH = """
query Search($query: String!, $first: Int!) {
  searchVideos(query: $query, first: $first) {
    totalCount
    edges {
      node {
        id title likeCount commentCount viewerRating
        channel { name subscriberCount viewerIsSubscribed }
      }
    }
  }
}
"""


@pytest.fixture
def site():
    """A site big enough for pages of 50: a channel with 55 PUBLIC videos and nine small
    ones, comments and ratings on every video, and one video with a 60-comment thread of
    4 replies each. The viewer subscribes to all ten channels and rates some videos and
    comments. Rows go in with bulk_create, then the counters are recomputed."""
    now = timezone.now()
    users = User.objects.bulk_create(UserFactory.build_batch(12))
    viewer, owner, commenters = users[0], users[1], users[2:]
    big = ChannelFactory(owner=owner, handle="big")
    channels = [big, *(ChannelFactory(owner=u) for u in commenters[:SMALL_CHANNELS])]
    ChannelSubscription.objects.bulk_create(
        ChannelSubscription(subscriber=viewer, channel=c) for c in channels
    )
    videos = []
    for channel in channels:
        count = BIG_CHANNEL_VIDEOS if channel is big else SMALL_CHANNEL_VIDEOS
        videos += [
            VideoFactory.build(
                channel=channel,
                title=f"{SEARCH_WORD} lesson {channel.handle} {i}",
                created_at=now - timedelta(minutes=len(videos) + i),
            )
            for i in range(count)
        ]
    videos.append(VideoFactory.build(channel=big, visibility=Visibility.PRIVATE))
    videos = Video.objects.bulk_create(videos)
    comments = Comment.objects.bulk_create(
        CommentFactory.build(video=v, author=commenters[i % len(commenters)])
        for v in videos
        for i in range(COMMENTS_PER_VIDEO)
    )
    thread_video = videos[0]
    threads = Comment.objects.bulk_create(
        CommentFactory.build(video=thread_video, author=commenters[i % len(commenters)])
        for i in range(THREAD_COMMENTS)
    )
    Comment.objects.bulk_create(
        CommentFactory.build(
            video=thread_video, parent=t, author=commenters[(i + 1) % len(commenters)]
        )
        for t in threads
        for i in range(REPLIES_PER_THREAD)
    )
    VideoRating.objects.bulk_create(
        VideoRating(user=u, video=v, value=RatingValue.LIKE if i % 3 else RatingValue.DISLIKE)
        for i, v in enumerate(videos)
        for u in (viewer, commenters[i % len(commenters)])
    )
    CommentRating.objects.bulk_create(
        CommentRating(user=viewer, comment=c, value=RatingValue.LIKE) for c in comments[::2]
    )
    counters_recompute()
    return {"viewer": viewer, "thread_video": thread_video}


def edges(connection: dict) -> list[dict]:
    return [e["node"] for e in connection["edges"]]


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_videos_page_with_channels_counts_and_comments_costs_the_same_at_any_size(
    gql, site, first, django_assert_max_num_queries
):
    """A page of videos with channel, counters, the viewer's rating and 3 comments each
    (with author and reply count) runs a fixed number of queries for a signed-in user."""
    gql.login(site["viewer"])
    with django_assert_max_num_queries(VIDEOS_PAGE_QUERIES):
        data = gql.data(VIDEOS_PAGE, {"first": first})
    videos = edges(data["videos"])
    assert len(videos) == first
    assert all(len(edges(v["comments"])) == 3 for v in videos)
    assert all(v["channel"]["viewerIsSubscribed"] for v in videos)
    assert all(v["viewerRating"] in {"LIKE", "DISLIKE"} for v in videos)


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_video_page_with_comment_threads_costs_the_same_at_any_size(
    gql, site, first, django_assert_max_num_queries
):
    """One video with its first N comments, each with its first 3 replies and their
    authors, runs a fixed number of queries."""
    gql.login(site["viewer"])
    video_id = to_base64("Video", site["thread_video"].pk)
    with django_assert_max_num_queries(VIDEO_PAGE_QUERIES):
        data = gql.data(VIDEO_PAGE, {"id": video_id, "first": first})
    comments = edges(data["video"]["comments"])
    assert len(comments) == first
    threads = [c for c in comments if c["replyCount"] == REPLIES_PER_THREAD]
    assert threads, "the newest comments of the video are the threads"
    assert all(len(edges(c["replies"])) == 3 for c in threads)


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_video_page_for_an_anonymous_caller_costs_the_same_at_any_size(
    gql, site, first, django_assert_max_num_queries
):
    """The same video page for an anonymous caller (constant viewer fields) runs a fixed
    number of queries too."""
    video_id = to_base64("Video", site["thread_video"].pk)
    with django_assert_max_num_queries(ANONYMOUS_VIDEO_PAGE_QUERIES):
        data = gql.data(VIDEO_PAGE, {"id": video_id, "first": first})
    comments = edges(data["video"]["comments"])
    assert len(comments) == first
    assert all(c["viewerRating"] == "NONE" and not c["viewerCanDelete"] for c in comments)


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_channel_page_with_videos_and_counts_costs_the_same_at_any_size(
    gql, site, first, django_assert_max_num_queries
):
    """A channel found by handle, with its first N videos and their counters, runs a
    fixed number of queries."""
    gql.login(site["viewer"])
    with django_assert_max_num_queries(CHANNEL_PAGE_QUERIES):
        data = gql.data(CHANNEL_PAGE, {"handle": "big", "first": first})
    channel = data["channel"]
    assert channel["videoCount"] == BIG_CHANNEL_VIDEOS
    assert len(edges(channel["videos"])) == first
    assert all(v["commentCount"] == COMMENTS_PER_VIDEO for v in edges(channel["videos"])[1:])


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_feed_of_ten_channels_costs_the_same_at_any_size(
    gql, site, first, django_assert_max_num_queries
):
    """The feed of a user subscribed to 10 channels runs a fixed number of queries."""
    gql.login(site["viewer"])
    with django_assert_max_num_queries(FEED_QUERIES):
        data = gql.data(FEED, {"first": first})
    videos = edges(data["feed"])
    assert len(videos) == first
    assert data["feed"]["totalCount"] == BIG_CHANNEL_VIDEOS + SMALL_CHANNELS * SMALL_CHANNEL_VIDEOS


@pytest.mark.parametrize("first", PAGE_SIZES)
def test_search_costs_the_same_at_any_size(gql, site, first, django_assert_max_num_queries):
    """A search page with channels and counters runs a fixed number of queries."""
    gql.login(site["viewer"])
    with django_assert_max_num_queries(SEARCH_QUERIES):
        data = gql.data(SEARCH, {"query": SEARCH_WORD, "first": first})
    videos = edges(data["searchVideos"])
    assert len(videos) == first
    assert all(SEARCH_WORD in v["title"] for v in videos)


def test_the_site_has_the_counters_the_pages_show(site):
    """The fixture's counters were recomputed, so the bounds above are measured on real
    nested rows (not on empty relations)."""
    big = Channel.objects.get(handle="big")
    assert big.subscriber_count == 1
    assert big.video_count == BIG_CHANNEL_VIDEOS
    thread_video = Video.objects.get(pk=site["thread_video"].pk)
    expected = COMMENTS_PER_VIDEO + THREAD_COMMENTS * (1 + REPLIES_PER_THREAD)
    assert thread_video.comment_count == expected
