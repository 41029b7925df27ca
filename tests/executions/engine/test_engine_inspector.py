"""The engine's inspector hook (TestState's view of a run): every data-flow stage in order, the
context it may change, failures offered to it before Retry, and starting variables."""

import asyncio
import json

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects, Resources
from tests.executions.engine.support import info


class Recorder:
    def __init__(self, retry: bool = True) -> None:
        self.stages: list[tuple[str, str, object]] = []
        self.failures: list[str] = []
        self.retry = retry

    def stage(self, run, name, value):
        self.stages.append((run.state.name, name, value))

    def context(self, state, frame, context):
        return {**context, "Execution": {"Name": "given"}}

    def failed(self, run, failure):
        self.failures.append(failure.error)
        return self.retry


def run(definition: dict, value: dict, inspector: Recorder, **kwargs):
    resources = Resources()
    resources.register("price", lambda event, context: {"total": event["qty"] * 10})
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(
        build_state_machine(definition), json.dumps(value), effects, info(), inspector=inspector, **kwargs
    )
    return asyncio.run(execution.run())


def test_engine_inspector_sees_each_stage():
    machine = {
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:price",
                "InputPath": "$.order",
                "Parameters": {"qty.$": "$.qty", "who.$": "$$.Execution.Name"},
                "ResultSelector": {"sum.$": "$.total"},
                "ResultPath": "$.priced",
                "End": True,
            }
        },
    }
    recorder = Recorder()
    outcome = run(machine, {"order": {"qty": 3}}, recorder)
    assert outcome.output == {"order": {"qty": 3}, "priced": {"sum": 30}}
    assert recorder.stages == [
        ("Price", "afterInputPath", {"qty": 3}),
        ("Price", "afterParameters", {"qty": 3, "who": "given"}),  # the inspector's context
        ("Price", "result", {"total": 30}),
        ("Price", "afterResultSelector", {"sum": 30}),
        ("Price", "afterResultPath", {"order": {"qty": 3}, "priced": {"sum": 30}}),
    ]


def test_engine_inspector_decides_whether_retry_runs_and_variables_start_the_run():
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "Boom",
        "States": {
            "Boom": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:missing",
                "Arguments": {"n": "{% $n %}"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                "End": True,
            }
        },
    }
    once = Recorder(retry=False)
    assert run(machine, {}, once, variables={"n": 7}).status == "FAILED"
    assert once.failures == ["Lambda.ResourceNotFoundException"]  # no retry
    assert ("Boom", "afterArguments", {"n": 7}) in once.stages
    retried = Recorder(retry=True)
    assert run(machine, {}, retried, variables={"n": 7}).status == "FAILED"
    assert len(retried.failures) == 4  # the first attempt and three retries
