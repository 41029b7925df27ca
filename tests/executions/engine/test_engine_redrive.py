"""Redrive on the engine: a stopped execution's checkpoint, ExecutionRedriven appended, resumed.

The expectations follow AWS's "Restarting state machine executions with redrive": the history
continues (same ids), states that succeeded are not run again, the stopped state goes on with
its stay (a Task is scheduled again, no new *Entered event), only failed Parallel branches and
Map iterations run again, retry counts and TimeoutSeconds start over."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

from designer.asl.model import build_state_machine
from executions.engine import checkpoint, redrive
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info, types

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
START = datetime(2024, 1, 1, tzinfo=UTC)
LATER = START + timedelta(hours=2)


class Broken(Exception):
    pass


class Functions:
    """Local functions that count their calls; `fixed` decides whether `flaky` works."""

    def __init__(self) -> None:
        self.calls: dict[str, list] = {}
        self.fixed = False

    def resources(self) -> Resources:
        resources = Resources()
        for name in ("flaky", "double", "ok"):
            resources.register(name, self._handler(name))
        return resources

    def _handler(self, name):
        def handler(event, context):
            self.calls.setdefault(name, []).append(event)
            if name == "flaky" and not self.fixed and event != "fine":
                raise Broken(f"broken on {event!r}")
            if name == "double":
                return event * 2
            return {"done": event}

        return handler


def _first_run(definition: dict, functions: Functions, value=None, sink=None):
    effects = LocalEffects(resources=functions.resources(), clock=FakeClock(START), on_event=sink)
    execution = Execution(build_state_machine(definition), json.dumps(value or {}), effects, info())
    outcome = asyncio.run(execution.run())
    return outcome, execution


def _redriven(definition: dict, stopped: Execution, functions: Functions, sink=None):
    data = json.loads(json.dumps(checkpoint.take(stopped)))
    redriven = redrive.redrive(data, LATER)
    effects = LocalEffects(resources=functions.resources(), clock=FakeClock(START), on_event=sink)
    execution = checkpoint.resume(build_state_machine(definition), redriven, effects)
    outcome = asyncio.run(execution.run())
    return outcome, execution


TASK_AFTER_PASS = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": "order-7", "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": ARN + "flaky",
            "Retry": [{"ErrorEquals": ["Broken"], "MaxAttempts": 1, "IntervalSeconds": 1}],
            "Next": "Notify",
        },
        "Notify": {"Type": "Task", "Resource": ARN + "ok", "End": True},
    },
}


def test_a_failed_task_is_scheduled_again_after_the_fix_and_the_history_continues():
    functions = Functions()
    outcome, first = _first_run(TASK_AFTER_PASS, functions)
    assert outcome.status == "FAILED" and outcome.error == "Broken"
    original = list(first.history.events)
    assert len(functions.calls["flaky"]) == 2  # the attempt and its one retry

    functions.fixed = True
    emitted: list[dict] = []
    outcome, again = _redriven(TASK_AFTER_PASS, first, functions, emitted.append)
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == {"done": {"done": "order-7"}}
    events = again.history.events
    assert events[: len(original)] == original
    redriven = events[len(original)]
    assert redriven["type"] == "ExecutionRedriven"
    assert redriven["id"] == original[-1]["id"] + 1
    assert redriven["previousEventId"] == original[-1]["id"]
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert redriven["timestamp"] == LATER
    # The Task's stay goes on: scheduled again, no new TaskStateEntered; Prepare is not rerun.
    assert types(events[len(original) + 1 :]) == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert events[len(original) + 1]["previousEventId"] == redriven["id"]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert emitted == events[len(original) + 1 :]  # ExecutionRedriven was committed by the caller
    assert len(functions.calls["flaky"]) == 3


def test_retry_counts_start_over_on_a_redrive():
    functions = Functions()
    _, first = _first_run(TASK_AFTER_PASS, functions)
    outcome, again = _redriven(TASK_AFTER_PASS, first, functions)  # still broken
    assert outcome.status == "FAILED"
    # Two more attempts (MaxAttempts 1 again), then ExecutionFailed again.
    assert len(functions.calls["flaky"]) == 4
    tail = types(again.history.events[len(first.history.events) :])
    assert tail.count("LambdaFunctionFailed") == 2 and tail[-1] == "ExecutionFailed"


def test_redriving_twice_counts_the_redrives_and_replays_both_attempts():
    functions = Functions()
    _, first = _first_run(TASK_AFTER_PASS, functions)
    _, second = _redriven(TASK_AFTER_PASS, first, functions)
    functions.fixed = True
    outcome, third = _redriven(TASK_AFTER_PASS, second, functions)
    assert outcome.status == "SUCCEEDED"
    redrives = [e for e in third.history.events if e["type"] == "ExecutionRedriven"]
    assert [e["executionRedrivenEventDetails"]["redriveCount"] for e in redrives] == [1, 2]
    assert third.history.events[: len(second.history.events)] == second.history.events
    assert len(functions.calls["flaky"]) == 5


CONTEXT = {
    "StartAt": "Look",
    "States": {
        "Look": {
            "Type": "Task",
            "Resource": ARN + "flaky",
            "Parameters": {"count.$": "$$.Execution.RedriveCount", "retry.$": "$$.State.RetryCount"},
            "Retry": [{"ErrorEquals": ["Nothing"], "MaxAttempts": 1}],
            "End": True,
        }
    },
}


def test_the_context_object_tells_the_redrive_count():
    functions = Functions()
    _, first = _first_run(CONTEXT, functions)
    functions.fixed = True
    functions.calls.clear()
    outcome, _ = _redriven(CONTEXT, first, functions)
    assert outcome.status == "SUCCEEDED"
    assert functions.calls["flaky"] == [{"count": 1, "retry": 0}]


PARALLEL = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Left",
                    "States": {"Left": {"Type": "Task", "Resource": ARN + "double", "End": True}},
                },
                {
                    "StartAt": "Right",
                    "States": {
                        "Right": {"Type": "Pass", "Result": "x", "Next": "RightTask"},
                        "RightTask": {"Type": "Task", "Resource": ARN + "flaky", "End": True},
                    },
                },
            ],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_a_parallel_redrive_runs_only_the_failed_branch_from_its_failed_state():
    functions = Functions()
    outcome, first = _first_run(PARALLEL, functions, value=21)
    assert outcome.status == "FAILED"
    assert functions.calls["double"] == [21]
    functions.fixed = True
    outcome, again = _redriven(PARALLEL, first, functions)
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == [42, {"done": "x"}]
    assert functions.calls["double"] == [21]  # the branch that succeeded kept its result
    events = again.history.events[len(first.history.events) + 1 :]
    # A branch goes on from its own last event (the run view follows the chain).
    failed = next(e for e in first.history.events if e["type"] == "LambdaFunctionFailed")
    assert events[0]["previousEventId"] == failed["id"]
    tail = types(events)
    assert tail == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {"Work": {"Type": "Task", "Resource": ARN + "flaky", "End": True}},
            },
            "End": True,
        }
    },
}


def test_a_map_redrive_runs_the_failed_iteration_and_the_ones_never_started():
    functions = Functions()
    outcome, first = _first_run(MAP, functions, value=["fine", "bad", "later"])
    assert outcome.status == "FAILED"
    assert functions.calls["flaky"] == ["fine", "bad"]  # after a failure no iteration starts
    functions.fixed = True
    outcome, again = _redriven(MAP, first, functions)
    assert outcome.status == "SUCCEEDED"
    assert outcome.output == [{"done": "fine"}, {"done": "bad"}, {"done": "later"}]
    assert functions.calls["flaky"] == ["fine", "bad", "bad", "later"]
    tail = again.history.events[len(first.history.events) + 1 :]
    started = [
        e["mapIterationStartedEventDetails"]["index"] for e in tail if e["type"] == "MapIterationStarted"
    ]
    assert started == [1, 2]
    assert types(tail)[-3:] == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
    assert "MapStateStarted" not in types(tail)


FAIL_STATE = {
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Pass", "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Rejected", "Cause": "no"},
    },
}


def test_a_fail_state_is_entered_again_and_fails_again():
    outcome, first = _first_run(FAIL_STATE, Functions())
    outcome, again = _redriven(FAIL_STATE, first, Functions())
    assert outcome.status == "FAILED" and outcome.error == "Rejected"
    assert types(again.history.events[len(first.history.events) :]) == [
        "ExecutionRedriven",
        "FailStateEntered",
        "ExecutionFailed",
    ]


TIMEOUT = {
    "StartAt": "Short",
    "TimeoutSeconds": 10,
    "States": {
        "Short": {"Type": "Wait", "Seconds": 5, "Next": "Long"},
        "Long": {"Type": "Wait", "Seconds": 8, "End": True},
    },
}


def test_a_timed_out_execution_goes_on_with_its_timeout_started_over():
    outcome, first = _first_run(TIMEOUT, Functions())
    assert outcome.status == "TIMED_OUT"
    outcome, again = _redriven(TIMEOUT, first, Functions())
    assert outcome.status == "SUCCEEDED"
    tail = again.history.events[len(first.history.events) :]
    assert types(tail) == ["ExecutionRedriven", "WaitStateExited", "ExecutionSucceeded"]
    # The Wait's end (from its entry) has passed: it is exited at once, past the original
    # deadline, which a redrive starts over.
    assert tail[1]["timestamp"] == LATER


def test_resuming_a_redrive_from_any_of_its_checkpoints_gives_the_same_history():
    functions = Functions()
    _, first = _first_run(PARALLEL, functions, value=21)
    functions.fixed = True
    snapshots: list[dict] = []
    holder: dict = {}

    def sink(event):
        snapshots.append(json.loads(json.dumps(checkpoint.take(holder["execution"]))))

    data = redrive.redrive(json.loads(json.dumps(checkpoint.take(first))), LATER)
    machine = build_state_machine(PARALLEL)
    effects = LocalEffects(resources=functions.resources(), clock=FakeClock(START), on_event=sink)
    holder["execution"] = execution = checkpoint.resume(machine, data, effects)
    asyncio.run(execution.run())
    events = execution.history.events
    assert snapshots
    calls = len(functions.calls["flaky"])
    for snapshot in snapshots:
        emitted: list[dict] = []
        effects = LocalEffects(
            resources=functions.resources(), clock=FakeClock(START), on_event=emitted.append
        )
        resumed = checkpoint.resume(machine, snapshot, effects)
        assert asyncio.run(resumed.run()).status == "SUCCEEDED"
        assert resumed.history.events == events
        assert emitted == events[len(snapshot["events"]) :]
    # Only a resume from before the redriven task's answer invokes it again.
    assert len(functions.calls["flaky"]) - calls <= 2
    assert functions.calls["double"] == [21]


def test_what_cannot_be_redriven_says_why_in_aws_words():
    now = START + timedelta(days=1)
    common = {"type": "STANDARD", "started_at": START, "stopped_at": START, "event_count": 10, "now": now}
    assert redrive.not_redrivable(status="FAILED", **common) is None
    assert redrive.not_redrivable(status="ABORTED", **common) is None
    assert redrive.not_redrivable(status="TIMED_OUT", **common) is None
    assert (
        redrive.not_redrivable(status="SUCCEEDED", **common)
        == "Execution is SUCCEEDED and cannot be redriven"
    )
    assert redrive.not_redrivable(status="RUNNING", **common) == "Execution is RUNNING and cannot be redriven"
    assert (
        redrive.not_redrivable(status="FAILED", **{**common, "event_count": 24_999})
        == "Execution history event limit exceeded"
    )
    assert (
        redrive.not_redrivable(status="FAILED", **{**common, "now": START + timedelta(days=15)})
        == "Execution redrivable period exceeded"
    )
    assert redrive.not_redrivable(status="FAILED", **{**common, "type": "EXPRESS"}) is not None


WAITS = {
    "StartAt": "Short",
    "States": {
        "Short": {"Type": "Wait", "Seconds": 5, "Next": "Long"},
        "Long": {"Type": "Wait", "Seconds": 3600, "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": ARN + "ok", "End": True},
    },
}


def test_an_aborted_execution_goes_on_from_the_state_it_was_stopped_in():
    # StopExecution commits ExecutionAborted after the last committed checkpoint; the
    # runner's unwinding is never committed.
    functions = Functions()
    snapshots: list[dict] = []
    holder: dict = {}

    def sink(event):
        snapshots.append(json.loads(json.dumps(checkpoint.take(holder["execution"]))))

    effects = LocalEffects(resources=functions.resources(), clock=FakeClock(START), on_event=sink)
    holder["execution"] = Execution(build_state_machine(WAITS), "{}", effects, info())
    asyncio.run(holder["execution"].run())
    stopped = next(
        s for s in snapshots if s["events"][-1]["type"] == "WaitStateEntered" and len(s["events"]) > 3
    )
    last = stopped["events"][-1]
    aborted = {
        "timestamp": (START + timedelta(seconds=60)).isoformat(),
        "type": "ExecutionAborted",
        "id": last["id"] + 1,
        "previousEventId": 0,
    }
    data = redrive.redrive({**stopped, "events": [*stopped["events"], aborted]}, LATER)
    functions.calls.clear()
    effects = LocalEffects(resources=functions.resources(), clock=FakeClock(START))
    execution = checkpoint.resume(build_state_machine(WAITS), data, effects)
    outcome = asyncio.run(execution.run())
    assert outcome.status == "SUCCEEDED"
    events = execution.history.events
    assert types(events[: len(data["events"])]) == [e["type"] for e in data["events"]]
    assert types(events[len(data["events"]) :]) == [
        "WaitStateExited",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert len(functions.calls["ok"]) == 1
