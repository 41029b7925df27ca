"""Live events: the channel layer is a doorbell, the database the record (DESIGN.md decision 8).

After a transition commits, ``publish`` rings two groups: the execution's own (the commit's
events ride along, encoded once; a consumer that missed a ring reads every event after the
last one it sent from the database) and the status group that list pages follow. A message
the layer drops (it drops past ``capacity`` without a word) loses nothing: the next ring, or
the fan-out's periodic read of the execution's progress (fanout.py), has the rows read.
"""

import asyncio
import json
import logging
import threading
from typing import NamedTuple

from channels.layers import InMemoryChannelLayer, get_channel_layer

from accounts.permissions import Action, allowed
from executions.events import event_dict
from executions.models import Execution, HistoryEvent

logger = logging.getLogger(__name__)
STATUS_GROUP = "executions.status"
APPROVALS_GROUP = "approvals.inbox"  # rung when an approval request from a target changes

# The in-memory layer keeps asyncio queues owned by the loop its consumers run on; a ring from
# another thread must be scheduled onto that loop, never run on a loop of its own.
_consumer_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def execution_group(execution_id: int) -> str:
    return f"execution.{execution_id}"


def register_consumer_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _consumer_loop
    with _lock:
        _consumer_loop = loop


def ring(group: str, message: dict) -> None:
    """Send ``message`` to a group from any thread; a lost ring is recovered from the database."""
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):
        loop = _consumer_loop
        if loop is None or loop.is_closed():
            return  # no consumer in this process: nobody to ring
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            loop.create_task(layer.group_send(group, message))
        else:
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        return
    _sender_loop().call_soon_threadsafe(_queue, layer, "group", group, message)


def send(channel: str, message: dict) -> None:
    """Send ``message`` to one receiver of ``channel`` (a shared layer's work queue: of the
    processes receiving on it, one gets it), from any thread; unsent without a shared layer."""
    layer = get_channel_layer()
    if layer is not None and not isinstance(layer, InMemoryChannelLayer):
        _sender_loop().call_soon_threadsafe(_queue, layer, "channel", channel, message)


# Messages waiting for the sender loop, by destination; touched on that loop only. What piles
# up while a send is under way leaves as one message per destination ("batch"): under load a
# runner's status rings and a web process's starts cost a send per burst, not one each.
BATCH = 100
_pending: dict[tuple[str, str], list[dict]] = {}
_draining: asyncio.Task | None = None


def _queue(layer, kind: str, name: str, message: dict) -> None:
    global _draining
    _pending.setdefault((kind, name), []).append(message)
    if _draining is None or _draining.done():
        _draining = asyncio.get_running_loop().create_task(_drain(layer))


async def _drain(layer) -> None:
    while _pending:
        ready = dict(_pending)
        _pending.clear()
        await asyncio.gather(*(_send(layer, *where, messages) for where, messages in ready.items()))


async def _send(layer, kind: str, name: str, messages: list[dict]) -> None:
    for start in range(0, len(messages), BATCH):
        chunk = messages[start : start + BATCH]
        message = chunk[0] if len(chunk) == 1 else {"type": "batch", "messages": chunk}
        try:
            if kind == "group":
                await layer.group_send(name, message)
            else:
                await layer.send(name, message)
        except Exception:
            # A lost ring is recovered from the database.
            logger.warning("channel layer send to %s failed", name, exc_info=True)


def unbatched(message: dict) -> list[dict]:
    """The messages a received one stands for (itself, or a batch's)."""
    return message["messages"] if message.get("type") == "batch" else [message]


class Batches:
    """For a consumer of a group rung through a shared layer: a batch is its messages in turn."""

    async def batch(self, message: dict) -> None:
        for each in message["messages"]:
            await self.dispatch(each)


_sender: asyncio.AbstractEventLoop | None = None


def _sender_loop() -> asyncio.AbstractEventLoop:
    """This process's one loop for sends to a shared (Redis) layer, in a thread of its own. Each
    ``async_to_sync`` would run a loop of its own, and channels_redis keeps its connections per
    loop: every ring paid a new Redis connection (most of a runner's CPU per execution)."""
    global _sender
    with _lock:
        if _sender is None or _sender.is_closed():
            _sender = asyncio.new_event_loop()
            threading.Thread(target=_sender.run_forever, name="symphony-live-sender", daemon=True).start()
        return _sender


def ring_approvals() -> None:
    """Open inboxes read their list again (the message carries nothing: who sees what is decided
    by the page, per user)."""
    ring(APPROVALS_GROUP, {"type": "approvals.changed"})


# Past this, a commit's events do not ride along: each consumer reads them from the database.
MAX_CARRIED_BYTES = 1024 * 1024


def events_frame(events: list[dict]) -> str:
    """One WebSocket message for several events in order (GetExecutionHistory's shape each):
    a burst of hundreds of events is one send and one parse, not hundreds."""
    return json.dumps({"type": "events", "events": events})


class Carried(NamedTuple):
    """A commit's events (consecutive ids from ``first_event_id``) as one encoded frame."""

    first_event_id: int
    frame: str


def encoded_frame(texts: list[str]) -> str:
    """``events_frame`` of events already encoded one by one (``events.event_json``)."""
    return '{"type":"events","events":[' + ",".join(texts) + "]}"


def publish(execution_id: int, last_event_id: int, status: str, carried: Carried | None = None) -> None:
    """Ring the doorbells for an execution whose events up to ``last_event_id`` are committed.
    A commit's events ride along as one encoded frame, so consumers need not read them back (a
    consumer that finds a gap before them reads the database instead). The frame is text
    encoded once, around the text the database stores, not in each of N consumers: the layer
    copies a message once per consumer, which is cheap for a string and not for nested dicts,
    and each consumer sends it as it is."""
    message: dict = {
        "type": "execution.events",
        "execution_id": execution_id,
        "last_event_id": last_event_id,
        "status": status,
    }
    if carried is not None and len(carried.frame) <= MAX_CARRIED_BYTES:
        message.update(first_event_id=carried.first_event_id, frame=carried.frame)
    ring(execution_group(execution_id), message)
    ring(STATUS_GROUP, {"type": "execution.status", "execution_id": execution_id, "status": status})


CATCH_UP_BATCH = 500


def events_after(execution_id: int, after: int, limit: int = CATCH_UP_BATCH) -> list[HistoryEvent]:
    """The committed events of an execution with an id above ``after``, in order."""
    rows = HistoryEvent.objects.filter(execution_id=execution_id, event_id__gt=after).order_by("event_id")
    return list(rows[:limit])


def status_and_events_after(execution_id: int, after: int) -> tuple[str | None, list[dict], str]:
    """The status, then the events after ``after`` (at most ``CATCH_UP_BATCH``), with their
    frame: encoded here, in the reading thread, not on the consumers' loop. Read in this order,
    a final status comes with every event committed with it (they commit in one transaction),
    so a client told the execution ended has been sent all of its events."""
    status = status_of(execution_id)
    events = [event_dict(row) for row in events_after(execution_id, after)]
    return status, events, events_frame(events) if events else ""


def execution(execution_id: int) -> Execution | None:
    return Execution.objects.filter(pk=execution_id).first()


def status_of(execution_id: int) -> str | None:
    return Execution.objects.filter(pk=execution_id).values_list("status", flat=True).first()


def progress_of(execution_id: int) -> tuple[str | None, int]:
    """The status and the last committed event id (both commit in one transaction)."""
    row = Execution.objects.filter(pk=execution_id).values_list("status", "last_event_id").first()
    return (row[0], row[1]) if row else (None, 0)


def can_view(user, execution: Execution) -> bool:
    """Who may read the account's runs, and the reviewers of a run that waited on a person (they
    decide its approval and follow it). Reads the database: sync only."""
    if allowed(user, Action.READ, execution.account_id):
        return True
    return (
        allowed(user, Action.DECIDE_APPROVALS)
        and execution.task_tokens.filter(activity__isnull=True).exists()
    )


def viewable_execution(user, execution_id: int) -> Execution | None:
    found = execution(execution_id)
    return found if found is not None and can_view(user, found) else None
