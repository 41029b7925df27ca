"""AWS Step Functions API Reference, "StartExecution": its documented request, response and
errors, through boto3 against a live server."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import (
    WAIT_LONG,
    code_of,
    history,
    machine,
    unique,
    wait_done,
)

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_response_has_the_execution_arn_and_start_date(sfn):
    # Response Elements: "executionArn: The Amazon Resource Name (ARN) that identifies the
    # execution" and "startDate: The date the execution is started."
    sm = machine(sfn, PASS)
    started = sfn.start_execution(stateMachineArn=sm, name="first", input='{"a": 1}')
    assert set(started) - {"ResponseMetadata"} == {"executionArn", "startDate"}
    assert started["executionArn"] == sm.replace(":stateMachine:", ":execution:") + ":first"
    assert wait_done(sfn, started["executionArn"])["status"] == "SUCCEEDED"


def test_without_a_name_the_execution_is_named_with_a_uuid(sfn):
    # name: "If you don't provide a name for the execution, Step Functions automatically generates
    # a universally unique identifier (UUID) as the execution name."
    arn = sfn.start_execution(stateMachineArn=machine(sfn, PASS))["executionArn"]
    assert uuid.UUID(arn.rsplit(":", 1)[1])


def test_without_input_the_execution_input_is_an_empty_object(sfn):
    # input: "If you don't include any JSON input data, you still must include the two braces,
    # for example: "input": "{}"" - the SDK's omitted input is taken as {}.
    arn = sfn.start_execution(stateMachineArn=machine(sfn, PASS))["executionArn"]
    assert json.loads(wait_done(sfn, arn)["input"]) == {}
    assert json.loads(history(sfn, arn)[0]["executionStartedEventDetails"]["input"]) == {}


@pytest.mark.parametrize(
    "name",
    ["a" * 81, "has space", "br{ace}", "wild*card", "sla/sh", "ques?tion", "tab\tname", "del\x7f", "c1\x85"],
)
def test_invalid_names_are_refused(sfn, name):
    # name: "Length Constraints: Minimum length of 1. Maximum length of 80." "A name must not
    # contain: white space, brackets < > { } [ ], wildcard characters ? *, special characters
    # " # % \ ^ | ~ ` $ & , ; : /, control characters" (the quotas page: \u0000-\u001f and
    # \u007f-\u009f). Errors: "InvalidName".
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=machine(sfn, PASS), name=name)
    assert code_of(caught) == "InvalidName"


def test_non_ascii_names_are_accepted(sfn):
    # "Step Functions service quotas", General quotas: "Step Functions accepts names for state
    # machines, executions, activities, and labels that contain non-ASCII characters."
    started = sfn.start_execution(stateMachineArn=machine(sfn, PASS), name="café-übung-日本")
    assert started["executionArn"].endswith(":café-übung-日本")


def test_input_that_is_not_json_is_invalid_execution_input(sfn):
    # Errors: "InvalidExecutionInput: The provided JSON input data is not valid."
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=machine(sfn, PASS), input="{not json")
    assert code_of(caught) == "InvalidExecutionInput"


def test_same_name_and_input_while_running_returns_the_same_execution(sfn):
    # "StartExecution is idempotent for STANDARD workflows. For a STANDARD workflow, if you call
    # StartExecution with the same name and input as a running execution, the call succeeds and
    # return the same response as the original request. If the execution is closed or if the input
    # is different, it returns a 400 ExecutionAlreadyExists error."
    sm = machine(sfn, WAIT_LONG)
    name = unique("run")
    first = sfn.start_execution(stateMachineArn=sm, name=name, input='{"x": 1}')
    again = sfn.start_execution(stateMachineArn=sm, name=name, input='{"x": 1}')
    assert (again["executionArn"], again["startDate"]) == (first["executionArn"], first["startDate"])
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, name=name, input='{"x": 2}')
    assert code_of(caught) == "ExecutionAlreadyExists"
    sfn.stop_execution(executionArn=first["executionArn"])
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm, name=name, input='{"x": 1}')
    assert code_of(caught) == "ExecutionAlreadyExists"


def test_unknown_state_machine_and_bad_arn(sfn):
    # Errors: "StateMachineDoesNotExist: The specified state machine does not exist." and
    # "InvalidArn: The provided Amazon Resource Name (ARN) is not valid."
    sm = machine(sfn, PASS)
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=sm + "-gone")
    assert code_of(caught) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn="not-an-arn")
    assert code_of(caught) == "InvalidArn"


def test_express_executions_with_the_same_name_are_not_deduplicated(sfn):
    # "Execution guarantees": Asynchronous Express Workflows - "Idempotency is not automatically
    # managed. Starting multiple workflows with the same name results in concurrent executions."
    sm = machine(sfn, PASS, type="EXPRESS")
    first = sfn.start_execution(stateMachineArn=sm, name="twice", input="{}")
    second = sfn.start_execution(stateMachineArn=sm, name="twice", input="{}")
    assert first["executionArn"] != second["executionArn"]
    assert ":express:" in first["executionArn"]
