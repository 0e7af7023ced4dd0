"""GraphQL subscriptions over real websockets, against uvicorn on a loopback port.

Data is made through the HTTP API with bearer tokens (so it is committed and the server sees
it); the websocket client is the `websockets` package speaking graphql-transport-ws (the
protocol GraphiQL and graphql-ws clients use) or the legacy graphql-ws protocol.
This server runs with the in-memory channel layer; test_subscriptions_fanout.py runs two
processes sharing Redis, a shutdown and the proxy.
"""

import asyncio
import contextlib
import json
import re
import struct
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.e2e.conftest import serving

pytestmark = pytest.mark.e2e

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
WAIT = 5.0  # seconds to wait for a frame that must come
QUIET = 1.0  # seconds of silence that show a frame does not come
MAX_SUBSCRIPTIONS = 4
INIT_TIMEOUT = 2  # seconds
# Servers of these tests: no rate limits in the way, uploads in a temporary directory.
SERVER_ENV = {"RATE_LIMIT_REGISTER": "100000", "RATE_LIMIT_ADD_COMMENT": "100000"}

COMMENT_FIELDS = """
    id content isEdited author { nickname } parent { id } replyCount likeCount dislikeCount
    viewerRating viewerCanEdit viewerCanDelete video { id commentCount viewerCanEdit fileUrl }
"""
COMMENT_ADDED = (
    "subscription ($videoId: ID!) { commentAdded(videoId: $videoId) {" + COMMENT_FIELDS + "} }"
)
COMMENT_BY_ID = "query ($id: ID!) { node(id: $id) { ... on Comment {" + COMMENT_FIELDS + "} } }"
FAILURE = "... on OperationInfo { messages { message code } }"
VIDEO_STATS = """subscription ($videoId: ID!) {
  videoStats(videoId: $videoId) { videoId viewsCount likeCount dislikeCount commentCount }
}"""


def mp4_bytes() -> bytes:
    """A minimal MP4 (an `ftyp` box), which is what the upload check sniffs."""
    return struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 0x200) + b"isomiso2"


# --- HTTP: the data, made as a client makes it ---


class Api:
    """GraphQL over HTTP against one server; writes use bearer tokens."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.http = httpx.AsyncClient(base_url=f"http://{host}", timeout=WAIT)

    async def post(self, query: str, variables: dict | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql/", json={"query": query, "variables": variables or {}}, headers=headers
        )
        self.http.cookies.clear()  # every call stands alone (no session cookie, no CSRF)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def user(self, nickname: str) -> str:
        """Register and sign in a new user; returns the bearer token."""
        email = f"{nickname}-{uuid.uuid4().hex[:8]}@example.com"
        password = "correct-horse-battery-9"
        register = f"""mutation ($input: RegisterInput!) {{
          register(input: $input) {{ ... on User {{ id }} {FAILURE} }}
        }}"""
        data = await self.post(
            register, {"input": {"email": email, "password": password, "nickname": nickname}}
        )
        assert "id" in data["register"], data
        login = """mutation ($email: String!, $password: String!) {
          login(email: $email, password: $password) { ... on LoginPayload { token } }
        }"""
        data = await self.post(login, {"email": email, "password": password})
        return data["login"]["token"]

    async def video(self, token: str, visibility: str = "PUBLIC") -> str:
        """A new channel of the token's user with one video; returns the video's id."""
        channel = """mutation ($input: CreateChannelInput!) {
          createChannel(input: $input) { ... on Channel { id } }
        }"""
        handle = f"ch-{uuid.uuid4().hex[:10]}"
        data = await self.post(channel, {"input": {"handle": handle, "name": handle}}, token)
        create = f"""mutation ($input: CreateVideoInput!) {{
          createVideo(input: $input) {{ ... on Video {{ id }} {FAILURE} }}
        }}"""
        variables = {
            "input": {
                "channelId": data["createChannel"]["id"],
                "title": "Live",
                "visibility": visibility,
                "file": None,
            }
        }
        response = await self.http.post(
            "/graphql/",
            data={
                "operations": json.dumps({"query": create, "variables": variables}),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": ("clip.mp4", mp4_bytes(), "video/mp4")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        payload = response.json()["data"]["createVideo"]
        assert "id" in payload, payload
        return payload["id"]

    async def comment(
        self, token: str, video_id: str, content: str, parent_id: str | None = None
    ) -> str:
        add = f"""mutation ($input: AddCommentInput!) {{
          addComment(input: $input) {{ ... on Comment {{ id }} {FAILURE} }}
        }}"""
        data = await self.post(
            add, {"input": {"videoId": video_id, "content": content, "parentId": parent_id}}, token
        )
        assert "id" in data["addComment"], data
        return data["addComment"]["id"]

    async def rate(self, token: str, video_id: str, rating: str) -> None:
        rate = """mutation ($id: ID!, $rating: Rating!) {
          rateVideo(videoId: $id, rating: $rating) { ... on Video { likeCount } }
        }"""
        await self.post(rate, {"id": video_id, "rating": rating}, token)

    async def view(self, video_id: str) -> None:
        view = "mutation ($id: ID!) { recordView(videoId: $id) { ... on Video { id } } }"
        await self.post(view, {"id": video_id})

    async def __aenter__(self) -> "Api":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.http.aclose()


def run(host: str, scenario: Callable[[Api], Awaitable[None]]) -> None:
    """Run a test's scenario in an event loop of its own, with an API client for `host`."""

    async def main() -> None:
        async with Api(host) as api:
            await scenario(api)

    asyncio.run(main())


# --- Websockets: a small graphql-transport-ws / graphql-ws client ---


class Socket:
    """One websocket speaking `protocol`; frames are JSON objects."""

    def __init__(self, ws: ClientConnection, protocol: str) -> None:
        self.ws = ws
        self.protocol = protocol

    async def send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, timeout: float = WAIT) -> dict:
        """The next protocol frame, answering pings and skipping keep-alives."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] == "ping":
                await self.send({"type": "pong"})
            elif message["type"] not in {"pong", "ka"}:
                return message

    async def silence(self, seconds: float = QUIET) -> None:
        """Assert that no frame arrives for a while."""
        with contextlib.suppress(TimeoutError):
            message = await self.receive(timeout=seconds)
            raise AssertionError(f"unexpected frame {message}")

    async def subscribe(self, op_id: str, query: str, variables: dict | None = None) -> None:
        kind = "subscribe" if self.protocol == TRANSPORT_WS else "start"
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": op_id, "type": kind, "payload": payload})

    async def stop(self, op_id: str) -> None:
        await self.send(
            {"id": op_id, "type": "complete" if self.protocol == TRANSPORT_WS else "stop"}
        )

    async def result(self, op_id: str, timeout: float = WAIT) -> dict:
        """The payload of the next `next`/`data` frame, which must be for `op_id`."""
        message = await self.receive(timeout)
        assert message["type"] in {"next", "data"} and message["id"] == op_id, message
        return message["payload"]

    async def data(self, op_id: str, field: str, timeout: float = WAIT) -> dict:
        payload = await self.result(op_id, timeout)
        assert "errors" not in payload, payload
        return payload["data"][field]

    async def error(self, op_id: str) -> list[dict]:
        """The errors that refused `op_id` before it started (an `error` frame)."""
        message = await self.receive()
        assert message["type"] == "error" and message["id"] == op_id, message
        payload = message["payload"]
        return payload if isinstance(payload, list) else [payload]


@contextlib.asynccontextmanager
async def socket(
    host: str,
    *,
    protocol: str = TRANSPORT_WS,
    init: dict | None = None,
    origin: str | None = None,
    cookie: str | None = None,
) -> AsyncIterator[Socket]:
    """A connection that has sent `connection_init` (with `init` as payload) and been acked."""
    headers = {"Cookie": cookie} if cookie else None
    async with connect(
        f"ws://{host}/graphql/",
        subprotocols=[protocol],  # type: ignore[list-item]
        origin=origin,  # type: ignore[arg-type]
        additional_headers=headers,
        open_timeout=WAIT,
        close_timeout=1,
    ) as ws:
        conn = Socket(ws, protocol)
        await conn.send({"type": "connection_init", "payload": init or {}})
        ack = await conn.receive()
        assert ack["type"] == "connection_ack", ack
        yield conn


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def codes(errors: list[dict]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in errors]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """host:port of a uvicorn process with the in-memory channel layer."""
    env = {
        **SERVER_ENV,
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "GRAPHQL_WS_MAX_SUBSCRIPTIONS": str(MAX_SUBSCRIPTIONS),
        "GRAPHQL_WS_INIT_TIMEOUT_SECONDS": str(INIT_TIMEOUT),
    }
    with serving(django_db_blocker, env) as url:
        yield url.removeprefix("http://")


@pytest.fixture
def host(server: str, transactional_db) -> str:
    """The server for one test; the tables are emptied after it."""
    return server


def test_new_comments_and_replies_arrive_as_a_query_returns_them(host: str):
    """A comment and a reply posted over HTTP reach subscribers of the video at once, with
    the fields a query returns to each of them: the bearer token in connection_init signs
    the socket in (viewerCanEdit on one's own comment), an anonymous socket sees false."""

    async def scenario(api: Api) -> None:
        alice, bob = await api.user("alice"), await api.user("bob")
        video = await api.video(alice)
        async with socket(api.host, init=bearer(bob)) as bobs, socket(api.host) as anon:
            await bobs.subscribe("c", COMMENT_ADDED, {"videoId": video})
            await anon.subscribe("c", COMMENT_ADDED, {"videoId": video})
            await asyncio.sleep(0.3)  # both have joined the video's group

            comment = await api.comment(bob, video, "First!")
            seen_by_bob = await bobs.data("c", "commentAdded")
            seen_by_anon = await anon.data("c", "commentAdded")
            queried = await api.post(COMMENT_BY_ID, {"id": comment}, bob)
            assert seen_by_bob == queried["node"]
            assert seen_by_bob["author"] == {"nickname": "bob"}
            assert seen_by_bob["video"]["fileUrl"].startswith(f"http://{api.host}/media/")
            assert seen_by_bob["parent"] is None
            assert (seen_by_bob["viewerCanEdit"], seen_by_anon["viewerCanEdit"]) == (True, False)
            assert seen_by_anon == (await api.post(COMMENT_BY_ID, {"id": comment}))["node"]

            reply = await api.comment(alice, video, "Welcome", parent_id=comment)
            reply_seen = await bobs.data("c", "commentAdded")
            assert reply_seen["id"] == reply
            assert reply_seen["parent"] == {"id": comment}
            assert reply_seen["video"]["commentCount"] == 2
            assert (reply_seen["viewerCanEdit"], reply_seen["viewerCanDelete"]) == (False, False)
            assert (await anon.data("c", "commentAdded"))["id"] == reply

    run(host, scenario)


def test_legacy_graphql_ws_protocol(host: str):
    """The legacy graphql-ws protocol (subscriptions-transport-ws clients) works the same:
    `start` gets `data` frames, `stop` ends the subscription with `complete`, a bad id gets
    an `error` frame."""

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)
        async with socket(api.host, protocol=LEGACY_WS, init=bearer(alice)) as legacy:
            await legacy.subscribe("1", COMMENT_ADDED, {"videoId": video})
            await asyncio.sleep(0.3)
            comment = await api.comment(alice, video, "Over the old protocol")
            seen = await legacy.data("1", "commentAdded")
            assert (seen["id"], seen["viewerCanEdit"]) == (comment, True)
            await legacy.stop("1")
            assert await legacy.receive() == {"type": "complete", "id": "1"}
            await legacy.subscribe("2", VIDEO_STATS, {"videoId": to_base64("Video", 0)})
            errors = await legacy.error("2")
            assert errors[0]["message"] == "No Video with this id exists.", errors
            assert codes(errors) == ["NOT_FOUND"]

    run(host, scenario)


def test_completing_a_subscription_stops_its_delivery(host: str):
    """After `complete`, that subscription gets nothing more; the connection and its other
    subscriptions carry on."""

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)
        async with socket(api.host) as conn:
            await conn.subscribe("a", COMMENT_ADDED, {"videoId": video})
            await conn.subscribe("b", COMMENT_ADDED, {"videoId": video})
            await asyncio.sleep(0.3)
            await api.comment(alice, video, "to both")
            first = {(await conn.receive())["id"], (await conn.receive())["id"]}
            assert first == {"a", "b"}

            await conn.stop("a")
            await asyncio.sleep(0.3)
            later = await api.comment(alice, video, "to b only")
            assert (await conn.data("b", "commentAdded"))["id"] == later
            await conn.silence()

            await conn.stop("b")
            await asyncio.sleep(0.3)
            await api.comment(alice, video, "to nobody")
            await conn.silence()

    run(host, scenario)


def test_stats_start_with_current_values_and_follow_changes(host: str):
    """videoStats sends the counters at once, then after a rating, a comment, and a burst of
    views; the burst arrives coalesced (far fewer events than views), ending on the total."""

    async def scenario(api: Api) -> None:
        alice, bob = await api.user("alice"), await api.user("bob")
        video = await api.video(alice)
        async with socket(api.host) as conn:
            await conn.subscribe("s", VIDEO_STATS, {"videoId": video})
            initial = await conn.data("s", "videoStats")
            assert initial == {
                "videoId": video,
                "viewsCount": 0,
                "likeCount": 0,
                "dislikeCount": 0,
                "commentCount": 0,
            }
            await api.rate(bob, video, "LIKE")
            assert (await conn.data("s", "videoStats"))["likeCount"] == 1
            await api.rate(alice, video, "DISLIKE")
            assert (await conn.data("s", "videoStats"))["dislikeCount"] == 1
            await api.comment(bob, video, "counted")
            assert (await conn.data("s", "videoStats"))["commentCount"] == 1

            views = 12
            await asyncio.gather(*(api.view(video) for _ in range(views)))
            frames = [await conn.data("s", "videoStats")]
            while frames[-1]["viewsCount"] < views:
                frames.append(await conn.data("s", "videoStats"))
            assert frames[-1] == {
                **initial,
                "viewsCount": views,
                "likeCount": 1,
                "dislikeCount": 1,
                "commentCount": 1,
            }
            assert len(frames) <= views // 3, frames
            await conn.silence()  # a settled burst sends nothing more

    run(host, scenario)


def test_unknown_malformed_and_hidden_videos_are_refused_with_a_message(host: str):
    """A bad videoId refuses that subscription with an `error` frame saying why (not a
    dropped socket); the owner of a PRIVATE video may follow it, nobody else may."""

    async def scenario(api: Api) -> None:
        alice, bob = await api.user("alice"), await api.user("bob")
        private = await api.video(alice, visibility="PRIVATE")
        unknown = to_base64("Video", 999_999_999)
        async with socket(api.host, init=bearer(bob)) as conn:
            for op_id, video_id in [("1", "not-an-id"), ("2", to_base64("Channel", 1))]:
                await conn.subscribe(op_id, COMMENT_ADDED, {"videoId": video_id})
                errors = await conn.error(op_id)
                assert codes(errors) == ["BAD_USER_INPUT"], errors
                assert errors[0]["extensions"]["field"] == "videoId"
                assert errors[0]["message"] in {
                    "'not-an-id' is not a valid Video id.",
                    "Expected a Video id, got a Channel id.",
                }
            for op_id, video_id in [("3", unknown), ("4", private)]:
                await conn.subscribe(op_id, VIDEO_STATS, {"videoId": video_id})
                errors = await conn.error(op_id)
                assert errors[0]["message"] == "No Video with this id exists."
                assert codes(errors) == ["NOT_FOUND"]
            # The socket is still open and usable.
            public = await api.video(alice)
            await conn.subscribe("5", VIDEO_STATS, {"videoId": public})
            assert (await conn.data("5", "videoStats"))["videoId"] == public
        async with socket(api.host, init=bearer(alice)) as owner:
            await owner.subscribe("1", VIDEO_STATS, {"videoId": private})
            assert (await owner.data("1", "videoStats"))["videoId"] == private

    run(host, scenario)


def nested(depth: int) -> str:
    """A selection under commentAdded whose leaf is at `depth` (the root field is at 0, as
    QueryDepthLimiter counts): parent { parent { ... id } }."""
    return "parent { " * (depth - 1) + "id" + " }" * (depth - 1)


def test_http_limits_apply_to_subscriptions(host: str):
    """The limits of HTTP refuse subscription documents too, each with a message: depth,
    aliases, tokens and cost; a connection runs at most GRAPHQL_WS_MAX_SUBSCRIPTIONS
    operations; queries and mutations belong on HTTP. The socket stays open throughout."""

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)
        v = {"videoId": video}
        too_deep = "subscription ($videoId: ID!) { commentAdded(videoId: $videoId) { %s } }"
        aliases = " ".join(f"a{i}: id" for i in range(31))
        tokens = " ".join(["id"] * 2100)
        costly = """subscription ($videoId: ID!, $n: Int) { commentAdded(videoId: $videoId) {
          replies(first: $n) { edges { node { replies(first: 100) { totalCount } } } }
          video { comments(first: 100) { totalCount } }
        } }"""
        async with socket(api.host) as conn:
            await conn.subscribe("depth-ok", too_deep % nested(10), v)
            await conn.subscribe("depth", too_deep % nested(11), v)
            errors = await conn.error("depth")
            assert "exceeds maximum operation depth of 10" in errors[0]["message"], errors
            await conn.stop("depth-ok")

            await conn.subscribe("aliases", too_deep % aliases, v)
            assert "aliases" in (await conn.error("aliases"))[0]["message"]
            await conn.subscribe("tokens", too_deep % tokens, v)
            errors = await conn.error("tokens")
            assert "more than 2000 tokens" in errors[0]["message"], errors
            assert codes(errors) == ["GRAPHQL_VALIDATION_FAILED"]
            await conn.subscribe("cost", costly, {**v, "n": 100})
            errors = await conn.error("cost")
            assert codes(errors) == ["QUERY_TOO_COSTLY"], errors
            assert "10100" in errors[0]["message"]

            for op_id, document in [("q", "query { viewer { id } }"), ("m", "mutation { logout }")]:
                await conn.subscribe(op_id, document)
                errors = await conn.error(op_id)
                assert codes(errors) == ["BAD_USER_INPUT"], errors
                assert "websockets carry subscriptions" in errors[0]["message"]

            for n in range(MAX_SUBSCRIPTIONS):
                await conn.subscribe(f"s{n}", COMMENT_ADDED, v)
            await conn.subscribe("one-too-many", COMMENT_ADDED, v)
            assert (await conn.error("one-too-many"))[0]["message"] == "Subscription limit reached"
            await conn.stop("s0")
            await asyncio.sleep(0.2)
            await conn.subscribe("room-again", VIDEO_STATS, v)
            assert (await conn.data("room-again", "videoStats"))["videoId"] == video

    run(host, scenario)


def test_handshake_origin_and_authentication(host: str):
    """Origins: a foreign page cannot open a socket (403); a page of the site itself can, and
    its session cookie signs it in, as GraphiQL does; a client without Origin (not a
    browser) can. A bad bearer token refuses the connection (4403) instead of leaving it
    silently anonymous."""

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)

        with pytest.raises(InvalidStatus) as refused:
            async with socket(api.host, origin="http://evil.example"):
                pass
        assert refused.value.response.status_code == 403

        # GraphiQL, the page GET /graphql/ serves (Strawberry's, or one built locally), gives
        # its fetcher a subscriptionUrl: the page's own URL with ws: (wss: under https).
        page = await api.http.get("/graphql/", headers={"Accept": "text/html"})
        assert page.status_code == 200
        sources = page.text
        for src in re.findall(r'<script[^>]*\ssrc="(/[^"]+)"', page.text):  # its own scripts
            sources += (await api.http.get(src)).text
        assert "subscriptionUrl" in sources
        assert re.search(r"[`\"']wss:[`\"']", sources) and re.search(r"[`\"']ws:[`\"']", sources)
        # As that page does in a browser: same origin, signed in by the session cookie.
        session = await session_cookie(api, "carol")
        async with socket(api.host, origin=f"http://{api.host}", cookie=session.cookie) as page_ws:
            await page_ws.subscribe("c", COMMENT_ADDED, {"videoId": video})
            await asyncio.sleep(0.3)
            await api.comment(session.token, video, "from GraphiQL")
            assert (await page_ws.data("c", "commentAdded"))["viewerCanEdit"] is True

        for init in ({"authorization": "Bearer not-a-token"}, {"authorization": "Basic abc"}):
            with pytest.raises(ConnectionClosed) as closed:
                async with socket(api.host, init=init):
                    pass
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403

    run(host, scenario)


class Session:
    def __init__(self, cookie: str, token: str) -> None:
        self.cookie, self.token = cookie, token


async def session_cookie(api: Api, nickname: str) -> Session:
    """Register and sign in; returns the session cookie the sign-in set, and the token."""
    email = f"{nickname}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct-horse-battery-9"
    register = """mutation ($input: RegisterInput!) { register(input: $input) { __typename } }"""
    await api.post(
        register, {"input": {"email": email, "password": password, "nickname": nickname}}
    )
    login = """mutation ($email: String!, $password: String!) {
      login(email: $email, password: $password) { ... on LoginPayload { token } }
    }"""
    response = await api.http.post(
        "/graphql/", json={"query": login, "variables": {"email": email, "password": password}}
    )
    cookies: Any = response.cookies
    api.http.cookies.clear()
    return Session(f"sessionid={cookies['sessionid']}", response.json()["data"]["login"]["token"])


def test_a_connection_that_never_initialises_is_closed(host: str):
    """A socket that never sends `connection_init` is closed after
    GRAPHQL_WS_INIT_TIMEOUT_SECONDS (4408), so idle sockets cannot pile up."""

    async def scenario(api: Api) -> None:
        async with connect(f"ws://{api.host}/graphql/", subprotocols=[TRANSPORT_WS]) as ws:  # type: ignore[list-item]
            started = asyncio.get_running_loop().time()
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), INIT_TIMEOUT + WAIT)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408
            assert asyncio.get_running_loop().time() - started >= INIT_TIMEOUT - 0.5

    run(host, scenario)


def test_a_subscription_sent_over_http_is_refused_with_a_message(host: str):
    """Over HTTP a subscription document is refused (BAD_USER_INPUT, pointing to the
    websocket) instead of failing as an internal error."""

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)
        for accept in ("application/json", "multipart/mixed;subscriptionSpec=1.0"):
            response = await api.http.post(
                "/graphql/",
                json={"query": VIDEO_STATS, "variables": {"videoId": video}},
                headers={"Accept": accept},
            )
            assert response.status_code == 200, response.text
            errors = response.json()["errors"]
            assert codes(errors) == ["BAD_USER_INPUT"], errors
            assert "websocket at /graphql/" in errors[0]["message"]

    run(host, scenario)
