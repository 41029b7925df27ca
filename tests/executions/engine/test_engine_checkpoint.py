"""Checkpoints: resuming from any checkpoint gives the same history as never stopping.

The Map runs its Task iterations one at a time here: concurrent local functions finish in
whatever order their threads do, so two runs (like two runs on AWS) may interleave them
differently; that order is the only thing a resume may change."""

import asyncio
import json
from datetime import UTC, datetime

import pytest

from designer.asl.model import build_state_machine
from executions.engine import checkpoint
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
START = datetime(2024, 1, 1, tzinfo=UTC)

DEFINITION = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": [1, 2, 3], "ResultPath": "$.items", "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": ARN + "declines",
            "Retry": [
                {
                    "ErrorEquals": ["Declined"],
                    "IntervalSeconds": 5,
                    "MaxAttempts": 2,
                    "JitterStrategy": "FULL",
                }
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.charge", "Next": "Sleep"}],
            "Next": "Sleep",
        },
        "Sleep": {"Type": "Wait", "Seconds": 86400, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "ResultPath": "$.both",
            "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Task", "Resource": ARN + "double", "End": True}}},
                {"StartAt": "R", "States": {"R": {"Type": "Wait", "Seconds": 60, "End": True}}},
            ],
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "D",
                "States": {"D": {"Type": "Task", "Resource": ARN + "double", "End": True}},
            },
            "ResultPath": "$.doubled",
            "End": True,
        },
    },
}


class Declined(Exception):
    pass


def declines(event, context):
    raise Declined("card declined")


def double(event, context):
    return event * 2 if isinstance(event, int) else event


def _effects(sink=None) -> LocalEffects:
    resources = Resources()
    resources.register("declines", declines)
    resources.register("double", double)
    return LocalEffects(resources=resources, clock=FakeClock(START), on_event=sink)


def _run_with_checkpoints() -> tuple[list[dict], list[dict], object]:
    machine = build_state_machine(DEFINITION)
    snapshots: list[dict] = []
    holder: dict = {}

    def sink(event):
        snapshots.append(json.loads(json.dumps(checkpoint.take(holder["execution"]))))

    execution = Execution(machine, json.dumps({"order": 7}), _effects(sink), info(), seed=3)
    holder["execution"] = execution
    outcome = asyncio.run(execution.run())
    return execution.history.events, snapshots, outcome


def test_resuming_from_every_checkpoint_reproduces_the_history():
    events, snapshots, outcome = _run_with_checkpoints()
    assert outcome.status == "SUCCEEDED"
    assert outcome.output["doubled"] == [2, 4, 6]
    assert len(snapshots) == len(events)
    machine = build_state_machine(DEFINITION)
    for snapshot in snapshots:
        emitted: list[dict] = []
        resumed = checkpoint.resume(machine, snapshot, _effects(emitted.append))
        result = asyncio.run(resumed.run())
        assert result.status == outcome.status and result.output == outcome.output
        assert resumed.history.events == events
        assert emitted == events[len(snapshot["events"]) :]


def test_checkpoints_list_the_active_frames_and_are_versioned():
    _, snapshots, _ = _run_with_checkpoints()
    during_map = next(s for s in snapshots if any(a["frame"] == "iteration" for a in s["active"]))
    assert during_map["version"] == checkpoint.VERSION
    states = {a["state"] for a in during_map["active"]}
    assert {"Each", "D"} <= states
    with pytest.raises(ValueError):
        checkpoint.migrate({**during_map, "version": 99})
