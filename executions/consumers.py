"""WebSocket consumers: an execution's event stream and the status stream of list pages.

Connect, check permission, subscribe, then forward: the backlog comes from the database, and
every doorbell (or a periodic catch-up, in case the layer dropped one) reads what follows the
last event id sent, so each event is sent once, in order.
"""

import asyncio

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from executions import live
from executions.events import event_dict

CATCH_UP_SECONDS = 2.0


class ExecutionEventsConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/executions/<id>/?after=<last event id seen>``."""

    async def connect(self) -> None:
        self.execution_id = int(self.scope["url_route"]["kwargs"]["execution_id"])
        user = self.scope.get("user")
        execution = await sync_to_async(live.execution, thread_sensitive=False)(self.execution_id)
        if user is None or execution is None or not live.can_view(user, execution):
            await self.close(code=4403)
            return
        query = dict(
            p.split("=", 1) for p in self.scope.get("query_string", b"").decode().split("&") if "=" in p
        )
        self.last_sent = int(query["after"]) if query.get("after", "").isdigit() else 0
        self.status = None
        self.sending = asyncio.Lock()
        live.register_consumer_loop(asyncio.get_running_loop())
        # Subscribe before reading the backlog, so nothing committed in between is missed.
        await self.channel_layer.group_add(live.execution_group(self.execution_id), self.channel_name)
        await self.accept()
        await self.catch_up()
        self.poller = asyncio.create_task(self.poll())

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "poller"):
            self.poller.cancel()
            await self.channel_layer.group_discard(live.execution_group(self.execution_id), self.channel_name)

    async def poll(self) -> None:
        while self.status in (None, "RUNNING"):
            await asyncio.sleep(CATCH_UP_SECONDS)
            await self.catch_up()

    async def execution_events(self, message: dict) -> None:
        carried = message.get("events") or []
        async with self.sending:
            if carried and carried[0]["id"] <= self.last_sent + 1:
                for event in carried:
                    if event["id"] == self.last_sent + 1:
                        await self.send_json({"type": "event", "event": event})
                        self.last_sent = event["id"]
            if self.last_sent >= message["last_event_id"] and message["status"] == self.status:
                return
        await self.catch_up()

    async def catch_up(self) -> None:
        async with self.sending:
            while True:
                events = await sync_to_async(live.events_after, thread_sensitive=False)(
                    self.execution_id, self.last_sent
                )
                for event in events:
                    await self.send_json({"type": "event", "event": event_dict(event)})
                    self.last_sent = event.event_id
                if len(events) < 500:
                    break
            status = await sync_to_async(live.status_of, thread_sensitive=False)(self.execution_id)
            if status != self.status:
                self.status = status
                await self.send_json({"type": "status", "status": status, "last_event_id": self.last_sent})


class ExecutionStatusConsumer(AsyncJsonWebsocketConsumer):
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
        execution = await sync_to_async(live.execution, thread_sensitive=False)(message["execution_id"])
        if execution is not None and live.can_view(self.scope["user"], execution):
            await self.send_json(
                {
                    "type": "status",
                    "executionArn": execution.arn,
                    "id": execution.pk,
                    "status": execution.status,
                }
            )
