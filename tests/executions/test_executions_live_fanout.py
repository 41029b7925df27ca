"""The live stream's fan-out in one process (fanout.py), through the consumer and the in-memory
channel layer: a ring's events reach every watcher as one message without a database read; a
ring after a gap, or none at all (the layer dropped it), has the missing rows read, once;
watchers joining at once share their backlog reads, never one that began before they
subscribed."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from executions import fanout, live
from executions.events import event_dict
from executions.models import Execution, HistoryEvent
from symphony.routing import websocket_urlpatterns
from tests.executions.conftest import start_execution_of

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def start(author) -> Execution:
    return start_execution_of(author, "fan", PASS, name="e1", input="{}")


@sync_to_async
def commit(execution: Execution, ids: range, status: str = "RUNNING") -> list[dict]:
    """Store events ``ids`` (as a runner's commit would) and return them as published."""
    rows = [
        HistoryEvent.objects.create(
            execution=execution,
            event_id=i,
            previous_event_id=i - 1,
            type="PassStateEntered",
            timestamp=timezone.now(),
            details={"stateEnteredEventDetails": {"name": f"S{i}", "input": "{}"}},
        )
        for i in ids
    ]
    Execution.objects.filter(pk=execution.pk).update(last_event_id=ids[-1], status=status)
    return [event_dict(row) for row in rows]


async def watcher(author, execution: Execution) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/executions/{execution.pk}/")
    socket.scope["user"] = author
    connected, _ = await socket.connect(timeout=10)
    assert connected
    assert await socket.receive_json_from(timeout=10) == {
        "type": "status",
        "status": "RUNNING",
        "last_event_id": 0,
    }
    return socket


async def test_a_ring_reaches_every_watcher_as_one_message_carrying_its_events(author):
    execution = await start(author)
    sockets = [await watcher(author, execution) for _ in range(3)]
    events = await commit(execution, range(1, 4))
    # Carried events are sent as they ride: a frame the database does not hold proves no read.
    carried = [{**event, "riding": True} for event in events]
    live.publish(execution.pk, 3, "RUNNING", live.Carried(1, live.events_frame(carried)))
    for socket in sockets:
        assert await socket.receive_json_from(timeout=5) == {"type": "events", "events": carried}
        await socket.disconnect()


async def test_a_gap_or_a_lost_ring_has_the_rows_read_once(author):
    execution = await start(author)
    socket = await watcher(author, execution)
    first = await commit(execution, range(1, 3))
    second = await commit(execution, range(3, 5))
    # The ring of events 1-2 was lost: the one of 3-4 finds a gap, and the rows are read.
    live.publish(execution.pk, 4, "RUNNING", live.Carried(3, live.events_frame(second)))
    assert await socket.receive_json_from(timeout=5) == {"type": "events", "events": first + second}
    # No ring at all: the fan-out's periodic read finds the watcher behind.
    third = await commit(execution, range(5, 7), status="SUCCEEDED")
    assert await socket.receive_json_from(timeout=10) == {"type": "events", "events": third}
    assert await socket.receive_json_from(timeout=5) == {
        "type": "status",
        "status": "SUCCEEDED",
        "last_event_id": 6,
    }
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def joined(author, execution: Execution) -> tuple[WebsocketCommunicator, list[int]]:
    """A watcher connected, and the ids of the backlog it was sent before its status."""
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/executions/{execution.pk}/")
    socket.scope["user"] = author
    assert (await socket.connect(timeout=10))[0]
    ids = []
    while (message := await socket.receive_json_from(timeout=10))["type"] == "events":
        ids += [event["id"] for event in message["events"]]
    assert message["type"] == "status"
    return socket, ids


@pytest.fixture
def slow_backlog(monkeypatch):
    """Backlog reads that take 0.3 s after reading (a loaded database): counted."""
    reads = []
    real = fanout._read_backlog_in_thread

    async def read(execution_id: int, after: int):
        found = await real(execution_id, after)
        reads.append(after)  # counted once it has read: what it found is fixed from here on
        await asyncio.sleep(0.3)
        return found

    monkeypatch.setattr(fanout, "_read_backlog_in_thread", read)
    return reads


async def test_a_crowd_joining_at_once_shares_its_backlog_reads(author, slow_backlog):
    execution = await start(author)
    await commit(execution, range(1, 4))
    crowd = await asyncio.gather(*(joined(author, execution) for _ in range(20)))
    assert [ids for _, ids in crowd] == [[1, 2, 3]] * 20
    # The first read, then one for all who asked meanwhile (not twenty, one after another).
    assert len(slow_backlog) <= 3
    for socket, _ in crowd:
        await socket.disconnect()


async def test_a_watcher_never_shares_a_read_that_began_before_it_subscribed(author, slow_backlog):
    execution = await start(author)
    await commit(execution, range(1, 4))
    first = asyncio.ensure_future(joined(author, execution))
    while not slow_backlog:  # the first watcher's read has read (events 1-3) and is slow to end
        await asyncio.sleep(0.01)
    await commit(execution, range(4, 5))  # committed without a ring
    second, second_ids = await joined(author, execution)
    assert second_ids == [1, 2, 3, 4]
    first_socket, first_ids = await first
    assert first_ids == [1, 2, 3]
    for socket in (first_socket, second):
        await socket.disconnect()
