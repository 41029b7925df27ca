"""Execution history as AWS records it: event types, ids, previousEventIds and details shapes.

Holds the event list of one execution and the id chains that give every event its
previousEventId. It does not decide *when* events happen: the interpreter and the state
modules do.

previousEventId encodes a causal tree. The rules below were read off histories recorded on
real AWS (../shared/conformance/cases):

* ExecutionStarted does not advance the chain, so the first state's *Entered event has
  previousEventId 0.
* Every other event of a frame (the execution, a Parallel branch, a Map iteration) points at
  the frame's previous event.
* EvaluationFailed points at the event before the failing state's *Entered event.
* MapIterationSucceeded/Failed point at the iteration's last event but are not part of the
  Map's chain: the next iteration (with MaxConcurrency 1) and MapStateFailed point at the
  iteration's last state event; MapStateSucceeded and MapStateExited (and the Parallel
  counterparts) point at the last event published inside the block.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

# AWS's limit on a payload (input, output, parameters, variables) in one event.
PAYLOAD_LIMIT = 256 * 1024
# AWS's limit on events in one execution's history.
HISTORY_LIMIT = 25_000

_DETAILS_KEY = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "ExecutionAborted": "executionAbortedEventDetails",
    "ExecutionRedriven": "executionRedrivenEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSubmitted": "taskSubmittedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "TaskStartFailed": "taskStartFailedEventDetails",
    "TaskSubmitFailed": "taskSubmitFailedEventDetails",
    "LambdaFunctionScheduled": "lambdaFunctionScheduledEventDetails",
    "LambdaFunctionSucceeded": "lambdaFunctionSucceededEventDetails",
    "LambdaFunctionFailed": "lambdaFunctionFailedEventDetails",
    "LambdaFunctionTimedOut": "lambdaFunctionTimedOutEventDetails",
    "LambdaFunctionStartFailed": "lambdaFunctionStartFailedEventDetails",
    "LambdaFunctionScheduleFailed": "lambdaFunctionScheduleFailedEventDetails",
    "ActivityScheduled": "activityScheduledEventDetails",
    "ActivityStarted": "activityStartedEventDetails",
    "ActivitySucceeded": "activitySucceededEventDetails",
    "ActivityFailed": "activityFailedEventDetails",
    "ActivityTimedOut": "activityTimedOutEventDetails",
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunFailed": "mapRunFailedEventDetails",
}


@lru_cache(maxsize=256)
def details_key(event_type: str) -> str | None:
    """The key under which an event of this type carries its details."""
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return _DETAILS_KEY.get(event_type)


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def to_json(value: Any) -> str:
    """JSON text as AWS writes payloads: compact, key order kept, non-ASCII kept."""
    return _ENCODER.encode(value)


def payload(text: str) -> tuple[str, dict[str, Any]]:
    """(text, details) for an event payload; AWS truncates past 256 KiB and says so."""
    if len(text) > PAYLOAD_LIMIT // 4 and len(text.encode("utf-8")) > PAYLOAD_LIMIT:
        cut = text.encode("utf-8")[:PAYLOAD_LIMIT].decode("utf-8", "ignore")
        return cut, {"truncated": True}
    return text, {"truncated": False}


@dataclass(slots=True)
class Chain:
    """The id chain of one frame. `last` is what the frame's next event points at;
    `published` is the newest event id published inside the frame (including events that
    are not part of the chain)."""

    last: int = 0
    published: int = 0

    def child(self) -> Chain:
        return Chain(self.last, self.last)

    def absorb(self, other: Chain) -> None:
        self.last = max(self.last, other.last)
        self.published = max(self.published, other.published)


class ReplayDiverged(Exception):
    """Resuming produced a different event than the one recorded: this engine (an upgrade)
    or the definition would write another history than the one the execution has. `event_id`
    is where the two part, `reason` says how."""

    def __init__(self, event_id: int, event_type: str, reason: str) -> None:
        super().__init__(f"event {event_id} ({event_type}): {reason}")
        self.event_id = event_id
        self.event_type = event_type
        self.reason = reason


def _divergence(
    recorded: dict[str, Any], event_type: str, prev: int, key: str | None, details: Any
) -> str | None:
    """How a replayed event differs from its recorded self (timestamps aside), or None."""
    if recorded["type"] != event_type:
        return f"recorded {recorded['type']}, replay produced {event_type}"
    if recorded["previousEventId"] != prev:
        return f"recorded previousEventId {recorded['previousEventId']}, replay produced {prev}"
    if key is not None and recorded.get(key) != details:
        fields = sorted(
            name
            for name in {*(recorded.get(key) or {}), *(details or {})}
            if (recorded.get(key) or {}).get(name) != (details or {}).get(name)
        )
        return f"its {key} differ in {', '.join(fields) or 'shape'}"
    return None


class HistoryLimitExceeded(Exception):
    """More than 25,000 events: AWS fails the execution."""


# The events that end an attempt of an execution (a redrive starts the next attempt).
TERMINAL_EVENTS = ("ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted")


class History:
    """The event list of one execution. Events are plain dicts shaped like
    GetExecutionHistory's; `sink` (if given) sees each event as it is added."""

    def __init__(
        self,
        clock_now: Callable[[], datetime],
        sink: Callable[[dict[str, Any]], None] | None = None,
        recorded: list[dict[str, Any]] | None = None,
        name: str = "",
    ) -> None:
        self.events: list[dict[str, Any]] = []
        self.now = clock_now
        self.name = name  # tells child histories (distributed Map runs) apart in effect keys
        self._sink = sink
        # On resume, the events already committed: the run replays them (same ids, same
        # timestamps, not emitted again) and goes live after the last one.
        self._recorded = recorded or []
        # Replaying an attempt that was stopped from outside (ExecutionTimedOut, or the
        # ExecutionAborted StopExecution wrote): the recorded event where it stopped. Reaching
        # it (`on_fence`) stops the replayed attempt there; see Execution.attempt.
        self.fence: dict[str, Any] | None = None
        self.on_fence: Callable[[], None] | None = None
        # While an aborted attempt unwinds: its unwinding events were never committed.
        self.dropping = False

    @property
    def next_id(self) -> int:
        return len(self.events) + 1

    @property
    def recorded_count(self) -> int:
        return len(self._recorded)

    @property
    def replaying(self) -> bool:
        return len(self.events) < len(self._recorded)

    def last_time(self) -> datetime:
        return self.events[-1]["timestamp"] if self.events else self.now()

    def recorded_end(self) -> dict[str, Any] | None:
        """The recorded event that ends the attempt being replayed now, if it is recorded."""
        for event in self._recorded[len(self.events) :]:
            if event["type"] in TERMINAL_EVENTS:
                return event
        return None

    def recorded_next(self) -> dict[str, Any] | None:
        """The recorded event the history is about to replay, if any."""
        return self._recorded[len(self.events)] if self.replaying else None

    async def until_time(self, moment: datetime) -> None:
        """Wait (in replay) until the recorded events from before `moment` are replayed: a
        Wait that ends at `moment` exits after what other branches did meanwhile."""
        stalled = 0
        while self.replaying and self._recorded[len(self.events)]["timestamp"] < moment:
            seen = len(self.events)
            await asyncio.sleep(0)
            stalled = stalled + 1 if len(self.events) == seen else 0
            if stalled > 1000:  # nothing else can replay them: the order is ours to give
                return

    async def until(self, event_id: int) -> None:
        """Wait (in replay) until the history is about to write event `event_id`: recorded
        answers arrive in the order they arrived the first time."""
        while len(self.events) + 1 < event_id:
            await asyncio.sleep(0)

    def add(
        self,
        chain: Chain,
        event_type: str,
        details: dict[str, Any] | None = None,
        *,
        prev: int | None = None,
        link: bool = True,
        at: datetime | None = None,
    ) -> int:
        """Append an event. It points at `prev` (default: the chain's last event); with
        `link` it becomes the chain's last event; `at` is its time when that is not now."""
        event_id = len(self.events) + 1
        if self.dropping and event_type not in TERMINAL_EVENTS:
            return chain.last
        fence = self.fence
        if fence is not None and event_id == fence["id"] and event_type != fence["type"]:
            if self.on_fence is not None:
                self.on_fence()
            raise asyncio.CancelledError()
        if event_id > HISTORY_LIMIT or (event_id == HISTORY_LIMIT and event_type not in TERMINAL_EVENTS):
            # The last place is kept for the event that ends the execution (ExecutionFailed).
            raise HistoryLimitExceeded()
        replayed = event_id <= len(self._recorded)
        previous = chain.last if prev is None else prev
        key = details_key(event_type)
        if replayed:
            recorded = self._recorded[event_id - 1]
            reason = _divergence(recorded, event_type, previous, key, details)
            if reason is not None:
                raise ReplayDiverged(event_id, event_type, reason)
        event: dict[str, Any] = {
            "timestamp": recorded["timestamp"] if replayed else (at or self.now()),
            "type": event_type,
            "id": event_id,
            "previousEventId": previous,
        }
        if key is not None and details is not None:
            event[key] = details
        self.events.append(event)
        chain.published = event_id
        if link:
            chain.last = event_id
        if self._sink is not None and not replayed:
            self._sink(event)
        return event_id


def entered_details(name: str, input_text: str) -> dict[str, Any]:
    text, flags = payload(input_text)
    return {"name": name, "input": text, "inputDetails": flags}


def exited_details(name: str, output_text: str, assigned: dict[str, Any] | None = None) -> dict[str, Any]:
    text, flags = payload(output_text)
    details: dict[str, Any] = {"name": name, "output": text, "outputDetails": flags}
    if assigned is not None:
        details["assignedVariables"] = {k: to_json(v) for k, v in assigned.items()}
        details["assignedVariablesDetails"] = {"truncated": False}
    return details


def error_details(error: str | None, cause: str | None) -> dict[str, Any]:
    details = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details
