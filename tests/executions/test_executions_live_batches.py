"""Sends to a shared (Redis) channel layer leave from one sender loop per process: what piles up
while a send is under way leaves as one batch per destination, in order, and a work-queue
channel hands each message to one of its receivers (the runners' starts)."""

import asyncio
import uuid

import pytest
import redis
from channels.layers import get_channel_layer

from executions import live

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_layer(settings):
    redis.Redis.from_url(REDIS_URL).ping()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    return get_channel_layer()


def test_rings_piling_up_leave_as_batches_in_order(redis_layer):
    async def receive_all() -> tuple[list[int], int]:
        channel = await redis_layer.new_channel()
        await redis_layer.group_add("watchers", channel)
        for n in range(300):
            live.ring("watchers", {"type": "note", "n": n})
        got, received = [], 0
        while len(got) < 300:
            message = await asyncio.wait_for(redis_layer.receive(channel), 10)
            received += 1
            got += [each["n"] for each in live.unbatched(message)]
        return got, received

    got, received = asyncio.run(receive_all())
    assert got == list(range(300))
    assert received < 300  # batched, at most live.BATCH a message
    assert received >= 300 / live.BATCH


def test_a_work_queue_hands_each_message_to_one_receiver(redis_layer):
    queue = f"test.queue.{uuid.uuid4().hex[:8]}"

    async def take(seen: list[int]) -> None:
        # Never cancelled while messages are due: a receive cancelled after its pop took a
        # message loses it (channels-redis' receive is cancellation-safe only on "!" channels).
        while True:
            message = await redis_layer.receive(queue)
            seen += [each["n"] for each in live.unbatched(message)]

    async def share() -> tuple[list[int], list[int]]:
        first, second = [], []
        takers = [asyncio.ensure_future(take(first)), asyncio.ensure_future(take(second))]
        for n in range(200):
            live.send(queue, {"type": "runner.submit", "n": n})
            if n % 20 == 0:
                await asyncio.sleep(0.01)  # some alone, some piled up
        while len(first) + len(second) < 200:
            await asyncio.sleep(0.05)
        for taker in takers:  # every message is in: nothing is left to lose
            taker.cancel()
        await asyncio.gather(*takers, return_exceptions=True)
        return first, second

    first, second = asyncio.run(asyncio.wait_for(share(), 30))
    assert sorted(first + second) == list(range(200))  # each once
