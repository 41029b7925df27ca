"""WebSocket consumers: an execution's event stream and the status stream of list pages.

Connect, check permission, subscribe, then forward: the backlog comes from the database, then
each doorbell's events ride along (fanout.py hands them over); a gap, or the fan-out's periodic
read finding a watcher behind (the layer may drop a ring), reads what follows the last event id
sent, so each event is sent once, in order.
"""

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts.permissions import Action, allowed
from executions import live
from executions.fanout import fanout


class ExecutionEventsConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/executions/<id>/?after=<last event id seen>``."""

    async def connect(self) -> None:
        self.execution_id = int(self.scope["url_route"]["kwargs"]["execution_id"])
        user = self.scope.get("user")
        execution = None
        if user is not None:
            execution = await database_sync_to_async(live.viewable_execution, thread_sensitive=False)(
                user, self.execution_id
            )
        if execution is None:
            await self.close(code=4403)
            return
        query = dict(
            p.split("=", 1) for p in self.scope.get("query_string", b"").decode().split("&") if "=" in p
        )
        after = query.get("after", "")
        # ASCII digits of an event id only: int() refuses "²" and 5,000 digits.
        self.last_sent = int(after) if after.isascii() and after.isdigit() and len(after) <= 18 else 0
        self.status = None
        self.sending = asyncio.Lock()
        self.catching_up = asyncio.Lock()
        self.reading: asyncio.Task | None = None
        self.accepted = False
        live.register_consumer_loop(asyncio.get_running_loop())
        self.fanout = fanout()
        # Subscribe before reading the backlog, so nothing committed in between is missed.
        await self.fanout.watch(self.execution_id, self)
        await self.accept()
        # Rings before this point are of committed events: the backlog read sends them.
        self.accepted = True
        await self.catch_up()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "fanout"):
            self.fanout.unwatch(self.execution_id, self)
            if self.reading is not None:
                self.reading.cancel()

    def check(self, status: str | None, last_event_id: int) -> None:
        if self.accepted and (self.last_sent < last_event_id or status != self.status):
            self.read_later()

    def read_later(self) -> None:
        """A catch-up in a task of its own: the fan-out's loop never waits on the database."""
        if self.reading is None or self.reading.done():
            self.reading = asyncio.create_task(self.catch_up())

    async def deliver(self, message: dict) -> None:
        """A ring for this execution, from this process's fan-out (which hands it to each of
        its watchers in turn): send the events riding along, and the status committed with
        them; a gap, or a status to read, is read in a task of its own."""
        if not self.accepted:
            return
        last = message["last_event_id"]
        async with self.sending:
            if message.get("first_event_id") == self.last_sent + 1:
                await self.send(text_data=message["frame"])
                self.last_sent = last
            if self.last_sent >= last:
                # The status committed with these events needs no read to be told.
                if self.last_sent == last and message["status"] != self.status:
                    await self.send_status(message["status"])
                if message["status"] == self.status:
                    return
        self.read_later()

    async def send_status(self, status: str | None) -> None:
        self.status = status
        await self.send_json({"type": "status", "status": status, "last_event_id": self.last_sent})

    async def catch_up(self) -> None:
        """Send what the database holds after the last event sent, then a changed status. The
        reads (and the frames' encoding) run in a thread outside the sending lock, so a ring's
        events never wait behind a database round trip, and are shared with this process's
        other watchers asking the same (``Fanout.backlog``); what a ring sent meanwhile is
        skipped."""
        async with self.catching_up:  # one at a time: a status read earlier is never sent later
            while True:
                status, events, frame = await self.fanout.backlog(self.execution_id, self.last_sent)
                more = len(events) == live.CATCH_UP_BATCH
                async with self.sending:
                    if events and events[-1]["id"] > self.last_sent:
                        if events[0]["id"] != self.last_sent + 1:
                            # A ring sent the first of them meanwhile: the rest, encoded again.
                            events = [event for event in events if event["id"] > self.last_sent]
                            frame = live.events_frame(events)
                        if events[0]["id"] == self.last_sent + 1:
                            await self.send(text_data=frame)
                            self.last_sent = events[-1]["id"]
                    if not more:
                        if status != self.status:
                            await self.send_status(status)
                        return


class ExecutionStatusConsumer(live.Batches, AsyncJsonWebsocketConsumer):
    """``/ws/executions/``: status changes of the executions the user may see."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        live.register_consumer_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(live.STATUS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(live.STATUS_GROUP, self.channel_name)

    async def execution_status(self, message: dict) -> None:
        execution = await database_sync_to_async(live.viewable_execution, thread_sensitive=False)(
            self.scope["user"], message["execution_id"]
        )
        if execution is not None:
            await self.send_json(
                {
                    "type": "status",
                    "executionArn": execution.arn,
                    "id": execution.pk,
                    "status": execution.status,
                }
            )


class ApprovalInboxConsumer(live.Batches, AsyncJsonWebsocketConsumer):
    """``/ws/approvals/``: a ring for reviewers' open inboxes when an approval request changes;
    the page then reads its list again, so what each one sees stays the page's decision."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not await database_sync_to_async(allowed)(user, Action.DECIDE_APPROVALS):
            await self.close(code=4403)
            return
        live.register_consumer_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(live.APPROVALS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(live.APPROVALS_GROUP, self.channel_name)

    async def approvals_changed(self, message: dict) -> None:
        await self.send_json({"type": "changed"})
