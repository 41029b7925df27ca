"""The rollout stream of a workflow's deploy page: ``/ws/workflows/<id>/rollouts/``.

Connect (refused unless the user may follow the workflow's deployments, as the page asks),
subscribe, send the rollouts, then send them again whenever a ring says one changed, or a
periodic look finds they did (the layer may drop a ring).
"""

import asyncio

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from designer.deploy import live as rollouts_live
from designer.deploy import visibility
from executions import live

CATCH_UP_SECONDS = 5.0


class RolloutsConsumer(live.Batches, AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.workflow_id = int(self.scope["url_route"]["kwargs"]["workflow_id"])
        user = self.scope.get("user")
        workflow = None
        if user is not None:
            workflow = await sync_to_async(visibility.followable_workflow, thread_sensitive=False)(
                user, self.workflow_id
            )
        if workflow is None:
            await self.close(code=4403)
            return
        self.sent: list[dict] | None = None
        self.sending = asyncio.Lock()
        live.register_consumer_loop(asyncio.get_running_loop())
        # Subscribe before the first read, so a change committed in between is not missed.
        await self.channel_layer.group_add(rollouts_live.group(self.workflow_id), self.channel_name)
        await self.accept()
        await self.send_rollouts()
        self.poller = asyncio.create_task(self.poll())

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "poller"):
            self.poller.cancel()
            await self.channel_layer.group_discard(rollouts_live.group(self.workflow_id), self.channel_name)

    async def poll(self) -> None:
        while True:
            await asyncio.sleep(CATCH_UP_SECONDS)
            await self.send_rollouts()

    async def rollout_changed(self, message: dict) -> None:
        await self.send_rollouts()

    async def send_rollouts(self) -> None:
        read = sync_to_async(rollouts_live.snapshot, thread_sensitive=False)
        async with self.sending:
            rollouts = await read(self.scope["user"], self.workflow_id)
            if rollouts != self.sent:
                self.sent = rollouts
                await self.send_json({"type": "rollouts", "rollouts": rollouts})
