"""AWS Step Functions API Reference, "RedriveExecution", and the Developer Guide's "Restarting
state machine executions with redrive in Step Functions", through boto3 against a live server."""

import json
from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_redrive import (
    Flaky,
    code_of,
    history,
    machine,
    redriven,
    run_to_end,
    types,
)


def test_redrive_continues_from_the_failed_step_with_the_same_input_and_arn(sfn, live_sfn):
    # "Restarts unsuccessful executions of Standard workflows ... When you redrive an execution, it
    # continues the failed execution from the unsuccessful step and uses the same input. Step
    # Functions preserves the results and execution history of the successful steps, and doesn't
    # rerun these steps." "Redriven executions use the same state machine definition and execution
    # ARN as the original execution attempt."
    flaky = Flaky(live_sfn)
    sm = machine(
        sfn,
        {
            "StartAt": "Before",
            "States": {
                "Before": {"Type": "Pass", "Result": "kept", "ResultPath": "$.before", "Next": "Work"},
                "Work": {"Type": "Task", "Resource": flaky.arn, "End": True},
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm, input='{"v": "again"}')["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "FAILED"
    before = history(sfn, arn)
    flaky.fix()
    answer = sfn.redrive_execution(executionArn=arn)
    # Response: "redriveDate: The date the execution was last redriven."
    assert set(answer) - {"ResponseMetadata"} == {"redriveDate"}
    described = run_to_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == answer["redriveDate"]
    tail = redriven(sfn, arn, before)
    # "Before" is not run again; the failed Task goes on with its stay (no new TaskStateEntered,
    # as the existing redrive tests record) and is invoked again.
    assert not any("stateEnteredEventDetails" in e for e in tail)
    assert types(tail) == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    # the same input: the Task was called the second time with what it was called with first
    calls = flaky.called_with()
    assert calls == [{"v": "again", "before": "kept"}] * 2
    assert json.loads(described["output"]) == {"done": calls[1]}


def test_a_succeeded_execution_cannot_be_redriven(sfn):
    # Errors: "ExecutionNotRedrivable: The execution Amazon Resource Name (ARN) that you specified
    # for executionArn cannot be redriven." Only failed, aborted or timed out executions can.
    sm = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    described = run_to_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=arn)
    assert code_of(caught) == "ExecutionNotRedrivable"


def test_a_timed_out_execution_is_redriven(sfn):
    # "...unsuccessful executions ... These include failed, aborted, or timed out executions."
    sm = machine(
        sfn,
        {
            "TimeoutSeconds": 1,
            "StartAt": "W",
            "States": {"W": {"Type": "Wait", "SecondsPath": "$.wait", "End": True}},
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm, input='{"wait": 3}')["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "TIMED_OUT"
    sfn.redrive_execution(executionArn=arn)
    described = sfn.describe_execution(executionArn=arn)
    assert described["redriveCount"] == 1
    assert "ExecutionRedriven" in types(history(sfn, arn))


def test_a_fail_state_fails_again_when_redriven(sfn):
    # "...it continues the failed execution from the unsuccessful step": a Fail state is that step
    # and fails the same way, and the execution can be redriven again (redriveCount counts).
    sm = machine(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Always", "Cause": "c"}}})
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "FAILED"
    for count in (1, 2):
        sfn.redrive_execution(executionArn=arn)
        described = run_to_end(sfn, arn)
        assert (described["status"], described["error"], described["redriveCount"]) == (
            "FAILED",
            "Always",
            count,
        )
    assert types(history(sfn, arn)).count("ExecutionRedriven") == 2


def test_the_context_object_counts_redrives(sfn, live_sfn):
    # "Accessing execution data from the Context object": Execution.RedriveCount, and "The
    # RedriveTime Context object is only available if you've redriven an execution."
    flaky = Flaky(live_sfn)
    sm = machine(
        sfn,
        {
            "StartAt": "Work",
            "States": {
                "Work": {
                    "Type": "Task",
                    "Resource": flaky.arn,
                    "Parameters": {"count.$": "$$.Execution.RedriveCount"},
                    "Next": "Look",
                },
                "Look": {
                    "Type": "Pass",
                    "Parameters": {"count.$": "$.done.count", "time.$": "$$.Execution.RedriveTime"},
                    "End": True,
                },
            },
        },
    )
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    assert run_to_end(sfn, arn)["status"] == "FAILED"
    assert flaky.called_with() == [{"count": 0}]
    flaky.fix()
    redriven_at = sfn.redrive_execution(executionArn=arn)["redriveDate"]
    described = run_to_end(sfn, arn)
    assert described["status"] == "SUCCEEDED", described.get("cause")
    output = json.loads(described["output"])
    assert output["count"] == 1
    assert abs(datetime.fromisoformat(output["time"].replace("Z", "+00:00")) - redriven_at) < timedelta(
        seconds=1
    )
