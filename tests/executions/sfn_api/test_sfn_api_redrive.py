"""RedriveExecution through boto3 against a live server: a failed Task redriven after its local
function is fixed, a failed Map iteration, a failed Parallel branch, an aborted execution,
and what cannot be redriven. The history expectations follow AWS's redrive documentation: the
same execution and history, ExecutionRedriven (redriveCount) after the terminal event, the
states that succeeded not run again, the failed one going on with its stay."""

import json
import time
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import ROLE

LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:"
FLAKY = """
import json
FIXED = {fixed}
def handler(event, context):
    print(json.dumps(event))
    if FIXED or event in ("fine", 1, 3):
        return {{"done": event}}
    raise ValueError("broken on " + json.dumps(event))
"""


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Flaky:
    """A local function (a file in the server's functions folder) that fails until its code is
    fixed; its log (FunctionLog) holds every call's event."""

    def __init__(self, server) -> None:
        self.server = server
        self.folder = Path(server.var_dir) / "functions"
        self.folder.mkdir(exist_ok=True)
        self.name = unique("flaky").replace("-", "_")
        (self.folder / f"{self.name}.py").write_text(FLAKY.format(fixed=False))

    @property
    def arn(self) -> str:
        return LAMBDA + self.name

    def fix(self) -> None:
        (self.folder / f"{self.name}.py").write_text(FLAKY.format(fixed=True))

    def called_with(self) -> list:
        return self.server.function_calls(self.name)


def machine(sfn, definition: dict) -> str:
    return sfn.create_state_machine(name=unique("m"), definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]


def run_to_end(sfn, arn: str, timeout: float = 60) -> dict:
    deadline = time.time() + timeout
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        assert time.time() < deadline, f"{arn} still running"
        time.sleep(0.1)


def history(sfn, arn: str) -> list[dict]:
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def types(events: list[dict]) -> list[str]:
    return [e["type"] for e in events]


def redriven(sfn, arn: str, before: list[dict]) -> list[dict]:
    """The events after ExecutionRedriven, checking the history kept its first attempt and
    that ExecutionRedriven follows the terminal event."""
    after = history(sfn, arn)
    assert after[: len(before)] == before
    event = after[len(before)]
    assert event["type"] == "ExecutionRedriven"
    assert event["id"] == before[-1]["id"] + 1
    assert event["previousEventId"] == before[-1]["id"]
    assert event["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert [e["id"] for e in after] == list(range(1, len(after) + 1))
    return after[len(before) + 1 :]


def code_of(caught: pytest.ExceptionInfo) -> str:
    return caught.value.response["Error"]["Code"]


def test_a_failed_task_is_redriven_after_its_function_is_fixed(sfn, live_sfn):
    flaky = Flaky(live_sfn)
    sm = machine(
        sfn,
        {
            "StartAt": "Prepare",
            "States": {
                "Prepare": {"Type": "Pass", "Result": "order-7", "Next": "Charge"},
                "Charge": {"Type": "Task", "Resource": flaky.arn, "End": True},
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm, name="first")["executionArn"]
    failed = run_to_end(sfn, arn)
    assert failed["status"] == "FAILED" and failed["error"] == "ValueError"
    assert failed["redriveCount"] == 0 and "redriveDate" not in failed
    assert failed["redriveStatus"] == "REDRIVABLE" and "redriveStatusReason" not in failed
    before = history(sfn, arn)

    flaky.fix()
    token = unique("token")
    answer = sfn.redrive_execution(executionArn=arn, clientToken=token)
    done = run_to_end(sfn, arn)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"done": "order-7"}
    assert done["redriveCount"] == 1 and done["redriveDate"] == answer["redriveDate"]
    assert done["redriveStatus"] == "NOT_REDRIVABLE"
    assert done["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"
    assert "error" not in done and "cause" not in done
    tail = redriven(sfn, arn, before)
    assert types(tail) == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert tail[0]["previousEventId"] == before[-1]["id"] + 1
    assert flaky.called_with() == ["order-7", "order-7"]  # Prepare was not run again

    # The same client token answers the same redrive again; a new one is refused.
    assert sfn.redrive_execution(executionArn=arn, clientToken=token)["redriveDate"] == answer["redriveDate"]
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=arn)
    assert code_of(caught) == "ExecutionNotRedrivable"
    assert caught.value.response["Error"]["Message"] == "Execution is SUCCEEDED and cannot be redriven"

    listed = sfn.list_executions(stateMachineArn=sm, redriveFilter="REDRIVEN")["executions"]
    assert [(e["executionArn"], e["redriveCount"]) for e in listed] == [(arn, 1)]
    assert sfn.list_executions(stateMachineArn=sm, redriveFilter="NOT_REDRIVEN")["executions"] == []


def test_a_failed_map_iteration_is_redriven_and_the_unstarted_ones_run(sfn, live_sfn):
    flaky = Flaky(live_sfn)
    sm = machine(
        sfn,
        {
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "MaxConcurrency": 1,
                    "ItemProcessor": {
                        "StartAt": "Work",
                        "States": {"Work": {"Type": "Task", "Resource": flaky.arn, "End": True}},
                    },
                    "End": True,
                }
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm, input=json.dumps([1, 2, 3]))["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "FAILED"
    assert flaky.called_with() == [1, 2]
    before = history(sfn, arn)
    flaky.fix()
    sfn.redrive_execution(executionArn=arn)
    done = run_to_end(sfn, arn)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == [{"done": 1}, {"done": 2}, {"done": 3}]
    assert flaky.called_with() == [1, 2, 2, 3]  # iteration 0 kept its result
    tail = redriven(sfn, arn, before)
    assert [
        e["mapIterationStartedEventDetails"]["index"] for e in tail if e["type"] == "MapIterationStarted"
    ] == [1, 2]
    assert "MapStateEntered" not in types(tail) and "MapStateStarted" not in types(tail)
    assert types(tail)[-3:] == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


def test_only_the_failed_parallel_branch_runs_again(sfn, live_sfn):
    flaky = Flaky(live_sfn)
    sm = machine(
        sfn,
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "L",
                            "States": {"L": {"Type": "Task", "Resource": flaky.arn, "End": True}},
                        },
                        {
                            "StartAt": "R",
                            "States": {
                                # Left succeeds first (a branch still running when the other
                                # fails is aborted, and a redrive runs it again too).
                                "R": {"Type": "Wait", "Seconds": 3, "Next": "X"},
                                "X": {"Type": "Pass", "Result": "x", "Next": "RTask"},
                                "RTask": {"Type": "Task", "Resource": flaky.arn, "End": True},
                            },
                        },
                    ],
                    "End": True,
                }
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm, input=json.dumps("fine"))["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "FAILED"
    before = history(sfn, arn)
    assert sorted(map(json.dumps, flaky.called_with())) == ['"fine"', '"x"']
    assert types(before).count("LambdaFunctionSucceeded") == 1
    flaky.fix()
    sfn.redrive_execution(executionArn=arn)
    done = run_to_end(sfn, arn)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == [{"done": "fine"}, {"done": "x"}]
    assert sorted(map(json.dumps, flaky.called_with())) == ['"fine"', '"x"', '"x"']
    tail = redriven(sfn, arn, before)
    assert types(tail) == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_an_aborted_execution_goes_on_from_where_it_was_stopped(sfn):
    sm = machine(
        sfn,
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "Next": "W"},
                "W": {"Type": "Wait", "Seconds": 4, "Next": "B"},
                "B": {"Type": "Pass", "End": True},
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    deadline = time.time() + 30
    while "WaitStateEntered" not in types(history(sfn, arn)):
        assert time.time() < deadline
        time.sleep(0.05)
    sfn.stop_execution(executionArn=arn, error="Operator", cause="paused by hand")
    stopped = run_to_end(sfn, arn)
    assert stopped["status"] == "ABORTED" and stopped["redriveStatus"] == "REDRIVABLE"
    before = history(sfn, arn)
    assert before[-1]["type"] == "ExecutionAborted"
    sfn.redrive_execution(executionArn=arn)
    assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"
    tail = redriven(sfn, arn, before)
    assert types(tail) == ["WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_what_cannot_be_redriven(sfn):
    sm = machine(sfn, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}})
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    described = sfn.describe_execution(executionArn=arn)
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven"
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=arn)
    assert code_of(caught) == "ExecutionNotRedrivable"
    assert caught.value.response["Error"]["Message"] == "Execution is RUNNING and cannot be redriven"
    sfn.stop_execution(executionArn=arn)

    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=arn + "-missing")
    assert code_of(caught) == "ExecutionDoesNotExist"
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn="not-an-arn")
    assert code_of(caught) == "InvalidArn"
    with pytest.raises(ClientError) as caught:
        sfn.list_executions(stateMachineArn=sm, redriveFilter="SOMETIMES")
    assert code_of(caught) == "ValidationException"

    express = sfn.create_state_machine(
        name=unique("x"),
        definition=json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}),
        roleArn=ROLE,
        type="EXPRESS",
    )["stateMachineArn"]
    run = sfn.start_sync_execution(stateMachineArn=express)
    assert run["status"] == "FAILED"
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=run["executionArn"])
    assert code_of(caught) in {"ExecutionNotRedrivable", "ExecutionDoesNotExist"}
