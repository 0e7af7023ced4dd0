"""Subscriptions across processes and through the deployment's shape.

- Two uvicorn processes sharing the Redis channel layer: a write served by one reaches the
  subscribers of both (Redis on 127.0.0.1:6379; skipped when it is not running, a failure
  in CI).
- Shutdown: SIGTERM closes open sockets with 1012 (service restart) and the server exits.
- nginx (proxy/) in front of the container entrypoint: the websocket upgrade and the origin
  check pass through the proxy.
"""

import asyncio
import os
import signal
import socket as sockets
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed

from tests.e2e.conftest import free_port, start_uvicorn, stop
from tests.e2e.test_subscriptions import (
    COMMENT_ADDED,
    SERVER_ENV,
    VIDEO_STATS,
    WAIT,
    Api,
    bearer,
    run,
    socket,
)

pytestmark = pytest.mark.e2e

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 9


def require_redis() -> None:
    try:
        with sockets.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return
    except OSError:
        message = f"Redis is not running on {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def redis_pair(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """host:port of two uvicorn processes sharing one Redis channel layer (and media)."""
    require_redis()
    env = {
        **SERVER_ENV,
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        # Keeps this run's groups apart from anything else using the same Redis.
        "CHANNEL_LAYER_PREFIX": f"test-subscriptions-{uuid.uuid4().hex[:8]}:",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    processes: list[subprocess.Popen] = []
    try:
        with django_db_blocker.unblock():
            ports = [free_port(), free_port()]
            for port in ports:
                processes.append(start_uvicorn(port, env))
        yield f"127.0.0.1:{ports[0]}", f"127.0.0.1:{ports[1]}"
    finally:
        for process in processes:
            stop(process)


def test_a_write_on_one_process_reaches_subscribers_on_both(redis_pair, transactional_db):
    """Subscribers on process A and on process B; the comment and the rating are written
    through B; both deliver them (with each subscriber's own viewer fields)."""
    host_a, host_b = redis_pair

    async def scenario(api_b: Api) -> None:
        alice, bob = await api_b.user("alice"), await api_b.user("bob")
        video = await api_b.video(alice)
        async with socket(host_a) as on_a, socket(host_b, init=bearer(bob)) as on_b:
            await on_a.subscribe("c", COMMENT_ADDED, {"videoId": video})
            await on_a.subscribe("s", VIDEO_STATS, {"videoId": video})
            await on_b.subscribe("c", COMMENT_ADDED, {"videoId": video})
            assert (await on_a.data("s", "videoStats"))["commentCount"] == 0
            await asyncio.sleep(0.3)  # all have joined their groups

            comment = await api_b.comment(bob, video, "Across processes")
            frames = {}
            for _ in range(2):  # the comment and the new count, in either order
                message = await on_a.receive()
                frames[message["id"]] = message["payload"]["data"]
            assert frames["c"]["commentAdded"]["id"] == comment
            assert frames["c"]["commentAdded"]["viewerCanEdit"] is False
            assert frames["s"]["videoStats"]["commentCount"] == 1
            seen_on_b = await on_b.data("c", "commentAdded")
            assert (seen_on_b["id"], seen_on_b["viewerCanEdit"]) == (comment, True)

            await api_b.rate(bob, video, "LIKE")
            assert (await on_a.data("s", "videoStats"))["likeCount"] == 1

    run(host_b, scenario)


def test_shutdown_closes_open_sockets_with_service_restart(
    django_db_setup, django_db_blocker, transactional_db, tmp_path
):
    """On SIGTERM uvicorn closes every socket, idle or subscribed, with 1012 (clients
    reconnect elsewhere), the consumers end their subscriptions, and the process exits at
    once instead of waiting for clients to leave."""
    env = {**SERVER_ENV, "REDIS_URL": "", "MEDIA_ROOT": str(tmp_path)}
    port = free_port()
    process = start_uvicorn(port, env)
    host = f"127.0.0.1:{port}"
    try:

        async def scenario(api: Api) -> None:
            alice = await api.user("alice")
            video = await api.video(alice)
            async with socket(host) as idle, socket(host) as busy:
                await busy.subscribe("c", COMMENT_ADDED, {"videoId": video})
                await asyncio.sleep(0.3)
                started = time.monotonic()
                process.terminate()
                for conn in (idle, busy):
                    with pytest.raises(ConnectionClosed) as closed:
                        await conn.receive(timeout=WAIT)
                    assert closed.value.rcvd is not None, closed.value
                    assert closed.value.rcvd.code == 1012
                # After its graceful shutdown uvicorn re-raises the signal it caught.
                assert await asyncio.to_thread(process.wait, WAIT) == -signal.SIGTERM
                assert time.monotonic() - started < WAIT

        run(host, scenario)
    finally:
        if process.poll() is None:
            stop(process)


def test_subscriptions_through_nginx(proxy_server_url: str, transactional_db):
    """Through the proxy: the upgrade reaches the app, the Host it forwards makes a page of
    the site same-origin (its session would sign the socket in), and events arrive."""
    host = proxy_server_url.removeprefix("http://")

    async def scenario(api: Api) -> None:
        alice = await api.user("alice")
        video = await api.video(alice)
        async with socket(host, origin=proxy_server_url, init=bearer(alice)) as conn:
            await conn.subscribe("c", COMMENT_ADDED, {"videoId": video})
            await conn.subscribe("s", VIDEO_STATS, {"videoId": video})
            assert (await conn.data("s", "videoStats"))["commentCount"] == 0
            await asyncio.sleep(0.3)
            comment = await api.comment(alice, video, "Through the proxy")
            frames = {}
            for _ in range(2):
                message = await conn.receive()
                frames[message["id"]] = message["payload"]["data"]
            assert frames["c"]["commentAdded"]["id"] == comment
            assert frames["c"]["commentAdded"]["viewerCanEdit"] is True
            assert frames["s"]["videoStats"]["commentCount"] == 1

    run(host, scenario)
