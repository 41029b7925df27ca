"""The live event stream (Zulip's verify_action idea): a client that joins mid-run, or
reconnects with the last id it saw, receives exactly the stored history, once each, in order."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from executions import runner, services
from executions.models import Execution, HistoryEvent
from executions.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

# Ten waits of a second at a 0.1 time scale: long enough to join in the middle of the run.
STEPS = {f"S{i}": {"Type": "Wait", "Seconds": 1, "Next": f"S{i + 1}"} for i in range(10)}
STEPS["S10"] = {"Type": "Pass", "End": True}
DEFINITION = json.dumps({"StartAt": "S0", "States": STEPS})


@pytest.fixture
def embedded_runner(monkeypatch):
    monkeypatch.setenv("SYMPHONY_TIME_SCALE", "0.1")
    runner.shutdown()
    yield runner.dispatcher()
    runner.shutdown()


def start(user) -> Execution:
    machine, _ = services.create_state_machine(
        region="us-east-1", name="live", definition=DEFINITION, role_arn="arn:aws:iam::000000000000:role/r"
    )
    execution, _ = services.start_execution(machine.arn, input="{}", owner_id=user.pk)
    runner.dispatcher().submit(execution.pk)
    return execution


async def receive_until_done(communicator: WebsocketCommunicator, timeout: float = 30) -> list[dict]:
    messages = []
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        messages.append(message)
        if message["type"] == "status" and message["status"] != "RUNNING":
            # the terminal event is committed with the status: drain anything in flight
            while not await communicator.receive_nothing(timeout=0.3):
                messages.append(await communicator.receive_json_from())
            return messages


def stored_ids(execution_id: int) -> list[int]:
    return list(HistoryEvent.objects.filter(execution_id=execution_id).values_list("event_id", flat=True))


async def connect(user, path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_executions_live_join_mid_run_sees_every_event_once(django_user_model, embedded_runner):
    user = await sync_to_async(django_user_model.objects.create_user)("viewer", password="pw-12345!")
    execution = await sync_to_async(start)(user)
    # join once a few events are committed, while the execution still runs
    for _ in range(200):
        if len(await sync_to_async(stored_ids)(execution.pk)) >= 4:
            break
        await asyncio.sleep(0.02)
    communicator = await connect(user, f"/ws/executions/{execution.pk}/")
    messages = await receive_until_done(communicator)
    await communicator.disconnect()
    received = [m["event"]["id"] for m in messages if m["type"] == "event"]
    stored = await sync_to_async(stored_ids)(execution.pk)
    assert received == stored
    assert stored == list(range(1, len(stored) + 1))
    assert messages[-1]["status"] == "SUCCEEDED" or any(m.get("status") == "SUCCEEDED" for m in messages)


async def test_executions_live_reconnect_after_last_seen(django_user_model, embedded_runner):
    user = await sync_to_async(django_user_model.objects.create_user)("again", password="pw-12345!")
    execution = await sync_to_async(start)(user)
    first = await connect(user, f"/ws/executions/{execution.pk}/")
    seen = []
    while len(seen) < 5:
        message = await first.receive_json_from(timeout=10)
        if message["type"] == "event":
            seen.append(message["event"]["id"])
    await first.disconnect()
    second = await connect(user, f"/ws/executions/{execution.pk}/?after={seen[-1]}")
    rest = [m["event"]["id"] for m in await receive_until_done(second) if m["type"] == "event"]
    await second.disconnect()
    assert seen + rest == await sync_to_async(stored_ids)(execution.pk)


async def test_executions_live_refuses_strangers(django_user_model, embedded_runner):
    owner = await sync_to_async(django_user_model.objects.create_user)("owner", password="pw-12345!")
    stranger = await sync_to_async(django_user_model.objects.create_user)("stranger", password="pw-12345!")
    execution = await sync_to_async(start)(owner)
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/executions/{execution.pk}/")
    communicator.scope["user"] = stranger
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4403


async def test_executions_status_stream_reports_the_end(django_user_model, embedded_runner):
    user = await sync_to_async(django_user_model.objects.create_user)("lister", password="pw-12345!")
    communicator = await connect(user, "/ws/executions/")
    execution = await sync_to_async(start)(user)
    statuses = []
    while not statuses or statuses[-1] == "RUNNING":
        message = await communicator.receive_json_from(timeout=30)
        if message["id"] == execution.pk:
            statuses.append(message["status"])
    await communicator.disconnect()
    assert statuses[-1] == "SUCCEEDED"
