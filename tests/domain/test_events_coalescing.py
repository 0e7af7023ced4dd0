"""How subscribers turn a burst of "changed" events into few fresh reads
(graphql_schema/live.py): each waits for a burst to settle, and the subscribers of one
process share one read per burst, never a read that started before an event they saw."""

import asyncio

from graphql_schema.live import Changes, SharedReads


def test_a_burst_of_changes_is_one_wake_up_after_it_settles():
    async def main() -> None:
        loop = asyncio.get_running_loop()
        changes = Changes()

        async def burst() -> None:
            for _ in range(10):
                changes.mark()
                await asyncio.sleep(0.01)

        started = loop.time()
        sender = asyncio.create_task(burst())
        seen = await changes.next_burst(0.3)
        await sender
        assert loop.time() - started >= 0.3
        assert seen == changes.last_seen  # the last event of the burst was seen
        # Nothing is pending any more: the next wake-up needs a new event.
        waiting = asyncio.create_task(changes.next_burst(0.0))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        changes.mark()
        assert await waiting >= seen

    asyncio.run(main())


def test_subscribers_of_one_burst_share_one_read():
    async def main() -> None:
        loop = asyncio.get_running_loop()
        fetched: list[int] = []

        async def fetch(key: int) -> int:
            fetched.append(key)
            await asyncio.sleep(0.05)
            return len(fetched)

        reads: SharedReads[int, int] = SharedReads(fetch)
        event_seen_at = loop.time()
        results = await asyncio.gather(
            *(reads.read(1, not_before=event_seen_at) for _ in range(50))
        )
        assert results == [1] * 50
        assert fetched == [1]
        # Just finished, it still serves a subscriber whose event came before it started...
        assert await reads.read(1, not_before=event_seen_at) == 1
        # ...but not one that saw an event after it started, nor another video.
        assert await reads.read(1, not_before=loop.time()) == 2
        assert await reads.read(2, not_before=event_seen_at) == 3
        assert fetched == [1, 1, 2]

    asyncio.run(main())


def test_a_subscriber_leaving_does_not_cancel_the_shared_read():
    async def main() -> None:
        loop = asyncio.get_running_loop()

        async def fetch(key: int) -> str:
            await asyncio.sleep(0.1)
            return "fresh"

        reads: SharedReads[int, str] = SharedReads(fetch)
        now = loop.time()
        leaving = asyncio.create_task(reads.read(1, not_before=now))
        staying = asyncio.create_task(reads.read(1, not_before=now))
        await asyncio.sleep(0.02)
        leaving.cancel()
        assert await staying == "fresh"

    asyncio.run(main())
