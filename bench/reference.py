"""The reference: the same JSON as the GraphQL API, from ONE hand-written SQL statement.

Each statement builds the complete response body in PostgreSQL, byte for byte what the
GraphQL endpoint sends (compact separators, the same key order, global ids as
base64('Type:pk'), offset cursors as base64('arrayconnection:N'), timestamps as Python's
isoformat()). It is the physical limit of this stack: one round trip, no Python per row.

JSON is concatenated as text rather than built with json_build_object/json_agg, because
PostgreSQL prints those with spaces (`{"a" : 1}`) and Python's compact encoder does not;
to_json(text) does the string escaping. The one difference left is that Python escapes
non-ASCII characters (and DEL) as \\uXXXX and PostgreSQL does not; `as_python_json()` makes
that change in one pass over the body, and only when the body has such characters.

The views are mounted by bench/urls.py only. They take the same POST body as the GraphQL
endpoint and read only its `variables`.
"""

import json
import re

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

# ---- SQL fragments, each a JSON value as text --------------------------------------------


def gid(type_name: str, pk: str) -> str:
    """A relay global id: base64('Type:pk') as a JSON string (base64 needs no escaping)."""
    return f"""('"' || encode(convert_to('{type_name}:' || {pk}, 'UTF8'), 'base64') || '"')"""


def text(expr: str) -> str:
    """A text column as a JSON string (or null)."""
    return f"coalesce(to_json({expr})::text, 'null')"


def num(expr: str) -> str:
    return f"({expr})::text"


def boolean(expr: str) -> str:
    return f"({expr})::text"


def timestamp(expr: str) -> str:
    """A timestamptz as Python's datetime.isoformat() in UTC: microseconds only when set."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    micro = f"(extract(microseconds FROM {expr})::bigint %% 1000000)"
    return (
        f"""('"' || to_char({utc}, CASE WHEN {micro} = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS' """
        f"""ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END) || '+00:00"')"""
    )


def obj(**fields: str) -> str:
    """A JSON object from key -> SQL fragment, keys in the given order."""
    parts = []
    for i, (key, value) in enumerate(fields.items()):
        parts.append(f"""'{"{" if i == 0 else ","}"{key}":' || {value}""")
    return "(" + " || ".join(parts) + " || '}')" if parts else "'{}'"


def edges(node: str, order: str) -> str:
    """The `edges` array of a connection: string_agg over the rows in scope."""
    agg = f"""string_agg('{{"node":' || {node} || '}}', ',' ORDER BY {order})"""
    return f"""'[' || coalesce({agg}, '') || ']'"""


def page_info(count: str, first: str) -> str:
    """`{hasNextPage endCursor}` of a first page, from the row count (fetched up to first+1)."""
    cursor = (
        f"""CASE WHEN {count} = 0 THEN 'null' ELSE '"' || encode(convert_to("""
        f"""'arrayconnection:' || (least({count}, {first}) - 1), 'UTF8'), 'base64') || '"' END"""
    )
    return obj(hasNextPage=boolean(f"{count} > {first}"), endCursor=cursor)


def user_json(alias: str) -> str:
    return obj(id=gid("User", f"{alias}.id"), nickname=text(f"{alias}.nickname"))


# ---- 1. videos(first: N), newest first, each with channel, counts, 3 newest comments ------

VIDEOS_SQL = f"""
WITH page AS (
  SELECT v.id, v.title, v.created_at, v.views_count, v.like_count, v.comment_count,
         v.channel_id, row_number() OVER (ORDER BY v.created_at DESC, v.id DESC) AS n
  FROM videos_video v
  WHERE v.visibility = 'PUBLIC'
  ORDER BY v.created_at DESC, v.id DESC
  LIMIT %(first)s + 1
)
SELECT '{{"data":{{"videos":{{"edges":[' || coalesce(string_agg(
    '{{"node":' || {
    obj(
        id=gid("Video", "p.id"),
        title=text("p.title"),
        createdAt=timestamp("p.created_at"),
        viewsCount=num("p.views_count"),
        likeCount=num("p.like_count"),
        commentCount=num("p.comment_count"),
        channel=obj(
            id=gid("Channel", "c.id"),
            name=text("c.name"),
            handle=text("c.handle"),
            subscriberCount=num("c.subscriber_count"),
        ),
        comments=obj(edges="cm.edges"),
    )
} || '}}', ',' ORDER BY p.n) FILTER (WHERE p.n <= %(first)s), '')
  || '],"pageInfo":' || {page_info("count(*)", "%(first)s")} || '}}}}}}'
FROM page p
JOIN video_channels_channel c ON c.id = p.channel_id
CROSS JOIN LATERAL (
  SELECT {
    edges(
        obj(
            id=gid("Comment", "m.id"),
            content=text("m.content"),
            createdAt=timestamp("m.created_at"),
            author=user_json("u"),
        ),
        "m.created_at DESC, m.id DESC",
    )
} AS edges
  FROM (
    SELECT m.id, m.content, m.created_at, m.author_id FROM comments_comment m
    WHERE m.video_id = p.id AND m.parent_id IS NULL AND p.n <= %(first)s
    ORDER BY m.created_at DESC, m.id DESC LIMIT 3
  ) m
  JOIN users_user u ON u.id = m.author_id
) cm
"""

# ---- 3. video(id) with 20 newest top-level comments, 3 oldest replies each ----------------

VIDEO_PAGE_SQL = f"""
SELECT '{{"data":{{"video":' || coalesce((
  SELECT {
    obj(
        id=gid("Video", "v.id"),
        title=text("v.title"),
        description=text("v.description"),
        category=text("v.category"),
        createdAt=timestamp("v.created_at"),
        viewsCount=num("v.views_count"),
        likeCount=num("v.like_count"),
        dislikeCount=num("v.dislike_count"),
        commentCount=num("v.comment_count"),
        channel=obj(
            id=gid("Channel", "c.id"),
            name=text("c.name"),
            handle=text("c.handle"),
            subscriberCount=num("c.subscriber_count"),
        ),
        comments="cm.json",
    )
}
  FROM videos_video v
  JOIN video_channels_channel c ON c.id = v.channel_id
  CROSS JOIN LATERAL (
    SELECT '{{"edges":[' || coalesce(string_agg('{{"node":' || {
    obj(
        id=gid("Comment", "t.id"),
        content=text("t.content"),
        createdAt=timestamp("t.created_at"),
        isEdited=boolean("t.is_edited"),
        likeCount=num("t.like_count"),
        replyCount=num("t.reply_count"),
        author=user_json("u"),
        replies=obj(edges="r.edges"),
    )
} || '}}', ',' ORDER BY t.n) FILTER (WHERE t.n <= %(first)s), '')
      || '],"pageInfo":' || {page_info("count(*)", "%(first)s")} || '}}' AS json
    FROM (
      SELECT m.id, m.content, m.created_at, m.is_edited, m.like_count, m.reply_count,
             m.author_id, row_number() OVER (ORDER BY m.created_at DESC, m.id DESC) AS n
      FROM comments_comment m
      WHERE m.video_id = v.id AND m.parent_id IS NULL
      ORDER BY m.created_at DESC, m.id DESC
      LIMIT %(first)s + 1
    ) t
    JOIN users_user u ON u.id = t.author_id
    CROSS JOIN LATERAL (
      SELECT {
    edges(
        obj(
            id=gid("Comment", "x.id"),
            content=text("x.content"),
            createdAt=timestamp("x.created_at"),
            likeCount=num("x.like_count"),
            author=user_json("xu"),
        ),
        "x.created_at, x.id",
    )
} AS edges
      FROM (
        SELECT x.id, x.content, x.created_at, x.like_count, x.author_id
        FROM comments_comment x
        WHERE x.parent_id = t.id AND t.n <= %(first)s
        ORDER BY x.created_at, x.id LIMIT %(replies)s
      ) x
      JOIN users_user xu ON xu.id = x.author_id
    ) r
  ) cm
  WHERE v.id = %(id)s AND v.visibility IN ('PUBLIC', 'UNLISTED')
), 'null') || '}}}}'
"""

# ---- 5. searchVideos(query, first: N), best match first ----------------------------------

SEARCH_SQL = f"""
WITH q AS (SELECT websearch_to_tsquery('english'::regconfig, %(query)s) AS q),
page AS (
  SELECT v.id, v.title, v.created_at, v.views_count, v.like_count, v.channel_id,
         row_number() OVER (
           ORDER BY ts_rank(v.search_vector, q.q) DESC, v.created_at DESC, v.id DESC
         ) AS n
  FROM videos_video v, q
  WHERE v.search_vector @@ q.q AND v.visibility = 'PUBLIC'
  ORDER BY ts_rank(v.search_vector, q.q) DESC, v.created_at DESC, v.id DESC
  LIMIT %(first)s + 1
)
SELECT '{{"data":{{"searchVideos":{{"edges":[' || coalesce(string_agg(
    '{{"node":' || {
    obj(
        id=gid("Video", "p.id"),
        title=text("p.title"),
        createdAt=timestamp("p.created_at"),
        viewsCount=num("p.views_count"),
        likeCount=num("p.like_count"),
        channel=obj(
            id=gid("Channel", "c.id"),
            name=text("c.name"),
            handle=text("c.handle"),
        ),
    )
} || '}}', ',' ORDER BY p.n) FILTER (WHERE p.n <= %(first)s), '')
  || '],"pageInfo":' || {page_info("count(*)", "%(first)s")} || '}}}}}}'
FROM page p
JOIN video_channels_channel c ON c.id = p.channel_id
"""

# ---- Running them ---------------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile("[^\x00-\x7e]")


def _escape(match: re.Match) -> str:
    return json.dumps(match.group(0))[1:-1]


def as_python_json(body: str) -> str:
    """Escape non-ASCII characters and DEL as Python's json.dumps(ensure_ascii=True) does.

    Such characters can only occur inside JSON strings, so replacing them is safe."""
    return body if body.isascii() and "\x7f" not in body else _NEEDS_ESCAPE.sub(_escape, body)


def run(sql: str, params: dict) -> bytes:
    """The response body for `params`, from one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (body,) = cursor.fetchone()
    return as_python_json(body).encode()


def videos_body(variables: dict) -> bytes:
    return run(VIDEOS_SQL, {"first": int(variables.get("first", 20))})


def video_page_body(variables: dict) -> bytes:
    from strawberry.relay import GlobalID

    gid_ = GlobalID.from_id(variables["id"])
    pk = int(gid_.node_id) if gid_.type_name == "Video" else -1
    return run(VIDEO_PAGE_SQL, {"id": pk, "first": 20, "replies": 3})


def search_body(variables: dict) -> bytes:
    return run(
        SEARCH_SQL,
        {"query": variables["query"].strip(), "first": int(variables.get("first", 20))},
    )


BODIES = {"videos": videos_body, "video_page": video_page_body, "search": search_body}


def _view(make_body):
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        try:
            variables = json.loads(request.body).get("variables") or {}
        except (ValueError, AttributeError):
            return HttpResponseBadRequest("a JSON body with `variables` is expected")
        return HttpResponse(make_body(variables), content_type="application/json")

    view.__name__ = f"reference_{make_body.__name__}"
    return view


VIEWS = {name: _view(make_body) for name, make_body in BODIES.items()}
