"""Executions through boto3 against a live server: start, describe, list, history, stop,
callbacks (.waitForTaskToken, activities), synchronous express runs, and their bad input."""

import json
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import ROLE, client_for

WAIT_LONG = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}
CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://example.invalid/q",
                "MessageBody": {"token.$": "$$.Task.Token"},
            },
            "End": True,
        }
    },
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def code_of(caught: pytest.ExceptionInfo) -> str:
    return caught.value.response["Error"]["Code"]


def machine(sfn, definition: dict, **kwargs) -> str:
    return sfn.create_state_machine(
        name=unique("m"), definition=json.dumps(definition), roleArn=ROLE, **kwargs
    )["stateMachineArn"]


def wait_done(sfn, arn: str, timeout: float = 30) -> dict:
    deadline = time.time() + timeout
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING" or time.time() > deadline:
            return described
        time.sleep(0.05)


def history(sfn, arn: str, **kwargs) -> list[dict]:
    return sfn.get_execution_history(executionArn=arn, maxResults=1000, **kwargs)["events"]


def token_of(sfn, arn: str, timeout: float = 20) -> str:
    """The task token, read from the TaskScheduled event's parameters."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for event in history(sfn, arn):
            if event["type"] == "TaskScheduled":
                return json.loads(event["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
        time.sleep(0.05)
    raise AssertionError("no TaskScheduled event")


def test_sfn_api_execution_runs_and_reads(sfn):
    sm = machine(
        sfn,
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "B"},
                "B": {"Type": "Pass", "Result": "done", "ResultPath": "$.r", "End": True},
            },
        },
    )
    name = unique("run")
    started = sfn.start_execution(stateMachineArn=sm, name=name, input='{"n": 7}')
    assert started["executionArn"].endswith(f":execution:{sm.split(':')[-1]}:{name}")
    described = wait_done(sfn, started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"n": 7, "r": "done"}
    assert described["stopDate"] >= described["startDate"]

    events = history(sfn, started["executionArn"])
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in events] == list(range(1, 7))
    reverse = history(sfn, started["executionArn"], reverseOrder=True)
    assert [e["id"] for e in reverse] == list(range(6, 0, -1))
    paged, token = [], None
    while True:
        page = sfn.get_execution_history(
            executionArn=started["executionArn"], maxResults=4, **({"nextToken": token} if token else {})
        )
        paged += page["events"]
        token = page.get("nextToken")
        if not token:
            break
    assert [e["id"] for e in paged] == list(range(1, 7))
    bare = history(sfn, started["executionArn"], includeExecutionData=False)
    assert "input" not in bare[0]["executionStartedEventDetails"]

    for_execution = sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])
    assert for_execution["stateMachineArn"] == sm
    listed = sfn.list_executions(stateMachineArn=sm, statusFilter="SUCCEEDED")["executions"]
    assert [e["executionArn"] for e in listed] == [started["executionArn"]]
    assert sfn.list_executions(stateMachineArn=sm, statusFilter="FAILED")["executions"] == []


def test_sfn_api_start_is_idempotent_by_name(sfn):
    sm = machine(sfn, WAIT_LONG)
    name = unique("same")
    first = sfn.start_execution(stateMachineArn=sm, name=name, input="{}")
    again = sfn.start_execution(stateMachineArn=sm, name=name, input="{}")
    assert again["executionArn"] == first["executionArn"]
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, name=name, input='{"other": 1}')
    assert code_of(caught) == "ExecutionAlreadyExists"
    sfn.stop_execution(executionArn=first["executionArn"])
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, name=name, input="{}")
    assert code_of(caught) == "ExecutionAlreadyExists"


def test_sfn_api_bad_execution_input(sfn):
    sm = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, input="{not json")
    assert code_of(caught) == "InvalidExecutionInput"
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, input=json.dumps({"big": "x" * (256 * 1024)}))
    assert code_of(caught) == "InvalidExecutionInput"
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm + "-missing", input="{}")
    assert code_of(caught) == "StateMachineDoesNotExist"


def test_sfn_api_stop_aborts_a_waiting_execution(sfn):
    sm = machine(sfn, WAIT_LONG)
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    deadline = time.time() + 10
    while "WaitStateEntered" not in [e["type"] for e in history(sfn, arn)] and time.time() < deadline:
        time.sleep(0.05)
    stopped = sfn.stop_execution(executionArn=arn, error="Halt", cause="operator")
    assert stopped["stopDate"]
    described = sfn.describe_execution(executionArn=arn)
    assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Halt", "operator")
    events = history(sfn, arn)
    assert events[-1]["type"] == "ExecutionAborted"
    assert events[-1]["executionAbortedEventDetails"] == {"error": "Halt", "cause": "operator"}
    assert events[-1]["previousEventId"] == events[-2]["id"]
    time.sleep(0.5)  # the runner must write nothing after the abort
    assert len(history(sfn, arn)) == len(events)


def test_sfn_api_a_callback_pending_when_its_execution_ends_can_no_longer_be_answered(sfn):
    # One branch waits for its token while the other fails the execution. AWS, SendTaskSuccess
    # (API reference): TaskTimedOut when the task's time is up; the execution closed, the task
    # token is no longer valid.
    ask = {**CALLBACK["States"]["Ask"]}
    failing = {
        "StartAt": "Later",
        "States": {
            "Later": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "Boom"},
        },
    }
    sm = machine(
        sfn,
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "Ask", "States": {"Ask": ask}}, failing],
                    "End": True,
                }
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    token = token_of(sfn, arn)
    assert wait_done(sfn, arn)["status"] == "FAILED"
    with pytest.raises(ClientError) as caught:
        sfn.send_task_success(taskToken=token, output="{}")
    assert code_of(caught) == "TaskTimedOut"


def test_sfn_api_task_token_success_and_reuse(sfn):
    sm = machine(sfn, CALLBACK)
    arn = sfn.start_execution(stateMachineArn=sm, input='{"order": 1}')["executionArn"]
    token = token_of(sfn, arn)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    described = wait_done(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": True}
    with pytest.raises(ClientError) as caught:
        sfn.send_task_success(taskToken=token, output="{}")
    assert code_of(caught) in {"TaskDoesNotExist", "TaskTimedOut"}
    with pytest.raises(ClientError) as caught:
        sfn.send_task_success(taskToken="no-such-token", output="{}")
    assert code_of(caught) == "TaskDoesNotExist"


def test_sfn_api_task_token_failure(sfn):
    sm = machine(sfn, CALLBACK)
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    sfn.send_task_failure(taskToken=token_of(sfn, arn), error="Rejected", cause="not today")
    described = wait_done(sfn, arn)
    assert (described["status"], described["error"], described["cause"]) == (
        "FAILED",
        "Rejected",
        "not today",
    )


def test_sfn_api_concurrent_task_success_has_one_winner(live_sfn, sfn):
    sm = machine(sfn, CALLBACK)
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    token = token_of(sfn, arn)
    results: dict[int, str] = {}
    barrier = threading.Barrier(8)

    def answer(i: int) -> None:
        client = client_for(live_sfn.endpoint)
        barrier.wait()
        try:
            client.send_task_success(taskToken=token, output=json.dumps({"winner": i}))
            results[i] = "ok"
        except ClientError as exc:
            results[i] = exc.response["Error"]["Code"]

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [i for i, r in results.items() if r == "ok"]
    assert len(winners) == 1, results
    assert set(results.values()) - {"ok"} <= {"TaskDoesNotExist", "TaskTimedOut"}
    described = wait_done(sfn, arn)
    assert json.loads(described["output"]) == {"winner": winners[0]}


def test_sfn_api_activity_worker_round_trip(sfn):
    activity = sfn.create_activity(name=unique("act"))["activityArn"]
    sm = machine(
        sfn, {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    arn = sfn.start_execution(stateMachineArn=sm, input='{"job": 42}')["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="w1")
    assert json.loads(task["input"]) == {"job": 42}
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 42}')
    described = wait_done(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"done": 42}


def test_sfn_api_start_sync_execution(sfn):
    express = machine(
        sfn,
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}},
        type="EXPRESS",
    )
    result = sfn.start_sync_execution(stateMachineArn=express, input="{}")
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"ok": 1}
    assert ":express:" in result["executionArn"]
    failing = machine(
        sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "why"}}}, type="EXPRESS"
    )
    failed = sfn.start_sync_execution(stateMachineArn=failing, input="{}")
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "E", "why")
    # The answer is what the run committed (known where it ran, not read back): as stored.
    for answer in (result, failed):
        stored = sfn.describe_execution(executionArn=answer["executionArn"])
        for field in ("status", "startDate", "stopDate", "output", "error", "cause"):
            assert answer.get(field) == stored.get(field), field
    standard = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(ClientError) as caught:
        sfn.start_sync_execution(stateMachineArn=standard, input="{}")
    assert code_of(caught) == "StateMachineTypeNotSupported"


def test_sfn_api_executions_of_versions_and_aliases(sfn):
    created = sfn.create_state_machine(
        name=unique("va"),
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE,
        publish=True,
    )
    version = created["stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}]
    )["stateMachineAliasArn"]
    by_alias = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    described = wait_done(sfn, by_alias)
    assert described["stateMachineVersionArn"] == version
    assert described["stateMachineAliasArn"] == alias
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=version)["executions"]] == [
        by_alias
    ]
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=alias)["executions"]] == [by_alias]


@pytest.mark.parametrize(
    ("limits", "error"),
    [({"TimeoutSeconds": 1}, "States.Timeout"), ({"HeartbeatSeconds": 1}, "States.HeartbeatTimeout")],
    ids=["timeout", "heartbeat"],
)
def test_sfn_api_task_token_times_out(sfn, limits, error):
    definition = json.loads(json.dumps(CALLBACK))
    definition["States"]["Ask"].update(limits)
    arn = sfn.start_execution(stateMachineArn=machine(sfn, definition))["executionArn"]
    token = token_of(sfn, arn)
    described = wait_done(sfn, arn)
    assert (described["status"], described["error"]) == ("FAILED", error)
    with pytest.raises(ClientError) as caught:
        sfn.send_task_success(taskToken=token, output="{}")
    assert code_of(caught) in {"TaskTimedOut", "TaskDoesNotExist"}


def test_sfn_api_heartbeats_keep_a_task_alive(sfn):
    definition = json.loads(json.dumps(CALLBACK))
    definition["States"]["Ask"]["HeartbeatSeconds"] = 1
    arn = sfn.start_execution(stateMachineArn=machine(sfn, definition))["executionArn"]
    token = token_of(sfn, arn)
    for _ in range(6):
        sfn.send_task_heartbeat(taskToken=token)
        time.sleep(0.4)
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output='{"alive": true}')
    assert wait_done(sfn, arn)["status"] == "SUCCEEDED"
