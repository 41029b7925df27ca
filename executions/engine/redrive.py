"""Redrive (RedriveExecution): continue an execution that did not succeed from where it stopped.

The rules, from AWS's "Restarting state machine executions with redrive": only STANDARD
executions that FAILED, TIMED_OUT or were ABORTED, within 14 days of their stop, within a year
of their start, with room left in the history (fewer than 24,999 events: ExecutionRedriven and
at least one more must fit). The redrive appends ExecutionRedriven (redriveCount) to the same
history; the states that succeeded are not run again, the stopped ones go on: a Task is
scheduled again, a Choice evaluated again, a Fail state entered again; a Parallel or an inline
Map runs again only its branches and iterations that did not succeed (all of them when it failed
with States.DataLimitExceeded); retry counts and the state machine's TimeoutSeconds start over.

`redrive` is the whole of it on a checkpoint: it appends the event; `checkpoint.resume` of
the result replays the stopped attempt (which rebuilds where every frame stopped) and goes on
with the redrive (Execution.run).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from executions.engine.history import HISTORY_LIMIT

REDRIVABLE_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
REDRIVABLE_PERIOD = timedelta(days=14)
MAX_OPEN_TIME = timedelta(days=365)


def not_redrivable(
    *,
    status: str,
    type: str,
    started_at: datetime,
    stopped_at: datetime | None,
    event_count: int,
    now: datetime,
) -> str | None:
    """Why RedriveExecution would refuse the execution now (AWS's redriveStatusReason
    wording), or None when it can be redriven."""
    if type != "STANDARD":
        return f"Execution is {type} and cannot be redriven"
    if status not in REDRIVABLE_STATUSES:
        return f"Execution is {status} and cannot be redriven"
    if event_count >= HISTORY_LIMIT - 1:
        return "Execution history event limit exceeded"
    if stopped_at is not None and now - stopped_at > REDRIVABLE_PERIOD:
        return "Execution redrivable period exceeded"
    if now - started_at > MAX_OPEN_TIME:
        return "Execution has exceeded the max execution time"
    return None


def redriven_event(events: list[dict[str, Any]], now: datetime, redrive_count: int) -> dict[str, Any]:
    """The ExecutionRedriven event that continues `events` (the history of a stopped attempt):
    the next id, after the terminal event."""
    last = events[-1]
    return {
        "timestamp": now,
        "type": "ExecutionRedriven",
        "id": last["id"] + 1,
        "previousEventId": last["id"],
        "executionRedrivenEventDetails": {"redriveCount": redrive_count},
    }


def redrive(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The checkpoint of the redriven execution: `data` (a checkpoint with its events, in the
    form `checkpoint.take` gives) with ExecutionRedriven appended. Resume it to run the redrive."""
    events = data["events"]
    count = sum(1 for e in events if e["type"] == "ExecutionRedriven") + 1
    event = redriven_event(events, now, count)
    event["timestamp"] = now.isoformat()
    return {**data, "events": [*events, event]}
