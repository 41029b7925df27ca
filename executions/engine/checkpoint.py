"""Checkpoints: the serializable state of an execution between transitions, and resuming.

A checkpoint holds the committed history, the answers the outside world gave (task results
with the event id at which each arrived, generated ids), and the tree of active frames (the
states running now: which history, which *Entered event, which attempt) for people and tools.

Resuming *replays*: the interpreter runs the definition again from the start, writing the
recorded events instead of new ones (same ids, same timestamps, not emitted again), taking
task answers from the checkpoint in the order they arrived, and goes live after the last
recorded event. Replaying makes "resuming from any checkpoint gives the same history as
never stopping" hold by construction: the same code produces the same events, and any
difference raises ReplayDiverged instead of corrupting the history. Rejected alternative:
serializing asyncio tasks positions (branch/iteration stacks) directly, which needs every
state module to be re-entrant at each await and duplicates the life order in a loader.
A task in flight at the checkpoint has no recorded answer and is invoked again (AWS's own
at-least-once for tasks).

Saved checkpoints carry a version; `migrate` brings older versions forward.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from designer.asl.model import StateMachine
from executions.engine.effects import Effects
from executions.engine.interpreter import Execution, ExecutionInfo

VERSION = 1  # the checkpoint's format; ENGINE_VERSION is the behaviour that wrote it


def _event_out(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["timestamp"] = event["timestamp"].isoformat()
    return out


def _event_in(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["timestamp"] = datetime.fromisoformat(event["timestamp"])
    return out


def take(execution: Execution, *, with_events: bool = True) -> dict[str, Any]:
    """A JSON-serializable checkpoint of `execution` as it stands now (without its history
    when the caller stores the events elsewhere: converting them all at every transition
    would cost time quadratic in the history)."""
    active = [
        {
            "history": name,
            "enteredEventId": entered,
            "state": run.state.name,
            "frame": run.frame.kind,
            "retryCount": run.retry_count,
        }
        for (name, entered), run in sorted(execution.active.items())
    ]
    data = {
        "version": VERSION,
        "engine": execution.engine_version,
        "info": asdict(execution.info),
        "input": execution.input_text,
        "seed": execution.seed,
        "results": dict(execution.results),
        "active": active,
    }
    if with_events:
        data["events"] = [_event_out(e) for e in execution.history.events]
    return data


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a checkpoint of an older version to VERSION (none older exists yet)."""
    version = data.get("version")
    if version != VERSION:
        raise ValueError(f"unknown checkpoint version {version!r} (this engine reads version {VERSION})")
    return data


def resume(machine: StateMachine, data: dict[str, Any], effects: Effects) -> Execution:
    """An Execution that continues from checkpoint `data`; `await execution.run()` replays
    the recorded part and carries on. Its `history.events` end up equal to an uninterrupted
    run's; only events after the checkpoint reach `effects.emit`."""
    data = migrate(data)
    events = [_event_in(e) for e in data["events"]]
    if events:
        effects.clock.advance_to(events[0]["timestamp"])
    execution = Execution(
        machine,
        data["input"],
        effects,
        ExecutionInfo(**data["info"]),
        seed=data["seed"],
        recorded=events,
        results=data["results"],
    )
    # Checkpoints from before the engine version was written are version 1's.
    execution.engine_version = data.get("engine", 1)
    return execution
