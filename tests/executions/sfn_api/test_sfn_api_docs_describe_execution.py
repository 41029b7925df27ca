"""AWS Step Functions API Reference, "DescribeExecution": the documented response fields for
each status, and the errors, through boto3 against a live server."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import WAIT_LONG, code_of, machine, wait_done


def test_succeeded_execution(sfn):
    # "status", "startDate", "stopDate: If the execution ended, the date the execution stopped",
    # "input", "inputDetails", "output: ... This field is set only if the execution succeeds",
    # "redriveCount: ... If you have not yet redriven an execution, the redriveCount is 0."
    sm = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"r": 1}, "End": True}}})
    arn = sfn.start_execution(stateMachineArn=sm, name="described", input='{"in": 1}')["executionArn"]
    described = wait_done(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert (described["executionArn"], described["stateMachineArn"], described["name"]) == (
        arn,
        sm,
        "described",
    )
    assert json.loads(described["input"]) == {"in": 1}
    assert json.loads(described["output"]) == {"r": 1}
    assert described["inputDetails"] == {"included": True} and described["outputDetails"] == {
        "included": True
    }
    assert described["stopDate"] >= described["startDate"]
    assert described["redriveCount"] == 0
    assert "error" not in described and "cause" not in described


def test_running_execution_has_no_stop_date_or_output(sfn):
    # "stopDate: If the execution ended, the date the execution stopped" - a running one has none.
    arn = sfn.start_execution(stateMachineArn=machine(sfn, WAIT_LONG))["executionArn"]
    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "RUNNING"
    assert "stopDate" not in described and "output" not in described
    sfn.stop_execution(executionArn=arn)


def test_failed_execution_has_error_and_cause_and_no_output(sfn):
    # "error: The error string if the state machine execution failed." "cause: The cause string if
    # the state machine execution failed." "output ... If the execution fails, this field is null."
    sm = machine(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Oops", "Cause": "broken"}}})
    described = wait_done(sfn, sfn.start_execution(stateMachineArn=sm)["executionArn"])
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Oops", "broken")
    assert "output" not in described
    # "redriveStatus": a failed Standard execution can be redriven.
    assert described["redriveStatus"] == "REDRIVABLE"


def test_timed_out_execution(sfn):
    # status "TIMED_OUT": the state machine's TimeoutSeconds ended it; it has a stopDate and no
    # output, and can be redriven ("RedriveExecution": "...failed, aborted, or timed out").
    sm = machine(
        sfn,
        {"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}},
    )
    described = wait_done(sfn, sfn.start_execution(stateMachineArn=sm)["executionArn"])
    assert described["status"] == "TIMED_OUT"
    assert "output" not in described and described["stopDate"] >= described["startDate"]
    assert described["redriveStatus"] == "REDRIVABLE"


def test_aborted_execution_carries_the_stop_error_and_cause(sfn):
    # status "ABORTED": StopExecution's error and cause are the execution's.
    arn = sfn.start_execution(stateMachineArn=machine(sfn, WAIT_LONG))["executionArn"]
    sfn.stop_execution(executionArn=arn, error="Operator", cause="stopped by hand")
    deadline = time.time() + 10
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.time() < deadline
        time.sleep(0.05)
    assert (described["status"], described["error"], described["cause"]) == (
        "ABORTED",
        "Operator",
        "stopped by hand",
    )


def test_unknown_and_malformed_arns(sfn):
    # Errors: "ExecutionDoesNotExist: The specified execution does not exist." "InvalidArn: The
    # provided Amazon Resource Name (ARN) is not valid."
    sm = machine(sfn, WAIT_LONG)
    with pytest.raises(ClientError) as caught:
        sfn.describe_execution(executionArn=sm.replace(":stateMachine:", ":execution:") + ":nobody")
    assert code_of(caught) == "ExecutionDoesNotExist"
    with pytest.raises(ClientError) as caught:
        sfn.describe_execution(executionArn="arn:nope")
    assert code_of(caught) == "InvalidArn"
