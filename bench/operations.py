"""The benchmarked operations: GraphQL documents and the dataset rows they are pointed at.

Every parameter (which video, which channel, which word, which user) is chosen from the data
by a deterministic query, so the same dataset always gives the same requests.
"""

import base64
import json
from dataclasses import dataclass, field

DEMO_PASSWORD = "correct-horse-battery-staple"
PAGE = 20
WRITE_TARGETS = 16  # videos the write mix spreads over, so 16 connections rarely share a row lock
WRITE_MARKER = "bench write mix"  # content prefix of the comments the write mix adds

VIDEOS = """
query BenchVideos($first: Int!) {
  videos(first: $first) {
    edges {
      node {
        id title createdAt viewsCount likeCount commentCount
        channel { id name handle subscriberCount }
        comments(first: 3) {
          edges { node { id content createdAt author { id nickname } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

FEED = """
query BenchFeed($first: Int!) {
  feed(first: $first) {
    edges {
      node {
        id title createdAt viewsCount likeCount commentCount viewerRating viewerCanEdit
        channel { id name handle subscriberCount viewerIsSubscribed }
        comments(first: 3) {
          edges { node { id content createdAt viewerRating author { id nickname } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

VIDEO_PAGE = """
query BenchVideoPage($id: ID!) {
  video(id: $id) {
    id title description category createdAt viewsCount likeCount dislikeCount commentCount
    channel { id name handle subscriberCount }
    comments(first: 20) {
      edges {
        node {
          id content createdAt isEdited likeCount replyCount
          author { id nickname }
          replies(first: 3) {
            edges { node { id content createdAt likeCount author { id nickname } } }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

CHANNEL_PAGE = """
query BenchChannelPage($handle: String!) {
  channel(handle: $handle) {
    id handle name description createdAt subscriberCount videoCount
    owner { id nickname }
    videos(first: 20) {
      edges { node { id title createdAt viewsCount likeCount commentCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

SEARCH = """
query BenchSearch($query: String!, $first: Int!) {
  searchVideos(query: $query, first: $first) {
    edges { node { id title createdAt viewsCount likeCount channel { id name handle } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

RATE_VIDEO = """
mutation BenchRate($videoId: ID!, $rating: Rating!) {
  rateVideo(videoId: $videoId, rating: $rating) {
    ... on Video { id likeCount viewerRating }
    ... on OperationInfo { messages { kind field message code } }
  }
}
"""

ADD_COMMENT = """
mutation BenchComment($input: AddCommentInput!) {
  addComment(input: $input) {
    ... on Comment { id content createdAt author { id nickname } }
    ... on OperationInfo { messages { kind field message code } }
  }
}
"""

LOGIN = """
mutation BenchLogin($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    ... on LoginPayload { token user { id } }
    ... on OperationInfo { messages { message code } }
  }
}
"""

LOGOUT = "mutation BenchLogout { logout }"

# Deterministic choices from the data.
VIDEO_PAGE_SQL = """
SELECT id FROM videos_video WHERE visibility = 'PUBLIC'
ORDER BY comment_count DESC, id LIMIT 1
"""
CHANNEL_PAGE_SQL = """
SELECT handle FROM video_channels_channel ORDER BY video_count DESC, id LIMIT 1
"""
# The most frequent title word of 4+ letters that full-text search does not drop as a stop word.
SEARCH_WORD_SQL = """
SELECT w FROM videos_video, regexp_split_to_table(lower(title), '[^a-z]+') AS w
WHERE visibility = 'PUBLIC' AND length(w) >= 4
  AND numnode(websearch_to_tsquery('english', w)) > 0
GROUP BY w ORDER BY count(*) DESC, w LIMIT 1
"""
FEED_USER_SQL = """
SELECT u.id, u.email FROM users_user u
JOIN video_channels_channelsubscription s ON s.subscriber_id = u.id
WHERE u.email LIKE 'demo%%@example.com'
GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1
"""
WRITE_TARGETS_SQL = """
SELECT v.id FROM videos_video v
WHERE v.visibility = 'PUBLIC' AND v.id <> %(page_video)s
  AND NOT EXISTS (
    SELECT 1 FROM videos_videorating r WHERE r.video_id = v.id AND r.user_id = %(user)s
  )
ORDER BY v.created_at, v.id LIMIT %(count)s
"""


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@dataclass
class Params:
    """The rows the operations are pointed at."""

    video_id: int
    channel_handle: str
    search_word: str
    user_id: int
    user_email: str
    write_video_ids: list[int] = field(default_factory=list)


def choose_params(cursor) -> Params:
    """Pick the operations' targets with a DB-API cursor on the dataset."""

    def one(sql: str, params: dict | None = None):
        cursor.execute(sql, params or {})
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"the dataset has no row for: {sql.strip()}")
        return row

    video_id = one(VIDEO_PAGE_SQL)[0]
    user_id, email = one(FEED_USER_SQL)
    channel_handle = one(CHANNEL_PAGE_SQL)[0]
    search_word = one(SEARCH_WORD_SQL)[0]
    cursor.execute(
        WRITE_TARGETS_SQL, {"page_video": video_id, "user": user_id, "count": WRITE_TARGETS}
    )
    return Params(
        video_id=video_id,
        channel_handle=channel_handle,
        search_word=search_word,
        user_id=user_id,
        user_email=email,
        write_video_ids=[pk for (pk,) in cursor.fetchall()],
    )


def body(query: str, variables: dict) -> str:
    return json.dumps({"query": query, "variables": variables}, separators=(",", ":"))


@dataclass
class Operation:
    name: str
    title: str
    bodies: list[str]  # wrk cycles through them; reads have one
    signed_in: bool = False
    reference: str | None = None  # name of the reference endpoint, when there is one
    variables: dict = field(default_factory=dict)


def operations(params: Params) -> list[Operation]:
    """The six operations, in the order they are run (writes last: they change rows)."""
    page_video = global_id("Video", params.video_id)
    writes: list[str] = []
    for pk in params.write_video_ids:
        video = global_id("Video", pk)
        writes += [
            body(RATE_VIDEO, {"videoId": video, "rating": "LIKE"}),
            body(RATE_VIDEO, {"videoId": video, "rating": "NONE"}),
            body(
                ADD_COMMENT,
                {"input": {"videoId": video, "content": f"{WRITE_MARKER}: nice one"}},
            ),
        ]

    def read(name, title, query, variables, **kw) -> Operation:
        return Operation(name, title, [body(query, variables)], variables=variables, **kw)

    return [
        read(
            "videos",
            "newest 20 videos, channel, counts, 3 newest comments (anonymous)",
            VIDEOS,
            {"first": PAGE},
            reference="videos",
        ),
        read(
            "feed",
            "signed-in feed of 20 with viewer fields",
            FEED,
            {"first": PAGE},
            signed_in=True,
        ),
        read(
            "video_page",
            "video + 20 comments + 3 replies each",
            VIDEO_PAGE,
            {"id": page_video},
            reference="video_page",
        ),
        read(
            "channel_page",
            "channel by handle + 20 videos",
            CHANNEL_PAGE,
            {"handle": params.channel_handle},
        ),
        read(
            "search",
            f"searchVideos('{params.search_word}') first 20",
            SEARCH,
            {"query": params.search_word, "first": PAGE},
            reference="search",
        ),
        Operation(
            "write_mix",
            "rateVideo LIKE / NONE, addComment (signed in)",
            writes,
            signed_in=True,
        ),
    ]
