"""Plumbing shared by the GraphQL subscriptions (graphql_schema/*/subscriptions.py).

Services publish events on the Channels layer after commit (project/core/events.py); the
websocket consumer of each connection (graphql_schema/websocket.py) joins the layer's groups
that its subscriptions name. Subscriptions run in the consumer's event loop: database work
goes through `database_sync_to_async`, which returns each connection to the pool.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from channels.db import database_sync_to_async
from graphql import DocumentNode, GraphQLError
from strawberry.channels.handlers.base import ChannelsConsumer
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, Info
from strawberry.types.graphql import OperationType

from graphql_schema.errors import BAD_USER_INPUT, UNAVAILABLE, ClientError
from graphql_schema.ids import parse_global_id, visible_queryset
from graphql_schema.limits import LimitExceeded, check_cost
from graphql_schema.videos.types import VideoType
from project.core.errors import ErrorCode
from project.videos.models import Video

logger = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")

# Group memberships expire on the layer (a day by default); a subscription that lives that
# long re-joins its group at half that age so it keeps receiving.
GROUP_REFRESH_FRACTION = 0.5


OVER_WEBSOCKETS_ONLY = (
    "Subscriptions run over a websocket at /graphql/ (graphql-transport-ws or graphql-ws "
    "protocol), not over HTTP."
)


def _consumer(context: Any) -> ChannelsConsumer | None:
    ws = context.get("ws") if isinstance(context, dict) else None
    return ws if isinstance(ws, ChannelsConsumer) else None


def consumer_of(info: Info) -> ChannelsConsumer:
    """The websocket consumer running this subscription."""
    ws = _consumer(info.context)
    if ws is None:
        raise ClientError(OVER_WEBSOCKETS_ONLY)
    return ws


class SubscriptionsOverWebsocketsOnly(SchemaExtension):
    """Refuses, with a message, a subscription sent over HTTP.

    The HTTP view accepts subscription documents and would execute one like a query, which
    fails with an internal error (there is no event to resolve); subscriptions run over
    websockets only.
    """

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if (
            not ctx.result
            and ctx.graphql_document is not None
            and ctx.operation_type is OperationType.SUBSCRIPTION
            and _consumer(ctx.context) is None
        ):
            error = GraphQLError(OVER_WEBSOCKETS_ONLY, extensions={"code": BAD_USER_INPUT})
            ctx.result = ExecutionResult(data=None, errors=[error])
        yield


def _visible_video_pk(info: Info, raw_id: str) -> int:
    # A malformed id, or one of another type, fails as it does in HTTP queries.
    pk = parse_global_id(raw_id, VideoType, field="videoId")
    # The one visibility gate (VideoType.get_queryset): PUBLIC and UNLISTED videos, and
    # PRIVATE ones to their owner; anything else reads as unknown.
    if not video_is_visible(info, pk):
        raise ClientError("No Video with this id exists.", ErrorCode.NOT_FOUND)
    return pk


def video_is_visible(info: Info, pk: int) -> bool:
    return visible_queryset(info, VideoType, Video).filter(pk=pk).exists()


async def start_on_video(info: Info, raw_video_id: str) -> int:
    """The checks a video's subscription passes before it starts, each refused with a clear
    error on the subscription: websockets only, the cost limit, and a video the viewer may
    see. Returns the video's pk."""
    consumer_of(info)
    enforce_cost(info)
    return await database_sync_to_async(_visible_video_pk)(info, raw_video_id)


def enforce_cost(info: Info) -> None:
    """The query-cost limit of HTTP, for a subscription's selection.

    The limiter extension answers before execution by setting the operation's result, which
    Strawberry honours for queries and mutations but not for subscriptions; so it is checked
    here, when a subscription starts, with the same rule.
    """
    raw = info._raw_info
    document = DocumentNode(definitions=(raw.operation, *raw.fragments.values()))
    # Coerced values (graphql-core types them as VariableValues, and passes a dict).
    variables: Any = getattr(raw.variable_values, "coerced", raw.variable_values)
    try:
        check_cost(info.schema._schema, document, None, dict(variables or {}))
    except LimitExceeded as error:
        raise ClientError(str(error), error.code) from None


async def _keep_membership(ws: ChannelsConsumer, group: str) -> None:
    layer = ws.channel_layer
    assert layer is not None
    interval = float(getattr(layer, "group_expiry", 86_400)) * GROUP_REFRESH_FRACTION
    while True:
        await asyncio.sleep(interval)
        try:
            await layer.group_add(group, ws.channel_name)
        except Exception:
            logger.warning("could not refresh membership of %s", group, exc_info=True)


@contextlib.asynccontextmanager
async def listen(info: Info, message_type: str, group: str) -> AsyncIterator[AsyncGenerator]:
    """The layer's messages of `message_type` sent to `group`, for as long as the block runs.

    The group is joined before the block starts, so nothing published after that is missed.
    """
    ws = consumer_of(info)
    async with contextlib.AsyncExitStack() as stack:
        try:
            messages = await stack.enter_async_context(
                ws.listen_to_channel(message_type, groups=[group])
            )
        except Exception as error:
            logger.warning("could not join %s", group, exc_info=True)
            raise ClientError(
                "Live updates are unavailable right now; try again shortly.", UNAVAILABLE
            ) from error
        refresher = asyncio.create_task(_keep_membership(ws, group))
        stack.push_async_callback(_cancel, refresher)
        yield messages


async def _cancel(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Changes:
    """Tells a subscriber that something changed, a burst at a time.

    Messages only say "this changed"; `next_burst` waits for one, lets the burst settle for
    `window` seconds, and returns the loop time of the last message seen, so the caller can
    then read fresh state that includes every change announced so far.
    """

    def __init__(self) -> None:
        self._pending = asyncio.Event()
        self.last_seen = asyncio.get_running_loop().time()

    def mark(self) -> None:
        self.last_seen = asyncio.get_running_loop().time()
        self._pending.set()

    async def next_burst(self, window: float) -> float:
        await self._pending.wait()
        await asyncio.sleep(window)
        # No await between these two lines: a message arriving later sets the flag again.
        self._pending.clear()
        return self.last_seen


@contextlib.asynccontextmanager
async def changes(info: Info, message_type: str, group: str) -> AsyncIterator[Changes]:
    """Like `listen`, for subscribers that re-read state instead of using each message."""
    async with listen(info, message_type, group) as messages:
        signal = Changes()

        async def pump() -> None:
            async for _ in messages:
                signal.mark()

        task = asyncio.create_task(pump())
        try:
            yield signal
        finally:
            await _cancel(task)


class SharedReads(Generic[K, V]):
    """One read per key and burst for all the subscribers of this process.

    A caller asks for a read that started no earlier than `not_before` (the loop time of the
    last event it has seen): any such read, running or just finished, is shared instead of
    querying again. Subscribers of a video wake together after a burst, so a popular video
    costs one query per process per burst, not one per subscriber.
    """

    KEEP_SECONDS = 2.0  # finished reads stay shareable this long

    def __init__(self, fetch: Callable[[K], Awaitable[V]]) -> None:
        self._fetch = fetch
        self._reads: dict[tuple[asyncio.AbstractEventLoop, K], tuple[float, asyncio.Future]] = {}

    async def read(self, key: K, *, not_before: float) -> V:
        loop = asyncio.get_running_loop()
        slot = (loop, key)
        current = self._reads.get(slot)
        if current is None or current[0] < not_before:
            current = (loop.time(), asyncio.ensure_future(self._fetch(key)))
            self._reads[slot] = current
            loop.call_later(self.KEEP_SECONDS, self._forget, slot, current[1])
        # Shielded: one subscriber leaving must not cancel the read the others wait for.
        return await asyncio.shield(current[1])

    def _forget(self, slot: tuple[asyncio.AbstractEventLoop, Any], future: asyncio.Future) -> None:
        if self._reads.get(slot, (0.0, None))[1] is future:
            del self._reads[slot]
            if future.done() and not future.cancelled():
                future.exception()  # retrieved, so an unawaited failure is not reported twice
