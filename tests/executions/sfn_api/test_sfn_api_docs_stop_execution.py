"""AWS Step Functions API Reference, "StopExecution", through boto3 against a live server."""

import time

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import WAIT_LONG, code_of, history, machine


def stopped(sfn, arn: str) -> dict:
    deadline = time.time() + 10
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.time() < deadline
        time.sleep(0.05)
    return described


def test_stop_aborts_the_execution_with_error_and_cause(sfn):
    # "Stops an execution." Request: "error: The error code of the failure", "cause: A more
    # detailed explanation of the cause of the failure". Response: "stopDate: The date the
    # execution is stopped." The history ends with ExecutionAborted carrying them.
    arn = sfn.start_execution(stateMachineArn=machine(sfn, WAIT_LONG))["executionArn"]
    answer = sfn.stop_execution(executionArn=arn, error="Cancelled", cause="user asked")
    assert set(answer) - {"ResponseMetadata"} == {"stopDate"}
    assert stopped(sfn, arn)["status"] == "ABORTED"
    last = history(sfn, arn)[-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Cancelled", "cause": "user asked"}


def test_error_and_cause_are_optional(sfn):
    # Both request fields are "Required: No".
    arn = sfn.start_execution(stateMachineArn=machine(sfn, WAIT_LONG))["executionArn"]
    sfn.stop_execution(executionArn=arn)
    assert stopped(sfn, arn)["status"] == "ABORTED"
    assert history(sfn, arn)[-1]["type"] == "ExecutionAborted"


def test_error_longer_than_256_and_cause_longer_than_32768_are_refused(sfn):
    # "error ... Length Constraints: Minimum length of 0. Maximum length of 256." "cause ... Maximum
    # length of 32768." Errors: "ValidationException: The input does not satisfy the constraints
    # specified by an AWS service."
    arn = sfn.start_execution(stateMachineArn=machine(sfn, WAIT_LONG))["executionArn"]
    for fields in ({"error": "e" * 257}, {"cause": "c" * 32769}):
        with pytest.raises(ClientError) as caught:
            sfn.stop_execution(executionArn=arn, **fields)
        assert code_of(caught) == "ValidationException"
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    sfn.stop_execution(executionArn=arn, error="e" * 256, cause="c" * 32768)
    assert stopped(sfn, arn)["status"] == "ABORTED"


def test_unknown_execution(sfn):
    # Errors: "ExecutionDoesNotExist: The specified execution does not exist."
    sm = machine(sfn, WAIT_LONG)
    with pytest.raises(ClientError) as caught:
        sfn.stop_execution(executionArn=sm.replace(":stateMachine:", ":execution:") + ":nobody")
    assert code_of(caught) == "ExecutionDoesNotExist"
