"""The engine's map runs: child executions with histories of their own, counts as they change,
MaxConcurrency and tolerated failures changed while the map runs (what UpdateMapRun does)."""

import asyncio
import json
import threading

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.engine.map_runs import MapRun
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info, types


class Reporting(LocalEffects):
    """Local effects that keep every map run report, as a runner would."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.runs: dict[str, MapRun] = {}
        self.reports: list[tuple[dict | None, list[dict]]] = []

    def map_run(self, run: MapRun) -> None:
        self.runs[run.arn] = run
        self.reports.append(run.take_changes())


def distributed(states: dict, start: str, **fields) -> dict:
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": start, "States": states}
    return {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}},
    }


ITEM = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Fail"}],
        "Default": "Wait",
    },
    "Wait": {"Type": "Wait", "SecondsPath": "$.wait", "End": True},
    "Fail": {"Type": "Fail", "Error": "Item.Bad", "Cause": "bad"},
}


def run(definition: dict, items: list, during=None, resources: Resources | None = None):
    effects = Reporting(clock=FakeClock(), resources=resources or Resources())
    execution = Execution(build_state_machine(definition), json.dumps(items), effects, info())

    async def main():
        running = asyncio.ensure_future(execution.run())
        if during is not None:
            await during(effects)
        return await running

    return asyncio.run(main()), effects


def test_children_get_histories_and_the_counts_follow_them():
    items = [{"wait": 5, "fail": False}, {"wait": 0, "fail": True}, {"wait": 1, "fail": False}]
    outcome, effects = run(distributed(ITEM, "Check", ToleratedFailureCount=1, Label="L"), items)
    assert outcome.status == "SUCCEEDED"
    (map_run,) = effects.runs.values()
    assert map_run.arn.startswith("arn:aws:states:us-east-1:000000000000:mapRun:machine/L:")
    assert map_run.state_machine_arn == "arn:aws:states:us-east-1:000000000000:stateMachine:machine/L"
    assert map_run.status == "SUCCEEDED" and map_run.stop is not None
    assert map_run.counts(by_items=True) | {} == {
        "pending": 0, "running": 0, "succeeded": 2, "failed": 1, "timedOut": 0, "aborted": 0,
        "total": 3, "resultsWritten": 2, "failuresNotRedrivable": 0, "pendingRedrive": 0,
    }  # fmt: skip
    # The first report has every child pending; the children's events arrive as they happen.
    first_summary, first_children = effects.reports[0]
    assert first_summary["execution_counts"]["pending"] == 3
    assert [c["status"] for c in first_children] == ["PENDING"] * 3
    events = {}
    for _, children in effects.reports:
        for child in children:
            events.setdefault(child["index"], []).extend(child["events"])
    assert types(events[1]) == [
        "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"
    ]  # fmt: skip
    assert events[0][0]["executionStartedEventDetails"]["input"] == '{"wait":5,"fail":false}'
    assert types(events[0])[-1] == "ExecutionSucceeded"
    assert [e["id"] for e in events[0]] == list(range(1, len(events[0]) + 1))


def test_a_new_max_concurrency_starts_waiting_children_at_once():
    release = threading.Event()
    resources = Resources()
    resources.register("block", lambda event, context: release.wait(10) and event)
    task = {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:000000000000:function:block",
            "End": True,
        }
    }
    seen = []

    async def until(check):
        while not check():
            await asyncio.sleep(0.001)

    async def raise_limit(effects):
        await until(lambda: effects.runs)
        (map_run,) = effects.runs.values()
        await until(lambda: map_run.counts(by_items=False)["running"] == 1)
        seen.append(map_run.counts(by_items=False)["pending"])
        map_run.update(max_concurrency=0)
        # The two waiting children start while the first one still runs.
        await until(lambda: map_run.counts(by_items=False)["running"] == 3)
        seen.append(map_run.max_concurrency)
        release.set()

    outcome, _ = run(distributed(task, "Call", MaxConcurrency=1), [1, 2, 3], raise_limit, resources)
    assert outcome.status == "SUCCEEDED" and outcome.output == [1, 2, 3]
    assert seen == [2, 0]


def test_tolerated_failures_set_while_running_decide_the_outcome():
    items = [{"wait": 10, "fail": False}, {"wait": 0, "fail": True}]

    async def tolerate(effects):
        while not effects.runs:
            await asyncio.sleep(0)
        next(iter(effects.runs.values())).update(tolerated_failure_percentage=50.0)

    outcome, _ = run(distributed(ITEM, "Check", MaxConcurrency=1), items, tolerate)
    assert outcome.status == "SUCCEEDED"
    outcome, effects = run(distributed(ITEM, "Check", MaxConcurrency=1), items)
    assert outcome.error == "States.ExceedToleratedFailureThreshold"
    assert next(iter(effects.runs.values())).status == "FAILED"


def test_a_timed_out_parent_aborts_the_map_run_and_its_children():
    definition = distributed(ITEM, "Check", MaxConcurrency=1)
    definition["TimeoutSeconds"] = 3
    outcome, effects = run(definition, [{"wait": 10, "fail": False}] * 2)
    assert outcome.status == "TIMED_OUT"
    (map_run,) = effects.runs.values()
    assert map_run.status == "ABORTED"
    assert [c.status for c in map_run.children] == ["ABORTED", "PENDING"]
