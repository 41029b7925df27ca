"""One subscription per process and execution, fanned out to that process's watchers.

Each WebSocket joining the execution's group itself made the layer deliver every ring once per
socket: channels_redis lists every member in the message and hands each a copy through two
tasks and an ``asyncio.wait`` per receive, and the in-memory layer copies it into a queue per
socket. That per-socket work, a hundred times a commit, was most of the delivery's tail. Here
the process joins the group once (on the loop its consumers run on), receives each ring once,
and hands it to each watcher in turn; a watcher's delivery never waits on the database (what
needs a read runs in a task of its own).

Watchers' reads of what they lack are shared too: those asking for an execution's events after
the same id while a read of that execution runs share the next read, which starts once the
running one ends (so it starts after each of them subscribed, and misses nothing committed
before). A crowd joining at once (one run view shared by a team) costs a few reads, not one
each queued behind the others while the execution's first burst of events waits for them.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from executions import live

logger = logging.getLogger(__name__)


# A safety net for rings the layer dropped: how often a quiet execution's progress is read.
CATCH_UP_SECONDS = 2.0


class Watcher(Protocol):
    async def deliver(self, message: dict) -> None: ...

    def check(self, status: str | None, last_event_id: int) -> None:
        """Read what it lacks, if it is behind the execution's committed progress."""


class Fanout:
    def __init__(self, layer) -> None:
        self.layer = layer
        self.watchers: dict[int, set[Watcher]] = {}
        # Per execution: the group membership, done once (later watchers wait for it, so none
        # reads its backlog before rings reach the process).
        self.joined: dict[int, asyncio.Future] = {}
        # Per execution: a membership being given up; a new watcher waits for it to end first.
        self.leaving: dict[int, asyncio.Future] = {}
        self.rung: dict[int, float] = {}
        self.pollers: dict[int, asyncio.Task] = {}
        # Per execution: one backlog read at a time; per (execution, after): the next one.
        self.read_locks: dict[int, asyncio.Lock] = {}
        self.next_reads: dict[tuple[int, int], asyncio.Future] = {}
        self.channel: str | None = None
        self.receiver: asyncio.Task | None = None
        self.ready = asyncio.Lock()

    async def watch(self, execution_id: int, watcher: Watcher) -> None:
        """Rings for ``execution_id`` reach ``watcher`` once this returns."""
        channel = await self._channel()
        self.watchers.setdefault(execution_id, set()).add(watcher)
        while (leaving := self.leaving.get(execution_id)) is not None:
            await asyncio.shield(leaving)
        joined = self.joined.get(execution_id)
        if joined is None:
            joined = self.joined[execution_id] = asyncio.ensure_future(
                self.layer.group_add(live.execution_group(execution_id), channel)
            )
        try:
            await asyncio.shield(joined)
        except Exception:
            self.joined.pop(execution_id, None)  # the next watcher tries again
            self.unwatch(execution_id, watcher)
            raise
        poller = self.pollers.get(execution_id)
        if poller is None or poller.done():
            self.pollers[execution_id] = asyncio.ensure_future(self._poll(execution_id))

    def unwatch(self, execution_id: int, watcher: Watcher) -> None:
        watchers = self.watchers.get(execution_id)
        if watchers is None:
            return
        watchers.discard(watcher)
        if not watchers:
            del self.watchers[execution_id]
            self.joined.pop(execution_id, None)
            self.rung.pop(execution_id, None)
            self.read_locks.pop(execution_id, None)
            if (poller := self.pollers.pop(execution_id, None)) is not None:
                poller.cancel()
            if self.channel is not None and execution_id not in self.leaving:
                self.leaving[execution_id] = asyncio.ensure_future(self._leave(execution_id, self.channel))

    async def backlog(self, execution_id: int, after: int) -> tuple[str | None, list[dict], str]:
        """``live.status_and_events_after``, shared (module docstring). For a watcher that
        subscribed before asking."""
        key = (execution_id, after)
        upcoming = self.next_reads.get(key)
        if upcoming is None:
            upcoming = self.next_reads[key] = asyncio.ensure_future(self._read_backlog(key))
        return await asyncio.shield(upcoming)

    async def _read_backlog(self, key: tuple[int, int]) -> tuple[str | None, list[dict], str]:
        async with self.read_locks.setdefault(key[0], asyncio.Lock()):
            # From here on, who asks needs a read that starts later.
            self.next_reads.pop(key, None)
            return await _read_backlog_in_thread(*key)

    async def _leave(self, execution_id: int, channel: str) -> None:
        try:
            await self.layer.group_discard(live.execution_group(execution_id), channel)
        except Exception:
            logger.warning("leaving the group of execution %s failed", execution_id, exc_info=True)
        finally:
            del self.leaving[execution_id]

    async def _channel(self) -> str:
        async with self.ready:
            if self.channel is None:
                # The default prefix: channels_redis pops all of a process's channels from one
                # key, under one lock (another prefix waited behind the consumers' pops).
                self.channel = await self.layer.new_channel()
                self.receiver = asyncio.ensure_future(self._receive(self.channel))
        return self.channel

    async def _receive(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Watchers' own periodic catch-up covers the rings missed meanwhile.
                logger.warning("live fan-out could not receive; retrying", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for each in live.unbatched(message):
                execution_id = each.get("execution_id")
                self.rung[execution_id] = asyncio.get_running_loop().time()
                for watcher in list(self.watchers.get(execution_id, ())):
                    try:
                        await watcher.deliver(each)
                    except Exception:
                        logger.warning("a live watcher failed a delivery", exc_info=True)

    async def _poll(self, execution_id: int) -> None:
        """While the execution runs and is watched here, read its progress once per quiet
        spell (not once per watcher) and have the watchers behind it catch up."""
        loop = asyncio.get_running_loop()
        read = database_sync_to_async(live.progress_of, thread_sensitive=False)
        while True:
            await asyncio.sleep(CATCH_UP_SECONDS)
            if loop.time() - self.rung.get(execution_id, 0.0) < CATCH_UP_SECONDS:
                continue
            try:
                status, last_event_id = await read(execution_id)
            except Exception:
                logger.warning("reading the progress of execution %s failed", execution_id, exc_info=True)
                continue
            for watcher in list(self.watchers.get(execution_id, ())):
                watcher.check(status, last_event_id)
            if status != "RUNNING":
                return


_read_backlog_in_thread = database_sync_to_async(live.status_and_events_after, thread_sensitive=False)
_fanouts: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Fanout] = weakref.WeakKeyDictionary()


def fanout() -> Fanout:
    """This loop's fan-out (a process's consumers share one loop; tests may run several)."""
    loop = asyncio.get_running_loop()
    found = _fanouts.get(loop)
    if found is None:
        found = _fanouts[loop] = Fanout(get_channel_layer())
    return found
